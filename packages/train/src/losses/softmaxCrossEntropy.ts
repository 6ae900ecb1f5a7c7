import { checkOptionNames, formatShape, logSoftmax, mul, ShapeError, type Tensor } from '@sinapse/tensor';
import { checkNotProbabilities } from './logitsCheck';
import { checkSameShape, LOSS_OPTIONS, type LossOptions, reduce } from './reduction';

/**
 * Cross-entropy between the softmax of `logits` and target distributions `labels` (usually
 * one-hot), the loss of a classifier whose last layer has no activation (TF.js
 * `tf.losses.softmaxCrossEntropy`, PyTorch `cross_entropy` with probabilities as targets).
 *
 *   ℓ_n = −Σ_c y_nc · log softmax(z_n)_c = −Σ_c y_nc · (z_nc − log Σ_k e^z_nk)
 *
 * It works on logits, never on probabilities: logSoftmax computes the log directly (the
 * log-sum-exp trick), so a confident wrong answer costs a large finite number instead of
 * log(0) = −Infinity.
 *
 * Note [The softmax cross-entropy gradient]
 * With p = softmax(z) and rows of y summing to 1, dℓ_n/dz_n = p_n − y_n: the prediction minus the
 * truth, which is why this pair is the standard output of a classifier. With 'mean' every row is
 * also divided by N. We do not need a fused kernel for it: autograd through the two ops already
 * computes exactly that. The product's rule sends −y/N back to logSoftmax, whose rule
 * (dx = dy − p·Σ_c dy_c) turns it into −y/N + p·(Σ_c y_c)/N = (p − y)/N. If a row of y does not
 * sum to 1 (e.g. all zeros), the result is still the true gradient of the value returned,
 * p·Σy − y, where TF.js's hand-written rule would return p − y.
 *
 * **Shape:** logits and labels [N, C] (classes on the last axis; with extra middle axes, as in
 * per-pixel classification [N, H, W, C], each pixel has its own ℓ). Returns a scalar: 'mean'
 * (default) is the mean of all the ℓ, 'sum' their sum (PyTorch `cross_entropy(reduction='sum')`);
 * 'none' gives [N], each example's mean over its pixels (Note [Loss reductions] in reduction.ts).
 *
 * @param logits unnormalized scores, e.g. the output of the last Dense layer
 * @param labels one-hot rows (or any probability distributions), the same shape as logits
 * @param options `reduction`, default 'mean'
 * @throws ShapeError if the shapes differ (pointing to sparseSoftmaxCrossEntropy for indices).
 * @throws ValueError if the logits look like a softmax output (Note [Softmax applied twice] in logitsCheck.ts).
 * @example
 * softmaxCrossEntropy(tensor([[0, 0]]), tensor([[1, 0]])).item(); // 0.6931… = ln 2
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Tensor, options: LossOptions = {}): Tensor {
  checkOptionNames('softmaxCrossEntropy', options, LOSS_OPTIONS);
  if (logits.rank < 2) {
    throw new ShapeError(
      `softmaxCrossEntropy: logits must have shape [batch, classes], but got ${formatShape(logits.shape)}`,
    );
  }
  checkSameShape(
    'softmaxCrossEntropy',
    'logits',
    logits,
    'labels',
    labels,
    labels.rank === logits.rank - 1 ? '; for class indices use sparseSoftmaxCrossEntropy' : '',
  );
  checkNotProbabilities('softmaxCrossEntropy', logits);
  return reduce('softmaxCrossEntropy', mul(labels, logSoftmax(logits)).sum(-1).neg(), options.reduction);
}
