/**
 * `compile` (Keras `model.compile`): the optimizer, loss and metrics a model trains with, set once
 * so that `fit` and `evaluate` need no options. What was compiled is kept beside the model (a
 * WeakMap, so the model package knows nothing of it), along with what the last `fit` used: then
 * `evaluate` measures the loss the model was trained on, not a default one.
 */
import type { NoneUnlisted, UnlistedOptions } from '@sinapse/layers';
import { checkOptionNames } from '@sinapse/tensor';
import type { TrainableModel } from './model';
import { type Losses, type LossWeights, type Metrics, objective } from './objective';
import { getOptimizer, type OptimizerName } from './optimizers/index';
import type { Optimizer } from './optimizers/Optimizer';

/** Options of `model.compile(options)` and {@link compile}: what `fit` and `evaluate` use when not given. */
export interface CompileOptions {
  /** A name ('sgd', 'adam', 'adamw', 'rmsprop', with their defaults) or an Optimizer. Default 'sgd'. */
  optimizer?: OptimizerName | Optimizer;
  /** The loss (Keras's and TF.js's names work, e.g. 'sparse_categorical_crossentropy'), per output if several. Default 'softmaxCrossEntropy'. */
  loss?: Losses;
  /** Metrics logged beside the loss, e.g. ['accuracy']. Default ['accuracy']. */
  metrics?: Metrics;
  /** For several outputs: how much each output's loss counts. Default 1 each. */
  lossWeights?: LossWeights;
}

export const COMPILE_OPTIONS = [
  'optimizer',
  'loss',
  'metrics',
  'lossWeights',
] as const satisfies readonly (keyof CompileOptions)[];
// fails to compile if CompileOptions gains an option that the list above does not name
type _ = NoneUnlisted<UnlistedOptions<typeof COMPILE_OPTIONS, CompileOptions>>;

/** @internal What a model trains with: compile's options, the optimizer made once (its state lives on between fits). */
export interface TrainingSetup {
  optimizer?: Optimizer;
  loss?: Losses;
  metrics?: Metrics;
  lossWeights?: LossWeights;
}

const setups = new WeakMap<object, TrainingSetup>();

/**
 * Sets what `fit` and `evaluate` use when their options do not say (Keras `model.compile`). Names
 * are checked now, against the model's outputs, so a typo fails here rather than at the first batch.
 * @example
 * compile(model, { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
 * await fit(model, { x, y }, { epochs: 3 });
 */
export function compile(model: TrainableModel, options: CompileOptions = {}): void {
  checkOptionNames('compile', options ?? {}, COMPILE_OPTIONS);
  const { loss = 'softmaxCrossEntropy', metrics = ['accuracy'], lossWeights } = options;
  objective('compile', model, loss, metrics, lossWeights);
  setups.set(model, {
    optimizer: getOptimizer(options.optimizer ?? 'sgd', 'compile'),
    loss,
    metrics,
    ...(lossWeights !== undefined && { lossWeights }),
  });
}

/** @internal What `model` was compiled with, updated by each fit; empty if neither happened. */
export function trainingSetup(model: object): TrainingSetup {
  return setups.get(model) ?? {};
}

/** @internal Remembers what a fit used, for the evaluate that follows it. */
export function rememberSetup(model: object, setup: TrainingSetup): void {
  setups.set(model, { ...setups.get(model), ...setup });
}
