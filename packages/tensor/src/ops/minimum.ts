import { record } from '../autograd/record';
import { unbroadcast } from '../autograd/unbroadcast';
import * as kernels from '../kernels/cpu/elementwise';
import type { Tensor, TensorLike } from '../tensor';
import { runBinary, toTensors } from './internal/elementwiseOp';
import { mul } from './mul';
import { sub } from './sub';

/**
 * Elementwise minimum of two tensors, with broadcasting.
 *
 *   y = min(a, b)
 *
 * Gradient: dy goes to whichever input is smaller; at a tie all of it goes to `a` (the mask is
 * a ≤ b), as in TensorFlow (see {@link maximum}).
 *
 * **Shape**: a and b broadcast NumPy-style and y has the broadcast shape (see {@link add}).
 *
 * @param a a tensor or a number
 * @param b a tensor or a number
 * @throws ShapeError if the shapes do not broadcast.
 * @example
 * minimum(tensor([-1, 0.5, 3]), 1).toArray(); // [-1, 0.5, 1]
 */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = toTensors('minimum', a, b);
  const y = runBinary('minimum', ta, tb, kernels.minimum);
  // ∂y/∂a = [a ≤ b], ∂y/∂b = [a > b] = 1 − [a ≤ b]
  return record('minimum', [ta, tb], y, (dy) => {
    const aWins = runBinary('minimum', ta, tb, kernels.lessEqualMask);
    const dyA = mul(dy, aWins);
    return [
      ta.requiresGrad ? unbroadcast(dyA, ta.shape) : null,
      tb.requiresGrad ? unbroadcast(sub(dy, dyA), tb.shape) : null,
    ];
  });
}
