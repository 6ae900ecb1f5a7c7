import { normalizeAxis } from '../shape';
import type { Tensor } from '../tensor';
import { reshape } from './reshape';

/**
 * Inserts an axis of size 1 at position `axis` of the result (the inverse of {@link squeeze}).
 *
 * **Shape:** rank + 1 dimensions; the new one sits at `axis` (0 prepends, -1 appends).
 * Shares storage with x (it is a {@link reshape}).
 *
 * @param x    input, any rank
 * @param axis where the new axis goes, in [-(rank+1), rank]. Default 0.
 * @throws ValueError if the axis is out of range.
 * @example
 * expandDims(zeros([28, 28])).shape;       // [1, 28, 28]
 * expandDims(zeros([28, 28]), -1).shape;   // [28, 28, 1]
 */
export function expandDims(x: Tensor, axis = 0): Tensor {
  // the axis is a position in the output, which has rank + 1 axes
  const a = normalizeAxis('expandDims', axis, x.rank + 1);
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}
