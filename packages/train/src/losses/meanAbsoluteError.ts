import { abs, checkOptionNames, type Tensor } from '@sinapse/tensor';
import { checkSameShape, LOSS_OPTIONS, type LossOptions, reduce } from './reduction';

/**
 * Mean absolute error, the L1 loss for regression (Keras `mae`, TF.js `tf.losses.absoluteDifference`,
 * PyTorch `l1_loss`):
 *
 *   ℓ_nk = |pred_nk − target_nk|,   dℓ/dpred = sign(pred − target)
 *
 * Its gradient has the same size however far off a prediction is, so a few outliers pull less
 * than they do under {@link meanSquaredError} (whose gradient grows with the error).
 *
 * **Shape:** predictions and targets of the same shape, [N] or [N, …]. 'mean' (default) is the mean
 * of every |error|, 'sum' their sum, 'none' gives [N], each example's mean (Note [Loss reductions]).
 *
 * @throws ShapeError if the shapes differ.
 * @example
 * meanAbsoluteError(tensor([1, 2]), tensor([1, 4])).item(); // 1 = (0 + 2) / 2
 */
export function meanAbsoluteError(predictions: Tensor, targets: Tensor, options: LossOptions = {}): Tensor {
  checkOptionNames('meanAbsoluteError', options, LOSS_OPTIONS);
  checkSameShape('meanAbsoluteError', 'predictions', predictions, 'targets', targets);
  return reduce('meanAbsoluteError', abs(predictions.sub(targets)), options.reduction);
}
