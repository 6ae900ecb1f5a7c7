import { record } from '../autograd/record';
import { assert } from '../errors';
import * as kernels from '../kernels/cpu/elementwise';
import type { Tensor } from '../tensor';
import { zerosLike } from './creation';
import { runUnary } from './internal/elementwiseOp';

/**
 * Leaky ReLU: like relu, but negative inputs keep a small slope α so their gradient is not 0.
 *
 *   y = x      if x > 0
 *   y = α·x    otherwise
 *
 * The gradient is 1 for x > 0 and α otherwise (α at x = 0, as in TensorFlow).
 *
 * **Shape**: y has x's shape and dtype.
 *
 * @param x the input
 * @param alpha the slope for x ≤ 0. Default 0.2, the TF.js default (PyTorch uses 0.01).
 * @throws ValueError if alpha is not a finite number.
 * @example
 * leakyRelu(tensor([-2, 0, 3], undefined, { dtype: 'float64' })).toArray(); // [-0.4, 0, 3]
 */
export function leakyRelu(x: Tensor, alpha = 0.2): Tensor {
  assert(Number.isFinite(alpha), () => `leakyRelu: alpha must be a finite number, but got alpha=${alpha}`);
  const y = runUnary('leakyRelu', x, (xs, ys) => kernels.leakyRelu(xs, ys, alpha));
  // ∂y/∂x = 1 if x > 0, else α
  return record('leakyRelu', [x], y, (dy) => {
    const dx = zerosLike(x);
    kernels.leakyReluBackward(dy.data, x.data, dx.data, alpha);
    return [dx];
  });
}
