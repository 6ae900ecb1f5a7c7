import { record } from '../autograd/record';
import { unbroadcast } from '../autograd/unbroadcast';
import * as kernels from '../kernels/cpu/elementwise';
import type { Tensor, TensorLike } from '../tensor';
import { runBinary, toTensors } from './internal/elementwiseOp';
import { neg } from './neg';

/**
 * Elementwise difference, with broadcasting.
 *
 *   y = a − b
 *
 * **Shape**: a and b broadcast NumPy-style and y has the broadcast shape (see {@link add}).
 *
 * @param a a tensor or a number
 * @param b a tensor or a number
 * @throws ShapeError if the shapes do not broadcast.
 * @example
 * sub(1, tensor([0.25, 0.5])).toArray(); // [0.75, 0.5]
 */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = toTensors('sub', a, b);
  const y = runBinary('sub', ta, tb, kernels.sub);
  // ∂y/∂a = 1, ∂y/∂b = −1
  return record('sub', [ta, tb], y, (dy) => [
    ta.requiresGrad ? unbroadcast(dy, ta.shape) : null,
    tb.requiresGrad ? unbroadcast(neg(dy), tb.shape) : null,
  ]);
}
