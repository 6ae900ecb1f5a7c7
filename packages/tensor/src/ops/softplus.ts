import { record } from '../autograd/record';
import * as kernels from '../kernels/cpu/elementwise';
import type { Tensor } from '../tensor';
import { runUnary } from './internal/elementwiseOp';
import { mul } from './mul';
import { sigmoid } from './sigmoid';

/**
 * Softplus, a smooth relu: it approaches 0 for x → −∞ and x for x → +∞.
 *
 *   y = ln(1 + eˣ)
 *
 * Computed as max(x, 0) + ln(1 + e^(−|x|)), so no exponential overflows (see the kernel).
 *
 * **Shape**: y has x's shape and dtype.
 *
 * @example
 * softplus(tensor([-1000, 0, 1000], undefined, { dtype: 'float64' })).toArray(); // [0, 0.6931471805599453, 1000]
 */
export function softplus(x: Tensor): Tensor {
  const y = runUnary('softplus', x, kernels.softplus);
  // ∂y/∂x = eˣ / (1 + eˣ) = σ(x)
  return record('softplus', [x], y, (dy) => [mul(dy, sigmoid(x))]);
}
