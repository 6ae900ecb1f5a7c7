/**
 * The training loop, Keras-shaped: `fit` repeats `trainStep` over batches and epochs, with
 * validation, metrics, callbacks and a History; `evaluate` measures a model without training it.
 *
 * One step is five lines (see trainStep):
 *   pred = model.apply(x, { training: true })        forward, recording the graph
 *   loss = lossFn(pred, y) + model.regularizationLoss()
 *   loss.backward()                                  every weight's .grad = dLoss/dWeight
 *   optimizer.step(model.trainableWeights)           w ← w − (step from .grad)
 *   model.zeroGrad()                                 so the next batch starts from 0
 * backward() releases the graph, so memory stays flat from one step to the next.
 */
import type { NoneUnlisted, UnlistedOptions } from '@sinapse/layers';
import {
  ConfigError,
  checkOptionNames,
  formatShape,
  Generator,
  getGenerator,
  noGrad,
  ShapeError,
  seed as seedGlobal,
  Tensor,
  ValueError,
} from '@sinapse/tensor';
import { type Callback, History, type Logs, type TrainingContext } from './callbacks/Callback';
import { type Batch, checkTensorData, type Data, isDataset, takeRange, tensorBatches } from './data';
import { getLoss, type LossFn, type LossName } from './losses/index';
import { accuracy, RunningMean } from './metrics';
import type { TrainableModel } from './model';
import { getOptimizer, type OptimizerName } from './optimizers/index';
import type { Optimizer } from './optimizers/Optimizer';

/** A metric fit can track: 'accuracy', or a function of (predictions, targets), logged under its name. */
export type Metric = 'accuracy' | ((pred: Tensor, y: Tensor) => number);

export interface TrainStepOptions {
  /** The loss, by name or as a function. */
  loss: LossName | LossFn;
  /** The optimizer, which keeps its state (momentum…) from one step to the next. */
  optimizer: Optimizer;
}

const TRAIN_STEP_OPTIONS = ['loss', 'optimizer'] as const satisfies readonly (keyof TrainStepOptions)[];

/**
 * One training step on one batch, the loop unrolled: forward (training mode), loss plus the
 * regularization penalty, backward, optimizer step, clear the gradients.
 *
 * @returns the loss of this batch, before the update
 * @example
 * const optimizer = new SGD({ learningRate: 0.1 });
 * for (let i = 0; i < 100; i++) trainStep(model, x, y, { loss: 'meanSquaredError', optimizer });
 */
export function trainStep(model: TrainableModel, x: Tensor, y: Tensor, options: TrainStepOptions): number {
  checkOptionNames('trainStep', options, TRAIN_STEP_OPTIONS);
  return step(model, x, y, getLoss(options.loss), options.optimizer).loss;
}

/**
 * The forward pass and the loss training minimizes: lossFn(pred, y) plus the weights' regularization
 * penalty. fit's steps (training mode) and evaluate (inference mode) both measure this loss.
 */
function forwardLoss(
  model: TrainableModel,
  x: Tensor,
  y: Tensor,
  lossFn: LossFn,
  training: boolean,
): { loss: Tensor; pred: Tensor } {
  const pred = model.apply(x, { training });
  const loss = lossFn(pred, y);
  const penalty = model.regularizationLoss();
  return { loss: penalty === null ? loss : loss.add(penalty), pred };
}

function step(
  model: TrainableModel,
  x: Tensor,
  y: Tensor,
  lossFn: LossFn,
  optimizer: Optimizer,
): { loss: number; pred: Tensor } {
  const { loss, pred } = forwardLoss(model, x, y, lossFn, true);
  loss.backward();
  optimizer.step(model.trainableWeights);
  model.zeroGrad();
  return { loss: loss.item(), pred: pred.detach() };
}

export interface FitOptions {
  /** Train until this epoch index (exclusive). Default 1; 0 (or ≤ initialEpoch) trains nothing and returns an empty History, as in Keras. */
  epochs?: number;
  /**
   * Examples per step, for { x, y } tensors. Default 32. A dataset brings its own batches
   * (`dataset.batch(n)`), so passing batchSize with one is a ConfigError (Keras raises too).
   */
  batchSize?: number;
  /** A name ('sgd', 'adam', 'rmsprop', with their defaults) or an Optimizer. Default 'sgd'. */
  optimizer?: OptimizerName | Optimizer;
  /** The loss, by name or as a function. Default 'softmaxCrossEntropy'. */
  loss?: LossName | LossFn;
  /** Metrics to log besides the loss. Default ['accuracy']; [] for none. */
  metrics?: readonly Metric[];
  /**
   * Data to evaluate after each epoch; its results are logged as val_loss, val_accuracy, … Either
   * { x, y }, a Keras-style [x, y] pair, or a dataset. Checked before training starts. When given,
   * it overrides validationSplit (Keras: "validation_data will override validation_split").
   */
  validationData?: Data | readonly [Tensor, Tensor];
  /**
   * Hold out this fraction of tensor data (the last examples, before shuffling) to validate on.
   * Ignored when validationData is given.
   */
  validationSplit?: number;
  /** Reshuffle tensor data every epoch. Default true. */
  shuffle?: boolean;
  /**
   * Makes every epoch reproducible on its own: epoch e shuffles with Generator(seed + e), and the
   * library-wide generator (dropout masks, augmentation that uses it) is reseeded from (seed, e) as
   * the epoch begins. So two runs with the same seed match, and a run resumed at `initialEpoch: e`
   * matches the uninterrupted one. Default: no reseeding; shuffling uses the global generator.
   */
  seed?: number;
  callbacks?: readonly Callback[];
  /** Start counting epochs here, to resume a run. Default 0. */
  initialEpoch?: number;
}

/** The option names fit accepts (unknown ones are refused, with a did-you-mean). */
const FIT_OPTIONS = [
  'epochs',
  'batchSize',
  'optimizer',
  'loss',
  'metrics',
  'validationData',
  'validationSplit',
  'shuffle',
  'seed',
  'callbacks',
  'initialEpoch',
] as const satisfies ReadonlyArray<keyof FitOptions>;

export interface EvaluateOptions {
  /** Examples per step, for { x, y } tensors. Default 32. A ConfigError with a dataset, which brings its own batches. */
  batchSize?: number;
  /** Default 'softmaxCrossEntropy'. */
  loss?: LossName | LossFn;
  /** Default ['accuracy']. */
  metrics?: readonly Metric[];
}

const EVALUATE_OPTIONS = ['batchSize', 'loss', 'metrics'] as const satisfies readonly (keyof EvaluateOptions)[];

// fail to compile if an options interface gains an option that its list above does not name
type _ = NoneUnlisted<
  | UnlistedOptions<typeof TRAIN_STEP_OPTIONS, TrainStepOptions>
  | UnlistedOptions<typeof FIT_OPTIONS, FitOptions>
  | UnlistedOptions<typeof EVALUATE_OPTIONS, EvaluateOptions>
>;

interface Tracker {
  loss: RunningMean;
  metrics: Array<{ name: string; fn: (pred: Tensor, y: Tensor) => number; mean: RunningMean }>;
}

/** Running means of the loss and of each metric; building one checks the metrics (`fn` names the caller). */
function tracker(fn: string, metrics: readonly Metric[]): Tracker {
  return {
    loss: new RunningMean(),
    metrics: metrics.map((m) => {
      if (m === 'accuracy') return { name: 'accuracy', fn: accuracy, mean: new RunningMean() };
      if (typeof m === 'function' && m.name !== '') return { name: m.name, fn: m, mean: new RunningMean() };
      throw new ConfigError(`${fn}: metrics must be 'accuracy' or named functions, but got ${String(m)}`);
    }),
  };
}

/** Starts the means over, for the next epoch or validation pass. */
function reset(t: Tracker): void {
  t.loss.reset();
  for (const m of t.metrics) m.mean.reset();
}

function update(t: Tracker, loss: number, pred: Tensor, y: Tensor): void {
  const n = pred.shape[0] ?? 1;
  t.loss.update(loss, n);
  for (const m of t.metrics) m.mean.update(m.fn(pred, y), n);
}

function results(t: Tracker, prefix = ''): Logs {
  const logs: Logs = { [`${prefix}loss`]: t.loss.result() };
  for (const m of t.metrics) logs[`${prefix}${m.name}`] = m.mean.result();
  return logs;
}

function checkPositiveInteger(fn: string, name: string, value: number, min = 1): void {
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${fn}: ${name} must be an integer ≥ ${min}, but got ${value}`);
  }
}

/**
 * A dataset batches by itself, so a batchSize passed with one would be ignored without a word
 * (Keras raises for batch_size with a dataset too).
 */
function checkNoBatchSizeWithDataset(fn: string, data: Data, batchSize: number | undefined): void {
  if (batchSize !== undefined && isDataset(data)) {
    throw new ConfigError(
      `${fn}: batchSize applies to { x, y } tensors; a dataset brings its own batches: call dataset.batch(n)`,
    );
  }
}

/**
 * validationData as fit accepts it: { x, y }, a Keras-style [x, y] pair, or a dataset. Tensors are
 * checked now (x and y agree, and each example has the training data's shape) rather than after
 * the first epoch of training.
 */
function checkValidationData(value: FitOptions['validationData'], train: Data): Data {
  let data: Data;
  if (Array.isArray(value)) {
    if (value.length !== 2 || !(value[0] instanceof Tensor) || !(value[1] instanceof Tensor)) {
      throw new ConfigError(
        `fit: validationData as an array must be [x, y], two tensors, but got ${value.length} elements` +
          `${value.length === 3 ? ' (sample weights are not supported)' : ''}`,
      );
    }
    data = { x: value[0], y: value[1] };
  } else {
    data = value as Data;
  }
  if (data === null || typeof data !== 'object') {
    throw new ConfigError(`fit: validationData must be { x, y }, [x, y] or a dataset, but got ${String(data)}`);
  }
  if (isDataset(data)) return data;
  const n = checkTensorData('fit', data, 'validationData');
  if (n === 0) throw new ValueError('fit: validationData has no examples');
  if (!isDataset(train)) {
    const a = train.x.shape.slice(1);
    const b = data.x.shape.slice(1);
    if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
      throw new ShapeError(
        `fit: validationData examples must have the training examples' shape, but got x ${formatShape(data.x.shape)} ` +
          `for training x ${formatShape(train.x.shape)}`,
      );
    }
  }
  return data;
}

async function* batchesOf(source: Iterable<Batch> | AsyncIterable<Batch>): AsyncIterable<Batch> {
  yield* source;
}

/**
 * Trains `model` on `data` for `epochs` epochs and returns the History (Keras `model.fit`).
 *
 * Each epoch: shuffle (tensor data), then for every batch one {@link trainStep}, then evaluate on
 * the validation data. Logs use Keras names: loss, accuracy, val_loss, val_accuracy. Training
 * loss and metrics are means over the epoch's batches, measured as the weights change (so they
 * lag behind the end-of-epoch val_ numbers).
 *
 * @example
 * const history = await fit(model, { x, y }, {
 *   epochs: 5, batchSize: 32, optimizer: new SGD({ learningRate: 0.05, momentum: 0.9 }),
 *   loss: 'sparseSoftmaxCrossEntropy', validationSplit: 0.1, callbacks: [progressLogger()],
 * });
 * history.history.val_accuracy; // one number per epoch
 * @throws ConfigError for invalid options, ShapeError when x and y disagree.
 */
export async function fit(model: TrainableModel, data: Data, options: FitOptions = {}): Promise<History> {
  checkOptionNames('fit', options, FIT_OPTIONS);
  checkNoBatchSizeWithDataset('fit', data, options.batchSize);
  const {
    epochs = 1,
    batchSize = 32,
    loss = 'softmaxCrossEntropy',
    metrics = ['accuracy'],
    shuffle = true,
    seed,
    callbacks = [],
    initialEpoch = 0,
    validationSplit = 0,
  } = options;
  checkPositiveInteger('fit', 'epochs', epochs, 0);
  checkPositiveInteger('fit', 'batchSize', batchSize);
  checkPositiveInteger('fit', 'initialEpoch', initialEpoch, 0);
  if (!(validationSplit >= 0 && validationSplit < 1)) {
    throw new ConfigError(`fit: validationSplit must be in [0, 1), but got ${validationSplit}`);
  }
  const lossFn = getLoss(loss);
  const optimizer = getOptimizer(options.optimizer ?? 'sgd');
  // built before any work, so a bad metric fails here; reset at each epoch and validation pass
  const trainTracker = tracker('fit', metrics);
  const valTracker = tracker('fit', metrics);

  let train: Data = data;
  let validation: Data | undefined;
  if (options.validationData !== undefined) {
    if (!isDataset(data)) checkTensorData('fit', data);
    validation = checkValidationData(options.validationData, data);
  } else if (validationSplit > 0) {
    if (isDataset(data))
      throw new ConfigError('fit: validationSplit needs { x, y } tensors; for a dataset pass validationData');
    const n = checkTensorData('fit', data);
    const cut = n - Math.floor(n * validationSplit);
    if (cut === n || cut === 0) {
      throw new ConfigError(`fit: validationSplit=${validationSplit} of ${n} examples leaves an empty split`);
    }
    train = takeRange(data, 0, cut);
    validation = takeRange(data, cut, n);
  }
  const samples = isDataset(train) ? (train.size ?? null) : checkTensorData('fit', train);
  if (samples === 0) throw new ValueError('fit: data has no examples');
  const steps = isDataset(train) ? (train.numBatches ?? null) : Math.ceil(samples! / batchSize);

  const history = new History();
  const ctx: TrainingContext = {
    model,
    optimizer,
    params: { epochs, initialEpoch, batchSize: isDataset(train) ? null : batchSize, steps, samples },
    history,
    stopTraining: false,
  };
  let logs: Logs = {};
  for (const cb of callbacks) await cb.onTrainBegin?.(ctx);
  for (let epoch = initialEpoch; epoch < epochs && !ctx.stopTraining; epoch++) {
    if (seed !== undefined) seedGlobal(epochSeed(seed, epoch));
    for (const cb of callbacks) await cb.onEpochBegin?.(epoch, ctx);
    reset(trainTracker);
    const rng = !shuffle ? null : seed === undefined ? getGenerator() : new Generator(seed + epoch);
    const source = isDataset(train) ? train.epoch(epoch) : tensorBatches(train, batchSize, rng);
    let batch = 0;
    for await (const { x, y } of batchesOf(source)) {
      const result = step(model, x, y, lossFn, optimizer);
      update(trainTracker, result.loss, result.pred, y);
      const batchLogs: Logs = { batch, size: x.shape[0] ?? 1, ...results(trainTracker) };
      for (const cb of callbacks) await cb.onBatchEnd?.(batch, batchLogs, ctx);
      batch++;
      if (ctx.stopTraining) break;
    }
    logs = results(trainTracker);
    if (validation !== undefined) {
      Object.assign(logs, await evaluateInto('fit', model, validation, batchSize, lossFn, valTracker, 'val_'));
    }
    for (const cb of callbacks) await cb.onEpochEnd?.(epoch, logs, ctx);
    history.record(epoch, logs);
  }
  for (const cb of callbacks) await cb.onTrainEnd?.(logs, ctx);
  return history;
}

/**
 * The model's loss and metrics on `data`, in inference mode (no dropout, batch-norm moving
 * statistics) and without recording gradients (Keras `model.evaluate`). Like Keras, the loss
 * includes the regularization penalty, so it is comparable to fit's loss.
 *
 * @returns e.g. `{ loss: 0.1234, accuracy: 0.9650 }`
 * @example
 * const { loss, accuracy } = await evaluate(model, { x: xTest, y: yTest }, { loss: 'sparseSoftmaxCrossEntropy' });
 */
export async function evaluate(model: TrainableModel, data: Data, options: EvaluateOptions = {}): Promise<Logs> {
  checkOptionNames('evaluate', options, EVALUATE_OPTIONS);
  checkNoBatchSizeWithDataset('evaluate', data, options.batchSize);
  const { batchSize = 32, loss = 'softmaxCrossEntropy', metrics = ['accuracy'] } = options;
  checkPositiveInteger('evaluate', 'batchSize', batchSize);
  const lossFn = getLoss(loss);
  return evaluateInto('evaluate', model, data, batchSize, lossFn, tracker('evaluate', metrics), '');
}

/**
 * Loss and metrics of `model` on `data`, measured into `t` (reset first).
 * @throws ValueError when the data has no examples: a loss of NaN would look like a diverged model.
 */
async function evaluateInto(
  fn: string,
  model: TrainableModel,
  data: Data,
  batchSize: number,
  lossFn: LossFn,
  t: Tracker,
  prefix: string,
): Promise<Logs> {
  reset(t);
  let source: Iterable<Batch> | AsyncIterable<Batch>;
  const what = prefix === '' ? 'data' : 'validationData';
  if (isDataset(data)) {
    source = data.epoch(0);
  } else {
    if (checkTensorData(fn, data, what) === 0) throw new ValueError(`${fn}: ${what} has no examples`);
    source = tensorBatches(data, batchSize, null);
  }
  let batches = 0;
  for await (const { x, y } of batchesOf(source)) {
    batches++;
    noGrad(() => {
      const { loss, pred } = forwardLoss(model, x, y, lossFn, false);
      update(t, loss.item(), pred, y);
    });
  }
  if (batches === 0) throw new ValueError(`${fn}: ${what} has no examples (the dataset yielded no batch)`);
  return results(t, prefix);
}

/** A well-mixed 32-bit seed for epoch `epoch` of a run seeded with `seed` (distinct from seed + epoch). */
function epochSeed(seed: number, epoch: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(epoch + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
