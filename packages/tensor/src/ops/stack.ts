import { ShapeError, ValueError } from '../errors';
import { formatShape, normalizeAxis, shapesEqual } from '../shape';
import type { Tensor } from '../tensor';
import { concat } from './concat';
import { expandDims } from './expandDims';

/**
 * Joins tensors of the same shape along a new axis (`tf.stack`, `torch.stack`): stacking n
 * images [h, w, c] gives a batch [n, h, w, c].
 *
 *   y[…, k, …] = x_k   (k indexes the new axis)
 *
 * It is expandDims on each input followed by concat, so the gradient comes from those two.
 *
 * **Shape:** the common shape with n = tensors.length inserted at `axis`.
 *
 * @param tensors one or more tensors of exactly the same shape
 * @param axis    where the new axis goes, in [-(rank+1), rank]. Default 0.
 * @throws ValueError if the list is empty or the axis is out of range.
 * @throws ShapeError naming the first tensor whose shape differs from the first one's.
 * @example
 * String(stack([tensor([1, 2]), tensor([3, 4])]));      // '[[1. 2.]\n [3. 4.]]'
 * String(stack([tensor([1, 2]), tensor([3, 4])], 1));   // '[[1. 3.]\n [2. 4.]]'
 */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ValueError('stack: needs at least one tensor, but got an empty list');
  const first = tensors[0]!;
  const a = normalizeAxis('stack', axis, first.rank + 1);
  tensors.forEach((t, k) => {
    if (!shapesEqual(t.shape, first.shape)) {
      throw new ShapeError(
        `stack: all tensors must have the same shape, but got ${formatShape(first.shape)} (tensor 0) and ${formatShape(t.shape)} (tensor ${k})`,
      );
    }
  });
  return concat(
    tensors.map((t) => expandDims(t, a)),
    a,
  );
}
