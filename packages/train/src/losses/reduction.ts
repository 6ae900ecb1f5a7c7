import { ConfigError, formatShape, ShapeError, type Tensor } from '@sinapse/tensor';

/**
 * Note [Loss reductions]
 * A loss first computes *element losses*: one number per prediction element for meanSquaredError
 * and binaryCrossentropy ((pred − target)² at every position), and one per row of class scores for
 * the cross-entropies (the class axis is summed inside ℓ). For predictions [N, d1, …] these have
 * shape [N, d1, …] (without the class axis for the cross-entropies); call their count M. Then:
 *   'mean' (the default): (1/M) Σ ℓ, over every element loss, a scalar. The gradient of each one is
 *           divided by M, so the step size does not depend on the batch size.
 *   'sum':  Σ ℓ, over every element loss, a scalar (PyTorch reduction='sum', TF.js Reduction.SUM).
 *   'none': the per-example loss ℓ_n = the mean of example n's element losses (over every axis
 *           but the first), shape [N], for weighting examples yourself.
 * So 'mean' = mean of 'none', but 'sum' = (M / N) · sum of 'none': for MSE on [2, 3, 4], 'sum' adds
 * 24 squared errors, while 'none' gives 2 means of 12. With [N] or [N, C] cross-entropy inputs,
 * M = N and 'sum' is the sum of 'none'. Keras's 'sum' differs (a mean over the last axis first).
 */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options every loss accepts. */
export interface LossOptions {
  /** How to combine the element losses (Note [Loss reductions]). Default 'mean'. */
  reduction?: Reduction;
}

export const LOSS_OPTIONS = ['reduction'] as const satisfies readonly (keyof LossOptions)[];

/** A loss: predictions and targets in, a scalar (or per-example vector with reduction 'none') out. */
export type LossFn = (predictions: Tensor, targets: Tensor, options?: LossOptions) => Tensor;

/** @internal Applies the reduction to the element losses [N, …] (Note [Loss reductions]). */
export function reduce(fn: string, elementLosses: Tensor, reduction: Reduction = 'mean'): Tensor {
  if (reduction === 'mean') return elementLosses.mean();
  if (reduction === 'sum') return elementLosses.sum();
  if (reduction === 'none') return meanPerExample(elementLosses);
  throw new ConfigError(`${fn}: reduction must be 'mean', 'sum' or 'none', but got '${String(reduction)}'`);
}

/** @internal Predictions and targets must have the same shape, with at least one axis (the batch). */
export function checkSameShape(
  fn: string,
  predName: string,
  pred: Tensor,
  targetName: string,
  target: Tensor,
  hint = '',
): void {
  if (pred.rank === 0) {
    throw new ShapeError(`${fn}: ${predName} must have a batch axis, but got a scalar`);
  }
  const same = pred.rank === target.rank && pred.shape.every((d, i) => d === target.shape[i]);
  if (!same) {
    throw new ShapeError(
      `${fn}: ${targetName} must have the ${predName}' shape ${formatShape(pred.shape)}, but got ${formatShape(target.shape)}${hint}`,
    );
  }
}

/**
 * @internal The mean over every axis but the first: one number per example, shape [N]. A rank-1
 * input is already one number per example.
 */
export function meanPerExample(x: Tensor): Tensor {
  if (x.rank === 1) return x;
  const axes: number[] = [];
  for (let a = 1; a < x.rank; a++) axes.push(a);
  return x.mean(axes);
}
