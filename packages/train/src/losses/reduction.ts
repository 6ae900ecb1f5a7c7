import { ConfigError, formatShape, ShapeError, type Tensor } from '@sinapse/tensor';

/**
 * How a loss turns the per-example losses ℓ_n (shape [N]) into what it returns:
 *   'mean' (the default): (1/N) Σ_n ℓ_n, a scalar. The gradient of each example is divided by N,
 *           so the step size does not depend on the batch size.
 *   'sum':  Σ_n ℓ_n, a scalar.
 *   'none': the vector of ℓ_n, shape [N] (for weighting examples yourself).
 */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options every loss accepts. */
export interface LossOptions {
  /** How to combine the per-example losses. Default 'mean'. */
  reduction?: Reduction;
}

/** A loss: predictions and targets in, a scalar (or per-example vector with reduction 'none') out. */
export type LossFn = (predictions: Tensor, targets: Tensor, options?: LossOptions) => Tensor;

/** @internal Applies the reduction to the per-example losses. */
export function reduce(fn: string, perExample: Tensor, reduction: Reduction = 'mean'): Tensor {
  if (reduction === 'mean') return perExample.mean();
  if (reduction === 'sum') return perExample.sum();
  if (reduction === 'none') return perExample;
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
