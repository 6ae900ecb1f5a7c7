import { checkOptionNames, type Tensor } from '@sinapse/tensor';
import { checkSameShape, LOSS_OPTIONS, type LossOptions, reduce } from './reduction';

/**
 * Mean squared error, the loss for regression (TF.js `tf.losses.meanSquaredError`, Keras `mse`):
 *
 *   ℓ_n = (1/K) Σ_k (pred_nk − target_nk)²,   dℓ_n/dpred_nk = 2(pred_nk − target_nk) / K
 *
 * **Shape:** predictions and targets of the same shape, [N] or [N, …]. The element losses are the
 * squared errors. Returns a scalar: 'mean' (default) is the mean of all of them (TF.js, PyTorch),
 * 'sum' their sum (PyTorch `reduction='sum'`, TF.js `Reduction.SUM`; on [2, 3, 4] it adds 24
 * squares); 'none' gives [N], ℓ_n above, each example's mean (Note [Loss reductions] in reduction.ts).
 *
 * @param predictions the model's outputs
 * @param targets the wanted outputs, the same shape
 * @param options `reduction`, default 'mean'
 * @throws ShapeError if the shapes differ.
 * @example
 * meanSquaredError(tensor([1, 2]), tensor([1, 4])).item(); // 2 = (0² + 2²) / 2
 */
export function meanSquaredError(predictions: Tensor, targets: Tensor, options: LossOptions = {}): Tensor {
  checkOptionNames('meanSquaredError', options, LOSS_OPTIONS);
  checkSameShape('meanSquaredError', 'predictions', predictions, 'targets', targets);
  return reduce('meanSquaredError', predictions.sub(targets).square(), options.reduction);
}
