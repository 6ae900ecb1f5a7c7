import { record } from '../autograd/record';
import * as kernels from '../kernels/cpu/elementwise';
import type { Tensor } from '../tensor';
import { runUnary } from './internal/elementwiseOp';
import { mul } from './mul';
import { sub } from './sub';

/**
 * Logistic sigmoid, squashing any real number into (0, 1).
 *
 *   y = σ(x) = 1 / (1 + e^(−x))
 *
 * Computed so that no exponential overflows, even for x = ±1000 (see the kernel).
 *
 * **Shape**: y has x's shape and dtype.
 *
 * @example
 * sigmoid(tensor([-100, 0, 100], undefined, { dtype: 'float64' })).toArray();
 * // [3.720075976020836e-44, 0.5, 1]
 */
export function sigmoid(x: Tensor): Tensor {
  const y = runUnary('sigmoid', x, kernels.sigmoid);
  // ∂y/∂x = σ(x)·(1 − σ(x)) = y·(1 − y)
  return record('sigmoid', [x], y, (dy) => [mul(dy, mul(y, sub(1, y)))]);
}
