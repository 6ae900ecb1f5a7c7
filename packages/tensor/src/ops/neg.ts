import { record } from '../autograd/record';
import * as kernels from '../kernels/cpu/elementwise';
import type { Tensor } from '../tensor';
import { runUnary } from './internal/elementwiseOp';

/**
 * Elementwise negation.
 *
 *   y = −x
 *
 * **Shape**: y has x's shape and dtype.
 *
 * @example
 * neg(tensor([1, -2, 0])).toArray(); // [-1, 2, -0]
 */
export function neg(x: Tensor): Tensor {
  const y = runUnary('neg', x, kernels.neg);
  // ∂y/∂x = −1
  return record('neg', [x], y, (dy) => [neg(dy)]);
}
