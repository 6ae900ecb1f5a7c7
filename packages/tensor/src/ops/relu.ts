import { record } from '../autograd/record';
import { getBackend } from '../kernels/index';
import type { Tensor } from '../tensor';
import { zerosLike } from './creation';
import { runUnary } from './internal/elementwiseOp';

/**
 * Rectified linear unit, the activation of the lecture's CNNs: negative values become 0.
 *
 *   y = max(x, 0)
 *
 * The gradient is 1 for x > 0 and 0 for x < 0; at x = 0 (a corner) we use 0, as PyTorch and
 * TensorFlow do.
 *
 * **Shape**: y has x's shape and dtype.
 *
 * @example
 * relu(tensor([-1, 0, 2])).toArray(); // [0, 0, 2]
 */
export function relu(x: Tensor): Tensor {
  // a Backend kernel: it runs after every conv and dense layer (branch-free in 'cpu' and 'wasm')
  const backend = getBackend();
  const y = runUnary('relu', x, backend.relu);
  // ∂y/∂x = 1 if x > 0, else 0
  return record('relu', [x], y, (dy) => {
    const dx = zerosLike(x);
    backend.reluBackward(dy.data, x.data, dx.data);
    return [dx];
  });
}
