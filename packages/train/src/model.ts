import type { Parameter } from '@sinapse/layers';
import type { Tensor } from '@sinapse/tensor';

/**
 * What the training loop needs from a model. Every `Model` from @sinapse/models (functional,
 * Sequential, subclassed) has all of it; any object with the required members (a hand-written
 * model in a test, say) can be trained too, with one input and one output.
 */
export interface TrainableModel {
  /** The forward pass. `training: true` turns on dropout and batch statistics. */
  apply(x: Tensor, options?: { training?: boolean }): Tensor;
  /** Every weight, trainable or not (batch-norm statistics too): what earlyStopping snapshots. */
  readonly weights: Parameter[];
  /** The weights the optimizer updates. */
  readonly trainableWeights: Parameter[];
  /** Σ of the weights' regularization penalties, or null when there are none. */
  regularizationLoss(): Tensor | null;
  /** Clears every weight's `.grad`. */
  zeroGrad(): void;
  /** Several inputs and outputs: the forward pass on one tensor per input, one tensor per output (Model has it). */
  run?(inputs: readonly Tensor[], training: boolean): Tensor[];
  /** Plain values (nested arrays, typed arrays) as one tensor per input, shaped by the model's input shapes (Model has it). */
  toInputs?(method: string, x: unknown): Tensor[];
  /** The outputs' names, which multi-output logs and per-output losses use (Model has it). Default: one output. */
  readonly outputNames?: readonly string[];
}

/** The names of the model's outputs: ['output'] for a model that does not say. */
export function outputNamesOf(model: TrainableModel): readonly string[] {
  return model.outputNames ?? ['output'];
}

/** The forward pass on one tensor per input, as one tensor per output. */
export function forward(model: TrainableModel, xs: readonly Tensor[], training: boolean): Tensor[] {
  if (model.run !== undefined) return model.run(xs, training);
  return [model.apply(xs[0]!, { training })];
}
