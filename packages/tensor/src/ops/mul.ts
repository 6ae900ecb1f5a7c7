import { record } from '../autograd/record';
import { unbroadcast } from '../autograd/unbroadcast';
import * as kernels from '../kernels/cpu/elementwise';
import type { Tensor, TensorLike } from '../tensor';
import { runBinary, toTensors } from './internal/elementwiseOp';

/**
 * Elementwise product (Hadamard product, a ⊙ b), with broadcasting.
 *
 *   y = a · b
 *
 * **Shape**: a and b broadcast NumPy-style and y has the broadcast shape (see {@link add}).
 *
 * @param a a tensor or a number
 * @param b a tensor or a number
 * @throws ShapeError if the shapes do not broadcast.
 * @example
 * mul(tensor([[1], [2]]), tensor([3, 4])).toArray(); // [[3, 4], [6, 8]]
 */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = toTensors('mul', a, b);
  const y = runBinary('mul', ta, tb, kernels.mul);
  // ∂y/∂a = b, ∂y/∂b = a
  return record('mul', [ta, tb], y, (dy) => [
    ta.requiresGrad ? unbroadcast(mul(dy, tb), ta.shape) : null,
    tb.requiresGrad ? unbroadcast(mul(dy, ta), tb.shape) : null,
  ]);
}
