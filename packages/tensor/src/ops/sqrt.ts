import { record } from '../autograd/record';
import * as kernels from '../kernels/cpu/elementwise';
import type { Tensor } from '../tensor';
import { div } from './div';
import { runUnary } from './internal/elementwiseOp';
import { mul } from './mul';

/**
 * Elementwise square root (NaN for negative inputs, as `Math.sqrt`).
 *
 *   y = √x
 *
 * The gradient 1/(2√x) is Infinity at x = 0 (PyTorch and TensorFlow agree); add a small epsilon
 * first, √(x + ε), where x can be 0, as L2 pooling of an all-zero window does.
 *
 * **Shape**: y has x's shape and dtype.
 *
 * @example
 * sqrt(tensor([4, 9, 2.25])).toArray(); // [2, 3, 1.5]
 */
export function sqrt(x: Tensor): Tensor {
  const y = runUnary('sqrt', x, kernels.sqrt);
  // ∂y/∂x = 1 / (2√x) = 1 / (2y)
  return record('sqrt', [x], y, (dy) => [div(dy, mul(y, 2))]);
}
