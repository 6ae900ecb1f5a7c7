import { record } from '../autograd/record';
import * as kernels from '../kernels/cpu/elementwise';
import type { Tensor } from '../tensor';
import { runUnary } from './internal/elementwiseOp';
import { mul } from './mul';

/**
 * Elementwise natural exponential. Overflows to Infinity above x ≈ 88.7 in float32 (709.8 in
 * float64); softmax and sigmoid avoid that by construction.
 *
 *   y = eˣ
 *
 * **Shape**: y has x's shape and dtype.
 *
 * @example
 * exp(tensor([0, 1], undefined, { dtype: 'float64' })).toArray(); // [1, 2.718281828459045]
 */
export function exp(x: Tensor): Tensor {
  const y = runUnary('exp', x, kernels.exp);
  // ∂y/∂x = eˣ = y (reuse the output instead of recomputing it)
  return record('exp', [x], y, (dy) => [mul(dy, y)]);
}
