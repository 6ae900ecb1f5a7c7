import { ValueError } from '../errors';
import { normalizeAxis } from '../shape';
import type { Tensor } from '../tensor';
import { reshape } from './reshape';

/**
 * Merges the axes startAxis … endAxis (inclusive) into one, like `torch.flatten`. With the
 * defaults every axis is merged into a 1-D tensor; `flatten(x, 1)` turns an image batch
 * [batch, height, width, channels] into the [batch, features] a Dense layer takes.
 *
 * **Shape:** [d₀, …, d_{start−1}, d_start·…·d_end, d_{end+1}, …]. A scalar becomes [1].
 * Shares storage with x (it is a {@link reshape}); the gradient comes with reshape's.
 *
 * @param x         input, any rank
 * @param startAxis first axis to merge, negative counts from the end. Default 0.
 * @param endAxis   last axis to merge (inclusive). Default -1, the last axis.
 * @throws ValueError if an axis is out of range or startAxis comes after endAxis.
 * @example
 * flatten(zeros([2, 4, 4, 3]), 1).shape;   // [2, 48]
 */
export function flatten(x: Tensor, startAxis = 0, endAxis = -1): Tensor {
  // a scalar flattens to [1], as in PyTorch: treat it as rank 1 for the axis checks
  const rank = Math.max(x.rank, 1);
  const start = normalizeAxis('flatten', startAxis, rank);
  const end = normalizeAxis('flatten', endAxis, rank);
  if (start > end) {
    throw new ValueError(
      `flatten: startAxis must not come after endAxis, but got startAxis=${startAxis}, endAxis=${endAxis} for a rank-${x.rank} tensor`,
    );
  }
  const shape = x.rank === 0 ? [1] : [...x.shape];
  let merged = 1;
  for (let a = start; a <= end; a++) merged *= shape[a]!;
  return reshape(x, [...shape.slice(0, start), merged, ...shape.slice(end + 1)]);
}
