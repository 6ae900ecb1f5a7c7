import { record } from '../autograd/record';
import * as kernels from '../kernels/cpu/elementwise';
import type { Tensor } from '../tensor';
import { runUnary } from './internal/elementwiseOp';
import { mul } from './mul';

/**
 * Elementwise square (cheaper and more exact than `pow(x, 2)`).
 *
 *   y = x²
 *
 * **Shape**: y has x's shape and dtype.
 *
 * @example
 * square(tensor([-3, 0.5, 2])).toArray(); // [9, 0.25, 4]
 */
export function square(x: Tensor): Tensor {
  const y = runUnary('square', x, kernels.square);
  // ∂y/∂x = 2x
  return record('square', [x], y, (dy) => [mul(dy, mul(x, 2))]);
}
