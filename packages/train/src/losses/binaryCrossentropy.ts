import { abs, checkOptionNames, clip, exp, log, relu, type Tensor } from '@sinapse/tensor';
import { PROBABILITY_LOSS_OPTIONS, type ProbabilityLossOptions } from './categoricalCrossentropy';
import { checkSameShape, reduce } from './reduction';

/**
 * Binary cross-entropy of probabilities (a sigmoid output) against targets in [0, 1] (Keras
 * `binary_crossentropy`):
 *
 *   ℓ = −(t · log p + (1 − t) · log(1 − p)),   p clipped to [ε, 1 − ε]
 *
 * one element loss per output (one per independent yes/no question).
 *
 * With `fromLogits: true` the predictions are logits z (p = σ(z)), and the same ℓ is computed
 * without forming p, as TensorFlow's sigmoid_cross_entropy_with_logits does:
 *
 *   ℓ = max(z, 0) − z·t + log(1 + e^(−|z|))
 *
 * e^(−|z|) ≤ 1 never overflows, and nothing is clipped. (At exactly z = 0 the kinks of max and
 * |·| give the gradient −t instead of ½ − t, as in TensorFlow.)
 *
 * **Shape:** probabilities and targets [N] or [N, K, …]. Returns a scalar: 'mean' (default) is the
 * mean of all element losses, 'sum' their sum (PyTorch `reduction='sum'`); 'none' gives [N], each
 * example's mean (Note [Loss reductions] in reduction.ts).
 *
 * @param probabilities numbers in [0, 1] (any numbers with fromLogits)
 * @param targets 0/1 labels (or soft targets in [0, 1]), the same shape
 * @param options `reduction` (default 'mean'), `fromLogits` (default false), `epsilon` (default 1e-7)
 * @throws ShapeError if the shapes differ.
 * @example
 * binaryCrossentropy(tensor([0.5, 0.9]), tensor([1, 1])).item(); // 0.3992… = (ln 2 − ln 0.9) / 2
 */
export function binaryCrossentropy(
  probabilities: Tensor,
  targets: Tensor,
  options: ProbabilityLossOptions = {},
): Tensor {
  checkOptionNames('binaryCrossentropy', options, PROBABILITY_LOSS_OPTIONS);
  const { epsilon = 1e-7, fromLogits = false } = options;
  checkSameShape('binaryCrossentropy', 'probabilities', probabilities, 'targets', targets);
  if (fromLogits) {
    const z = probabilities;
    const elementwise = relu(z)
      .sub(z.mul(targets))
      .add(log(exp(abs(z).neg()).add(1)));
    return reduce('binaryCrossentropy', elementwise, options.reduction);
  }
  const p = clip(probabilities, epsilon, 1 - epsilon);
  // −(t·log p + (1 − t)·log(1 − p))
  const elementwise = targets
    .mul(log(p))
    .add(
      targets
        .neg()
        .add(1)
        .mul(log(p.neg().add(1))),
    )
    .neg();
  return reduce('binaryCrossentropy', elementwise, options.reduction);
}
