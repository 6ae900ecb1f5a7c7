import type { Parameter } from '@sinapse/layers';
import { ConfigError, Tensor } from '@sinapse/tensor';

/**
 * Rescales the gradients of `params` so that their global L2 norm is at most `maxNorm`
 * (PyTorch `clip_grad_norm_`, Keras `global_clipnorm`):
 *
 *   ‖g‖ = sqrt(Σ_params Σ_i g_i²),   g ← g · min(1, maxNorm / ‖g‖)
 *
 * Every gradient is scaled by the same factor, so the direction of the step is kept and only its
 * length is capped: one exploding batch cannot throw the weights far away. Parameters without a
 * gradient are skipped. Each `p.grad` is replaced by a new tensor (gradients may share storage,
 * e.g. the two inputs of an add, so scaling in place could scale one twice).
 *
 * @param params the parameters whose `.grad` to clip, e.g. `model.trainableWeights`
 * @param maxNorm the largest allowed global norm, > 0
 * @returns the global norm before clipping (handy to log)
 * @throws ConfigError if maxNorm is not a positive number.
 * @example
 * // grads [3] and [4] have global norm 5; clipping to 1 scales both by 1/5
 * clipGradNorm([a, b], 1); // 5, and now a.grad = [0.6], b.grad = [0.8]
 */
export function clipGradNorm(params: readonly Parameter[], maxNorm: number): number {
  if (!(maxNorm > 0)) throw new ConfigError(`clipGradNorm: maxNorm must be a positive number, but got ${maxNorm}`);
  let sumOfSquares = 0;
  for (const p of params) {
    const g = p.grad?.data;
    if (g === undefined) continue;
    for (let i = 0; i < g.length; i++) sumOfSquares += g[i]! * g[i]!;
  }
  const norm = Math.sqrt(sumOfSquares);
  if (norm > maxNorm) {
    const scale = maxNorm / norm;
    for (const p of params) {
      if (p.grad === null) continue;
      const g = p.grad.data;
      const scaled = g.slice();
      for (let i = 0; i < scaled.length; i++) scaled[i] = g[i]! * scale;
      p.grad = new Tensor(scaled, p.grad.shape);
    }
  }
  return norm;
}

/**
 * Clips every gradient element to [−maxValue, maxValue] (Keras `clipvalue`, PyTorch
 * `clip_grad_value_`). Unlike {@link clipGradNorm} this can change the direction of the step.
 * Each `p.grad` is replaced by a new tensor.
 *
 * @throws ConfigError if maxValue is not a positive number.
 */
export function clipGradValue(params: readonly Parameter[], maxValue: number): void {
  if (!(maxValue > 0)) {
    throw new ConfigError(`clipGradValue: maxValue must be a positive number, but got ${maxValue}`);
  }
  for (const p of params) {
    if (p.grad === null) continue;
    const g = p.grad.data;
    const clipped = g.slice();
    for (let i = 0; i < clipped.length; i++) clipped[i] = Math.min(maxValue, Math.max(-maxValue, g[i]!));
    p.grad = new Tensor(clipped, p.grad.shape);
  }
}
