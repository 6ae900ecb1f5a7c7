import { record } from '../autograd/record';
import { unbroadcast } from '../autograd/unbroadcast';
import * as kernels from '../kernels/cpu/elementwise';
import type { Tensor, TensorLike } from '../tensor';
import { runBinary, toTensors } from './internal/elementwiseOp';
import { mul } from './mul';
import { neg } from './neg';

/**
 * Elementwise quotient, with broadcasting. Division by zero follows IEEE 754: 1 / 0 = Infinity,
 * 0 / 0 = NaN (no error is thrown).
 *
 *   y = a / b
 *
 * **Shape**: a and b broadcast NumPy-style and y has the broadcast shape (see {@link add}).
 *
 * @param a a tensor or a number (the dividend)
 * @param b a tensor or a number (the divisor)
 * @throws ShapeError if the shapes do not broadcast.
 * @example
 * div(tensor([1, 2, 3]), 2).toArray(); // [0.5, 1, 1.5]
 */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = toTensors('div', a, b);
  const y = runBinary('div', ta, tb, kernels.div);
  // ∂y/∂a = 1/b, ∂y/∂b = −a/b² = −y/b
  return record('div', [ta, tb], y, (dy) => [
    ta.requiresGrad ? unbroadcast(div(dy, tb), ta.shape) : null,
    tb.requiresGrad ? unbroadcast(neg(mul(dy, div(y, tb))), tb.shape) : null,
  ]);
}
