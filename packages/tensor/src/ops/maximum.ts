import { record } from '../autograd/record';
import { unbroadcast } from '../autograd/unbroadcast';
import * as kernels from '../kernels/cpu/elementwise';
import type { Tensor, TensorLike } from '../tensor';
import { runBinary, toTensors } from './internal/elementwiseOp';
import { mul } from './mul';
import { sub } from './sub';

/**
 * Elementwise maximum of two tensors, with broadcasting. `maximum(x, 0)` is relu.
 *
 *   y = max(a, b)
 *
 * Gradient: dy goes to whichever input is larger. At a tie (a = b) the maximum is not
 * differentiable; like TensorFlow, all of dy goes to `a` (the mask is a ≥ b). PyTorch instead
 * splits it, dy/2 to each.
 *
 * **Shape**: a and b broadcast NumPy-style and y has the broadcast shape (see {@link add}).
 *
 * @param a a tensor or a number
 * @param b a tensor or a number
 * @throws ShapeError if the shapes do not broadcast.
 * @example
 * maximum(tensor([-1, 0.5, 3]), 0).toArray(); // [0, 0.5, 3]
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = toTensors('maximum', a, b);
  const y = runBinary('maximum', ta, tb, kernels.maximum);
  // ∂y/∂a = [a ≥ b], ∂y/∂b = [a < b] = 1 − [a ≥ b]
  return record('maximum', [ta, tb], y, (dy) => {
    const aWins = runBinary('maximum', ta, tb, kernels.greaterEqualMask);
    const dyA = mul(dy, aWins);
    return [
      ta.requiresGrad ? unbroadcast(dyA, ta.shape) : null,
      tb.requiresGrad ? unbroadcast(sub(dy, dyA), tb.shape) : null,
    ];
  });
}
