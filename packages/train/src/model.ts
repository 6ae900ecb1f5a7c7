import type { Parameter } from '@sinapse/layers';
import type { Tensor } from '@sinapse/tensor';

/**
 * What the training loop needs from a model. `Sequential` from @sinapse/models has all of it; any
 * object with these members (a hand-written model in a test, say) can be trained too.
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
}
