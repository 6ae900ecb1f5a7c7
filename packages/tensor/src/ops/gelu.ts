import { record } from '../autograd/record';
import { assert } from '../errors';
import * as kernels from '../kernels/cpu/gelu';
import type { Tensor } from '../tensor';
import { zerosLike } from './creation';
import { runUnary } from './internal/elementwiseOp';

/**
 * The Gaussian error linear unit (Hendrycks & Gimpel 2016): x weighted by the probability that a
 * standard normal variable is below it, a smooth relu that dips slightly below 0 near x ≈ −0.75.
 *
 *   y = x·Φ(x) = x · (1 + erf(x/√2)) / 2                          (approximate = false)
 *   y = x · (1 + tanh(√(2/π)·(x + 0.044715·x³))) / 2               (approximate = true)
 *
 * Keras's `gelu(x, approximate)`; the tanh form is TF.js's 'gelu_new' (BERT's and GPT-2's). The two
 * differ by less than 5e-4.
 *
 * **Shape**: y has x's shape and dtype.
 *
 * @param x the input
 * @param approximate use the tanh approximation. Default false (the exact erf form, as Keras).
 * @throws ValueError if approximate is not a boolean.
 * @example
 * gelu(tensor([-1, 0, 1], undefined, { dtype: 'float64' })).toArray();
 * // [-0.15865525393145707, 0, 0.8413447460685429]
 */
export function gelu(x: Tensor, approximate = false): Tensor {
  assert(
    typeof approximate === 'boolean',
    () => `gelu: approximate must be true or false, but got ${JSON.stringify(approximate)}`,
  );
  const y = runUnary('gelu', x, approximate ? kernels.geluTanh : kernels.gelu);
  // exact: ∂y/∂x = Φ(x) + x·φ(x); tanh: the derivative of the tanh form (kernels/cpu/gelu.ts)
  return record('gelu', [x], y, (dy) => {
    const dx = zerosLike(x);
    (approximate ? kernels.geluTanhBackward : kernels.geluBackward)(dy.data, x.data, dx.data);
    return [dx];
  });
}
