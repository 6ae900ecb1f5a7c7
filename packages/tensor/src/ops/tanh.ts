import { record } from '../autograd/record';
import * as kernels from '../kernels/cpu/elementwise';
import type { Tensor } from '../tensor';
import { runUnary } from './internal/elementwiseOp';
import { mul } from './mul';
import { square } from './square';
import { sub } from './sub';

/**
 * Hyperbolic tangent, squashing any real number into (−1, 1). tanh(x) = 2σ(2x) − 1.
 *
 *   y = (eˣ − e^(−x)) / (eˣ + e^(−x))
 *
 * **Shape**: y has x's shape and dtype.
 *
 * @example
 * tanh(tensor([-100, 0, 100])).toArray(); // [-1, 0, 1]
 */
export function tanh(x: Tensor): Tensor {
  const y = runUnary('tanh', x, kernels.tanh);
  // ∂y/∂x = 1 − tanh²(x) = 1 − y²
  return record('tanh', [x], y, (dy) => [mul(dy, sub(1, square(y)))]);
}
