import { record } from '../autograd/record';
import { unbroadcast } from '../autograd/unbroadcast';
import * as kernels from '../kernels/cpu/elementwise';
import type { Tensor, TensorLike } from '../tensor';
import { runBinary, toTensors } from './internal/elementwiseOp';
import { mul } from './mul';

/**
 * Elementwise power, with broadcasting: `a` raised to `b` (`Math.pow`; a negative base with a
 * non-integer exponent gives NaN).
 *
 *   y = a^b
 *   ∂y/∂a = b · a^(b−1)   (taken as 0 where b = 0, since a^0 = 1 does not depend on a)
 *   ∂y/∂b = a^b · ln a    (taken as 0 where a ≤ 0, where ln a is not a real number;
 *                          TensorFlow's choice. PyTorch gives 0 only at a = 0 and NaN below)
 *
 * **Shape**: a and b broadcast NumPy-style and y has the broadcast shape (see {@link add}).
 *
 * @param a the base, a tensor or a number
 * @param b the exponent, a tensor or a number
 * @throws ShapeError if the shapes do not broadcast.
 * @example
 * pow(tensor([1, 2, 3]), 2).toArray(); // [1, 4, 9]
 * pow(2, tensor([0, 1, 2, 3])).toArray(); // [1, 2, 4, 8]
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = toTensors('pow', a, b);
  const y = runBinary('pow', ta, tb, kernels.pow);
  // ∂y/∂a = b·a^(b−1), ∂y/∂b = a^b·ln a (each evaluated at the broadcast shape, then summed back)
  return record('pow', [ta, tb], y, (dy) => [
    ta.requiresGrad ? unbroadcast(mul(dy, runBinary('pow', ta, tb, kernels.powGradBase)), ta.shape) : null,
    tb.requiresGrad ? unbroadcast(mul(dy, runBinary('pow', ta, tb, kernels.powGradExponent)), tb.shape) : null,
  ]);
}
