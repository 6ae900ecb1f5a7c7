import { checkOptionNames, clip, gather, log, type Tensor } from '@sinapse/tensor';
import { PROBABILITY_LOSS_OPTIONS, type ProbabilityLossOptions } from './categoricalCrossentropy';
import { reduce } from './reduction';
import { labelPositions } from './sparseLabels';
import { sparseSoftmaxCrossEntropy } from './sparseSoftmaxCrossEntropy';

/**
 * Keras `sparse_categorical_crossentropy`: {@link categoricalCrossentropy} with the labels given
 * as class indices, on probabilities by default (the model ends in softmax):
 *
 *   q_n = p_n / Σ_c p_nc,   ℓ_n = −log(clip(q_n,y_n, ε, 1 − ε))
 *
 * With `fromLogits: true` it is {@link sparseSoftmaxCrossEntropy}, exact and stable.
 *
 * **Shape:** probabilities [N, C] and indices [N] or [N, 1] (or [N, H, W, C] and [N, H, W] per
 * pixel). Reductions as in Note [Loss reductions].
 *
 * @param probabilities rows of non-negative numbers, e.g. a softmax output (logits with fromLogits)
 * @param indices the true class of each example, integers in [0, C)
 * @throws ShapeError for indices of the wrong shape; ValueError for an index outside [0, C).
 * @example
 * sparseCategoricalCrossentropy(tensor([[0.25, 0.75]]), [1]).item(); // 0.2876… = −ln 0.75
 */
export function sparseCategoricalCrossentropy(
  probabilities: Tensor,
  indices: Tensor | readonly number[],
  options: ProbabilityLossOptions = {},
): Tensor {
  const fn = 'sparseCategoricalCrossentropy';
  checkOptionNames(fn, options, PROBABILITY_LOSS_OPTIONS);
  const { epsilon = 1e-7, fromLogits = false, reduction } = options;
  if (fromLogits) return sparseSoftmaxCrossEntropy(probabilities, indices, { reduction });
  const { positions, lossShape } = labelPositions(fn, probabilities, indices, 'categoricalCrossentropy');
  const normalized = probabilities.div(probabilities.sum(-1, true));
  const logP = log(clip(normalized, epsilon, 1 - epsilon));
  const picked = gather(logP.reshape([logP.size]), positions).reshape(lossShape);
  return reduce(fn, picked.neg(), reduction);
}
