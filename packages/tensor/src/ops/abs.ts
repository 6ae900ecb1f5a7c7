import { record } from '../autograd/record';
import * as kernels from '../kernels/cpu/elementwise';
import type { Tensor } from '../tensor';
import { zerosLike } from './creation';
import { runUnary } from './internal/elementwiseOp';

/**
 * Elementwise absolute value.
 *
 *   y = |x|
 *
 * The gradient is sign(x): +1 above 0, −1 below, and 0 at x = 0 where |x| has a corner (any value
 * in [−1, 1] is a valid subgradient there; 0 is what PyTorch and TensorFlow use).
 *
 * **Shape**: y has x's shape and dtype.
 *
 * @example
 * abs(tensor([-2, 0, 3])).toArray(); // [2, 0, 3]
 */
export function abs(x: Tensor): Tensor {
  const y = runUnary('abs', x, kernels.abs);
  // ∂y/∂x = sign(x), with sign(0) = 0
  return record('abs', [x], y, (dy) => {
    const dx = zerosLike(x);
    kernels.absBackward(dy.data, x.data, dx.data);
    return [dx];
  });
}
