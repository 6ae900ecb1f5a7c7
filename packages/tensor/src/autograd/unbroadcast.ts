import { allocate } from '../dtype';
import { assertShape } from '../errors';
import { broadcastIndex, tiles, unbroadcastSum } from '../kernels/cpu/broadcast';
import { broadcastShapes, formatShape, type Shape, shapesEqual, sizeOf } from '../shape';
import { Tensor } from '../tensor';

/**
 * Sums a gradient `dy` of a broadcast result back down to the `shape` of an input that was
 * broadcast to produce it. Used by the backward rule of every broadcasting op.
 *
 * If z = a + b with a of shape [2, 3] and b of shape [3], then b[j] was used by z[0, j] and z[1, j],
 * so dL/db[j] = dy[0, j] + dy[1, j]: sum over the axes that broadcasting added or stretched.
 * See Note [Broadcasting] in kernels/cpu/broadcast.ts.
 *
 * Shape: `shape` must broadcast to `dy.shape`; the result has `shape` and `dy`'s dtype. When the
 * shapes are already equal, `dy` itself is returned (tensors are immutable; see tensor.ts).
 *
 * Not recorded on the tape: it runs inside backward rules, under noGrad.
 *
 * @example unbroadcast(tensor([[1, 2, 3], [4, 5, 6]]), [3]).toArray(); // [5, 7, 9]
 */
export function unbroadcast(dy: Tensor, shape: Shape): Tensor {
  if (shapesEqual(dy.shape, shape)) return dy;
  const target = [...shape];
  assertShape(
    target.length <= dy.rank && shapesEqual(broadcastShapes('unbroadcast', target, dy.shape), dy.shape),
    () =>
      `unbroadcast: shape ${formatShape(target)} must broadcast to the gradient's shape, but got ${formatShape(dy.shape)}`,
  );
  const dx = allocate(dy.dtype, sizeOf(target));
  if (dx.length === dy.size) {
    // only axes of size 1 differ: the elements are already in the right order
    dx.set(dy.data);
  } else {
    // a whole repeat (a bias [C] of [N, H, W, C], a scalar) sums block by block, with no index
    unbroadcastSum(dy.data, tiles(dy.shape, target) ? null : broadcastIndex(dy.shape, target), dx);
  }
  return new Tensor(dx, target);
}
