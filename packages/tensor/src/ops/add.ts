import { record } from '../autograd/record';
import { unbroadcast } from '../autograd/unbroadcast';
import * as kernels from '../kernels/cpu/elementwise';
import type { Tensor, TensorLike } from '../tensor';
import { runBinary, toTensors } from './internal/elementwiseOp';

/**
 * Elementwise sum, with broadcasting.
 *
 *   y = a + b
 *
 * **Shape**: a and b broadcast NumPy-style (aligned on the right; each dimension equal or 1), and y
 * has the broadcast shape: [N, H, W, C] + [C] → [N, H, W, C]. A number is a scalar of the other
 * operand's dtype; the output dtype is float64 if either input is.
 *
 * @param a a tensor or a number
 * @param b a tensor or a number
 * @throws ShapeError if the shapes do not broadcast.
 * @example
 * add(tensor([[1, 2, 3], [4, 5, 6]]), tensor([10, 20, 30])).toArray();
 * // [[11, 22, 33], [14, 25, 36]]
 */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = toTensors('add', a, b);
  const y = runBinary('add', ta, tb, kernels.add);
  // ∂y/∂a = 1, ∂y/∂b = 1; summed over the axes each input was broadcast along
  return record('add', [ta, tb], y, (dy) => [
    ta.requiresGrad ? unbroadcast(dy, ta.shape) : null,
    tb.requiresGrad ? unbroadcast(dy, tb.shape) : null,
  ]);
}
