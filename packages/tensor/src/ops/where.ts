import { record } from '../autograd/record';
import { unbroadcast } from '../autograd/unbroadcast';
import { allocate, type DType, promoteTypes } from '../dtype';
import { broadcastIndex, tiles } from '../kernels/cpu/broadcast';
import * as kernels from '../kernels/cpu/elementwise';
import { broadcastShapes, type Shape, sizeOf } from '../shape';
import { Tensor, type TensorLike } from '../tensor';
import { assertTensorLike, toTensor } from './internal/elementwiseOp';

/**
 * Picks elements from `a` where `condition` is non-zero (true) and from `b` elsewhere.
 *
 *   y = condition ≠ 0 ? a : b
 *
 * Gradient: dy flows to `a` where the condition holds and to `b` elsewhere; the condition gets
 * none (it only selects).
 *
 * **Shape**: condition, a and b broadcast together NumPy-style, and y has the broadcast shape.
 * The dtype is that of a and b (promoted); numbers take the dtype of the tensors among a and b,
 * else of the condition.
 *
 * @param condition non-zero means "take a"; a tensor or a number
 * @param a the values where the condition holds; a tensor or a number
 * @param b the values elsewhere; a tensor or a number
 * @throws ShapeError if the three shapes do not broadcast.
 * @example
 * where(tensor([1, 0, 1]), tensor([1, 2, 3]), 0).toArray(); // [1, 0, 3]
 */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  assertTensorLike('where', 'condition', condition);
  assertTensorLike('where', 'a', a);
  assertTensorLike('where', 'b', b);
  const dtype: DType =
    a instanceof Tensor && b instanceof Tensor
      ? promoteTypes(a.dtype, b.dtype)
      : a instanceof Tensor
        ? a.dtype
        : b instanceof Tensor
          ? b.dtype
          : condition instanceof Tensor
            ? condition.dtype
            : 'float32';
  const tc = toTensor(condition, dtype);
  const ta = toTensor(a, dtype);
  const tb = toTensor(b, dtype);
  const shape = broadcastShapes('where', broadcastShapes('where', tc.shape, ta.shape), tb.shape);
  const size = sizeOf(shape);
  const y = new Tensor(allocate(dtype, size, 'where', shape), shape);
  // inputs of the output's size, scalars and other whole repeats (a mask [C] over [N, C]) are read
  // at i mod their size with no index array; only the others need one (see Note [Broadcasting])
  const indexOf = (s: Shape): Int32Array | null =>
    sizeOf(s) === size || tiles(shape, s) ? null : broadcastIndex(shape, s);
  kernels.where(tc.data, ta.data, tb.data, y.data, indexOf(tc.shape), indexOf(ta.shape), indexOf(tb.shape));
  // ∂y/∂a = [condition], ∂y/∂b = 1 − [condition]; no gradient for the condition
  return record('where', [tc, ta, tb], y, (dy) => [
    null,
    ta.requiresGrad ? unbroadcast(where(tc, dy, 0), ta.shape) : null,
    tb.requiresGrad ? unbroadcast(where(tc, 0, dy), tb.shape) : null,
  ]);
}
