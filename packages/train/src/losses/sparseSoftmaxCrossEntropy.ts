import { checkOptionNames, gather, logSoftmax, type Tensor } from '@sinapse/tensor';
import { checkNotProbabilities } from './logitsCheck';
import { LOSS_OPTIONS, type LossOptions, reduce } from './reduction';
import { labelPositions } from './sparseLabels';

/**
 * {@link softmaxCrossEntropy} with the labels given as class indices instead of one-hot rows
 * (Keras `sparse_categorical_crossentropy(from_logits=True)`, PyTorch `cross_entropy` with
 * indices). It picks one log-probability per example instead of multiplying by a mostly-zero
 * matrix:
 *
 *   ℓ_n = −log softmax(z_n)_{y_n}
 *
 * The gradient is the same, (softmax(z_n) − onehot(y_n)) / N: gather sends −1/N to the picked
 * entry, and logSoftmax's rule turns that into p − onehot (see Note [The softmax cross-entropy
 * gradient] in softmaxCrossEntropy.ts).
 *
 * **Shape:** logits [N, C], indices [N] or [N, 1] (or [N, H, W, C] and [N, H, W] per pixel, one ℓ each).
 * Returns a scalar: 'mean' (default) is the mean of all the ℓ, 'sum' their sum; 'none' gives [N],
 * each example's mean (Note [Loss reductions] in reduction.ts).
 *
 * @param logits unnormalized scores
 * @param indices the true class of each example, integers in [0, C), as a tensor or a number[]
 * @param options `reduction`, default 'mean'
 * @throws ShapeError if indices do not have the logits' shape without the class axis.
 * @throws ValueError if an index is not an integer in [0, C), or if the logits look like a softmax
 *   output (Note [Softmax applied twice] in logitsCheck.ts).
 * @example
 * sparseSoftmaxCrossEntropy(tensor([[0, 0], [0, 0]]), [0, 1]).item(); // 0.6931… = ln 2
 */
export function sparseSoftmaxCrossEntropy(
  logits: Tensor,
  indices: Tensor | readonly number[],
  options: LossOptions = {},
): Tensor {
  const fn = 'sparseSoftmaxCrossEntropy';
  checkOptionNames(fn, options, LOSS_OPTIONS);
  const { positions, lossShape } = labelPositions(fn, logits, indices, 'softmaxCrossEntropy');
  checkNotProbabilities(fn, logits);
  const picked = gather(logSoftmax(logits).reshape([logits.size]), positions).reshape(lossShape);
  return reduce(fn, picked.neg(), options.reduction);
}
