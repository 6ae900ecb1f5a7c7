import { ShapeError } from '../errors';
import { formatShape, normalizeAxes } from '../shape';
import type { Tensor } from '../tensor';
import { reshape } from './reshape';

/**
 * Removes axes of size 1. Without `axis`, every size-1 axis goes; with it, only those, and each
 * must have size 1 (like TensorFlow; PyTorch silently keeps a non-1 axis instead).
 *
 * **Shape:** x's shape without the removed axes. Shares storage with x (it is a {@link reshape}).
 *
 * @param x    input, any rank
 * @param axis axis or axes to remove, negative counts from the end. Default: every size-1 axis.
 * @throws ValueError if an axis is out of range or repeated.
 * @throws ShapeError if a named axis does not have size 1.
 * @example
 * squeeze(zeros([1, 3, 1])).shape;       // [3]
 * squeeze(zeros([1, 3, 1]), -1).shape;   // [1, 3]
 */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  let remove: number[];
  if (axis === undefined) {
    remove = x.shape.map((_, a) => a).filter((a) => x.shape[a] === 1);
  } else {
    remove = normalizeAxes('squeeze', axis, x.rank);
    for (const a of remove) {
      if (x.shape[a] !== 1) {
        throw new ShapeError(
          `squeeze: only axes of size 1 can be removed, but got axis ${a} of size ${x.shape[a]} in shape ${formatShape(x.shape)}`,
        );
      }
    }
  }
  return reshape(
    x,
    x.shape.filter((_, a) => !remove.includes(a)),
  );
}
