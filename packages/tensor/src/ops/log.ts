import { record } from '../autograd/record';
import * as kernels from '../kernels/cpu/elementwise';
import type { Tensor } from '../tensor';
import { div } from './div';
import { runUnary } from './internal/elementwiseOp';

/**
 * Elementwise natural logarithm. log(0) = −Infinity and log of a negative number is NaN, as in
 * `Math.log` (no error: a loss that produces them should be fixed where the zero comes from, for
 * example by using {@link logSoftmax} instead of log(softmax(x))).
 *
 *   y = ln x
 *
 * **Shape**: y has x's shape and dtype.
 *
 * @example
 * log(tensor([1, Math.E], undefined, { dtype: 'float64' })).toArray(); // [0, 1]
 */
export function log(x: Tensor): Tensor {
  const y = runUnary('log', x, kernels.log);
  // ∂y/∂x = 1/x
  return record('log', [x], y, (dy) => [div(dy, x)]);
}
