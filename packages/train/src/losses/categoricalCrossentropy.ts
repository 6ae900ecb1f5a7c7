import { checkOptionNames, clip, formatShape, log, mul, ShapeError, type Tensor } from '@sinapse/tensor';
import { checkProbabilities } from './logitsCheck';
import { checkSameShape, LOSS_OPTIONS, type LossOptions, reduce } from './reduction';
import { softmaxCrossEntropy } from './softmaxCrossEntropy';

/** Options for the Keras-named cross-entropies: {@link categoricalCrossentropy}, sparse and binary. */
export interface ProbabilityLossOptions extends LossOptions {
  /**
   * Whether the predictions are logits (scores before softmax or sigmoid) instead of
   * probabilities. Default false, as in Keras: the model ends in softmax (or sigmoid). With true,
   * the loss is computed from the logits directly, which is exact and stable.
   */
  fromLogits?: boolean;
  /** Probabilities are clipped to [epsilon, 1 − epsilon] before the log. Default 1e-7 (Keras). Unused with fromLogits. */
  epsilon?: number;
}

/** @internal The option names the probability losses accept, for their `checkOptionNames`. */
export const PROBABILITY_LOSS_OPTIONS = [
  ...LOSS_OPTIONS,
  'fromLogits',
  'epsilon',
] as const satisfies readonly (keyof ProbabilityLossOptions)[];

/**
 * Cross-entropy of probabilities (the output of a softmax layer) against one-hot labels, as
 * Keras `categorical_crossentropy` computes it:
 *
 *   q_n = p_n / Σ_c p_nc,   ℓ_n = −Σ_c y_nc · log(clip(q_nc, ε, 1 − ε))
 *
 * Like Keras, each row is first rescaled to sum to 1, and then clipped so log never sees 0: a
 * softmax that rounded a probability to 0 gives a large loss, not Infinity. Where the clip is
 * active the gradient is 0. With `fromLogits: true` it is {@link softmaxCrossEntropy} on logits:
 * exact, and its gradient never vanishes, so prefer a linear last layer and fromLogits when you can.
 *
 * **Shape:** probabilities and labels [N, C], or [N, …, C] with one ℓ per row. Returns a scalar:
 * 'mean' (default) is the mean of the row losses, 'sum' their sum; 'none' gives [N], each
 * example's mean over its rows (Note [Loss reductions] in reduction.ts).
 *
 * @param probabilities rows of non-negative numbers, e.g. a softmax output (logits with fromLogits)
 * @param labels one-hot rows, the same shape
 * @param options `reduction` (default 'mean'), `fromLogits` (default false), `epsilon` (default 1e-7)
 * @throws ShapeError if the shapes differ.
 * @example
 * categoricalCrossentropy(tensor([[0.5, 0.5]]), tensor([[1, 0]])).item(); // 0.6931… = ln 2
 */
export function categoricalCrossentropy(
  probabilities: Tensor,
  labels: Tensor,
  options: ProbabilityLossOptions = {},
): Tensor {
  checkOptionNames('categoricalCrossentropy', options, PROBABILITY_LOSS_OPTIONS);
  const { epsilon = 1e-7, fromLogits = false, reduction } = options;
  if (fromLogits) return softmaxCrossEntropy(probabilities, labels, { reduction });
  checkProbabilities('categoricalCrossentropy', probabilities, 'softmaxCrossEntropy');
  if (probabilities.rank < 2) {
    throw new ShapeError(
      `categoricalCrossentropy: probabilities must have shape [batch, classes], but got ${formatShape(probabilities.shape)}`,
    );
  }
  checkSameShape(
    'categoricalCrossentropy',
    'probabilities',
    probabilities,
    'labels',
    labels,
    labels.rank === probabilities.rank - 1 ? '; for class indices use sparseCategoricalCrossentropy' : '',
  );
  const normalized = probabilities.div(probabilities.sum(-1, true));
  const logP = log(clip(normalized, epsilon, 1 - epsilon));
  return reduce('categoricalCrossentropy', mul(labels, logP).sum(-1).neg(), reduction);
}
