import { record } from '../autograd/record';
import { assert } from '../errors';
import * as kernels from '../kernels/cpu/elementwise';
import type { Tensor } from '../tensor';
import { zerosLike } from './creation';
import { runUnary } from './internal/elementwiseOp';

/**
 * Limits every element to the interval [min, max] (TF.js `clipByValue`, PyTorch `clamp`).
 *
 *   y = min(max(x, min), max)
 *
 * The gradient is 1 where min ≤ x ≤ max (bounds included, as in PyTorch and TF.js) and 0 where x
 * was clipped.
 *
 * **Shape**: y has x's shape and dtype.
 *
 * @param x the input
 * @param min the lower bound
 * @param max the upper bound, at least `min`
 * @throws ValueError if min > max or either bound is NaN.
 * @example
 * clip(tensor([-2, 0.5, 3]), 0, 1).toArray(); // [0, 0.5, 1]
 */
export function clip(x: Tensor, min: number, max: number): Tensor {
  assert(min <= max, () => `clip: min must be less than or equal to max, but got min=${min}, max=${max}`);
  const y = runUnary('clip', x, (xs, ys) => kernels.clip(xs, ys, min, max));
  // ∂y/∂x = 1 if min ≤ x ≤ max, else 0
  return record('clip', [x], y, (dy) => {
    const dx = zerosLike(x);
    kernels.clipBackward(dy.data, x.data, dx.data, min, max);
    return [dx];
  });
}
