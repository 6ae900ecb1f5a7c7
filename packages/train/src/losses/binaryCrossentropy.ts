import { clip, log, type Tensor } from '@sinapse/tensor';
import type { ProbabilityLossOptions } from './categoricalCrossentropy';
import { checkSameShape, reduce } from './reduction';

/**
 * Binary cross-entropy of probabilities (a sigmoid output) against targets in [0, 1] (Keras
 * `binary_crossentropy`):
 *
 *   ℓ = −(t · log p + (1 − t) · log(1 − p)),   p clipped to [ε, 1 − ε]
 *
 * one element loss per output (one per independent yes/no question).
 *
 * **Shape:** probabilities and targets [N] or [N, K, …]. Returns a scalar: 'mean' (default) is the
 * mean of all element losses, 'sum' their sum (PyTorch `reduction='sum'`); 'none' gives [N], each
 * example's mean (Note [Loss reductions] in reduction.ts).
 *
 * @param probabilities numbers in [0, 1]
 * @param targets 0/1 labels (or soft targets in [0, 1]), the same shape
 * @param options `reduction` (default 'mean') and `epsilon` (default 1e-7)
 * @throws ShapeError if the shapes differ.
 * @example
 * binaryCrossentropy(tensor([0.5, 0.9]), tensor([1, 1])).item(); // 0.3992… = (ln 2 − ln 0.9) / 2
 */
export function binaryCrossentropy(
  probabilities: Tensor,
  targets: Tensor,
  options: ProbabilityLossOptions = {},
): Tensor {
  const { epsilon = 1e-7 } = options;
  checkSameShape('binaryCrossentropy', 'probabilities', probabilities, 'targets', targets);
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
