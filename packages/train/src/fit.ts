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
  detectAnomaly,
  formatShape,
  Generator,
  getGenerator,
  noGrad,
  ShapeError,
  seed as seedGlobal,
  type Tensor,
  ValueError,
} from '@sinapse/tensor';
import { type Callback, History, type Logs, type TrainingContext } from './callbacks/Callback';
import { progressLogger } from './callbacks/progressLogger';
import { rememberSetup, trainingSetup } from './compile';
import {
  type ArrayData,
  type Batch,
  batchExamples,
  type Data,
  type Examples,
  isDataset,
  type TensorData,
  takeRange,
  tensorBatches,
  toExamples,
} from './data';
import { checkFiniteData, type NanGuard, nonFiniteLossMessage } from './finite';
import type { Metric } from './metricNames';
import { outputNamesOf, type TrainableModel } from './model';
import {
  forwardLoss,
  type Losses,
  type LossWeights,
  type Metrics,
  type Objective,
  objective,
  Tracker,
} from './objective';
import { getOptimizer, type OptimizerName } from './optimizers/index';
import type { Optimizer } from './optimizers/Optimizer';

export type { Metric };

/** Options of {@link trainStep}: one forward, backward and optimizer step on one batch. */
export interface TrainStepOptions {
  /** The loss, by name or as a function (per output, for a model with several). */
  loss: Losses;
  /** The optimizer, which keeps its state (momentum…) from one step to the next. */
  optimizer: Optimizer;
  /** For several outputs: how much each output's loss counts. Default 1 each. */
  lossWeights?: LossWeights;
}

const TRAIN_STEP_OPTIONS = ['loss', 'optimizer', 'lossWeights'] as const satisfies readonly (keyof TrainStepOptions)[];

/**
 * One training step on one batch, the loop unrolled: forward (training mode), loss plus the
 * regularization penalty, backward, optimizer step, clear the gradients. x and y are lists for a
 * model with several inputs or outputs.
 *
 * @returns the loss of this batch, before the update
 * @example
 * const optimizer = new SGD({ learningRate: 0.1 });
 * for (let i = 0; i < 100; i++) trainStep(model, x, y, { loss: 'meanSquaredError', optimizer });
 */
export function trainStep(
  model: TrainableModel,
  x: ArrayData | readonly ArrayData[],
  y: ArrayData | readonly ArrayData[],
  options: TrainStepOptions,
): number {
  checkOptionNames('trainStep', options, TRAIN_STEP_OPTIONS);
  const { examples } = toExamples('trainStep', model, { x, y });
  const obj = objective('trainStep', model, options.loss, [], options.lossWeights);
  return step(model, examples, obj, options.optimizer).loss;
}

function step(
  model: TrainableModel,
  { xs, ys }: Examples,
  obj: Objective,
  optimizer: Optimizer,
): { loss: number; outputLosses: number[]; preds: Tensor[] } {
  const { loss, outputLosses, preds } = forwardLoss(model, xs, ys, obj, true);
  loss.backward();
  optimizer.step(model.trainableWeights);
  model.zeroGrad();
  return { loss: loss.item(), outputLosses: outputLosses.map((l) => l.item()), preds: preds.map((p) => p.detach()) };
}

/** Options of {@link fit} and `model.fit(x, y, options)` (Keras names, camelCase). */
export interface FitOptions {
  /** Train until this epoch index (exclusive). Default 1; 0 (or ≤ initialEpoch) trains nothing and returns an empty History, as in Keras. */
  epochs?: number;
  /**
   * Examples per step, for { x, y } tensors. Default 32. A dataset brings its own batches
   * (`dataset.batch(n)`), so passing batchSize with one is a ConfigError (Keras raises too).
   */
  batchSize?: number;
  /** A name ('sgd', 'adam', 'adamw', 'rmsprop', with their defaults) or an Optimizer. Default: compile's, else 'sgd'. */
  optimizer?: OptimizerName | Optimizer;
  /**
   * The loss, by name (Keras's and TF.js's names work) or as a function; for several outputs one
   * for all, a list, or an object keyed by output name. Default: compile's, else 'softmaxCrossEntropy'.
   */
  loss?: Losses;
  /** Metrics to log besides the loss (per output: a list of lists or an object). Default: compile's, else ['accuracy']; [] for none. */
  metrics?: Metrics;
  /** For several outputs: how much each output's loss counts in the total. Default: compile's, else 1 each. */
  lossWeights?: LossWeights;
  /**
   * Data to evaluate after each epoch; its results are logged as val_loss, val_accuracy, … Either
   * { x, y }, a Keras-style [x, y] pair, or a dataset. Checked before training starts. When given,
   * it overrides validationSplit (Keras: "validation_data will override validation_split").
   */
  validationData?: Data | readonly [ArrayData | readonly ArrayData[], ArrayData | readonly ArrayData[]];
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
  /**
   * Hooks into the loop: a list, or one callback object (TF.js's `callbacks: { onEpochEnd(epoch, logs) {...} }`).
   * See Callback.
   */
  callbacks?: readonly Callback[] | Callback;
  /**
   * 0 (the default) prints nothing; 1 or 2 print one line per epoch with the logs (progressLogger),
   * as Keras's verbose=2 does. For a terminal progress bar, add progressBar() from @sinapse/train/node.
   */
  verbose?: 0 | 1 | 2;
  /** Start counting epochs here, to resume a run. Default 0. */
  initialEpoch?: number;
  /**
   * What to do about NaN and ±Infinity. 'error' (the default): tensor data (x, y and validation
   * data) holding one is refused before training, naming the first example and position, and the
   * first batch whose loss is not finite stops training with a ValueError naming the epoch, the
   * batch, the loss and the likely causes (unless a callback such as terminateOnNaN() stopped
   * training at that batch). 'warn': the same messages through console.warn (once for the loss),
   * and training goes on. 'off': no checks (Keras's behaviour). The loss check reads the number the
   * step returns for the logs anyway, so it costs nothing; the data check is one pass over it.
   */
  nanGuard?: NanGuard;
  /**
   * Runs the whole fit in anomaly mode (see `detectAnomaly` in @sinapse/tensor): the first op whose
   * forward output or backward gradients hold a NaN or ±Infinity computed from finite values
   * throws a ValueError naming the op and its layer. Several times slower: for debugging. Default false.
   */
  detectAnomaly?: boolean;
}

/** The option names fit accepts (unknown ones are refused, with a did-you-mean). */
const FIT_OPTIONS = [
  'epochs',
  'batchSize',
  'optimizer',
  'loss',
  'metrics',
  'lossWeights',
  'validationData',
  'validationSplit',
  'shuffle',
  'seed',
  'callbacks',
  'verbose',
  'initialEpoch',
  'nanGuard',
  'detectAnomaly',
] as const satisfies ReadonlyArray<keyof FitOptions>;

/** Options of {@link evaluate} and `model.evaluate(x, y, options)`. */
export interface EvaluateOptions {
  /** Examples per step, for { x, y } tensors. Default 32. A ConfigError with a dataset, which brings its own batches. */
  batchSize?: number;
  /** Default: what the model was compiled with or last fitted with, else 'softmaxCrossEntropy'. */
  loss?: Losses;
  /** Default: compile's or the last fit's, else ['accuracy']. */
  metrics?: Metrics;
  /** Default: compile's or the last fit's, else 1 each. */
  lossWeights?: LossWeights;
}

const EVALUATE_OPTIONS = [
  'batchSize',
  'loss',
  'metrics',
  'lossWeights',
] as const satisfies readonly (keyof EvaluateOptions)[];

// fail to compile if an options interface gains an option that its list above does not name
type _ = NoneUnlisted<
  | UnlistedOptions<typeof TRAIN_STEP_OPTIONS, TrainStepOptions>
  | UnlistedOptions<typeof FIT_OPTIONS, FitOptions>
  | UnlistedOptions<typeof EVALUATE_OPTIONS, EvaluateOptions>
>;

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

/** Data for the loop: a dataset as it is, or tensor data converted and checked once. */
type LoopData = { dataset: Data & { epoch: unknown } } | { examples: Examples; n: number };

function loopData(fn: string, model: TrainableModel, data: Data, what = 'data'): LoopData {
  if (isDataset(data)) return { dataset: data };
  return toExamples(fn, model, data as TensorData, what);
}

/**
 * validationData as fit accepts it: { x, y }, a Keras-style [x, y] pair, or a dataset. Tensors are
 * checked now (x and y agree, and each example has the training data's shape) rather than after
 * the first epoch of training.
 */
function checkValidationData(model: TrainableModel, value: FitOptions['validationData'], train: LoopData): LoopData {
  let data: Data;
  if (Array.isArray(value)) {
    if (value.length !== 2) {
      throw new ConfigError(
        `fit: validationData as an array must be [x, y], but got ${value.length} elements` +
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
  const validation = loopData('fit', model, data, 'validationData');
  if ('examples' in validation) {
    if (validation.n === 0) throw new ValueError('fit: validationData has no examples');
    if ('examples' in train) {
      validation.examples.xs.forEach((v, i) => {
        const t = train.examples.xs[i]!;
        const a = t.shape.slice(1);
        const b = v.shape.slice(1);
        if (a.length !== b.length || a.some((d, k) => d !== b[k])) {
          throw new ShapeError(
            `fit: validationData examples must have the training examples' shape, but got x ${formatShape(v.shape)} ` +
              `for training x ${formatShape(t.shape)}`,
          );
        }
      });
    }
  }
  return validation;
}

/** One epoch's batches, as lists of tensors. */
async function* batchesOf(
  fn: string,
  model: TrainableModel,
  data: LoopData,
  batchSize: number,
  rng: Generator | null,
  epoch: number,
): AsyncIterable<Examples> {
  if ('examples' in data) {
    yield* tensorBatches(data.examples, batchSize, rng);
    return;
  }
  const outputs = outputNamesOf(model).length;
  for await (const batch of (data.dataset as { epoch(e: number): Iterable<Batch> | AsyncIterable<Batch> }).epoch(
    epoch,
  )) {
    yield batchExamples(fn, batch, null, outputs);
  }
}

/**
 * The loss, metrics, loss weights and optimizer a fit or evaluate uses: its options, else what
 * the model was compiled with (or last fitted with), else the defaults.
 */
function resolveSetup(
  model: TrainableModel,
  options: { loss?: Losses; metrics?: Metrics; lossWeights?: LossWeights; optimizer?: OptimizerName | Optimizer },
  fn: string,
): { loss: Losses; metrics: Metrics; lossWeights?: LossWeights; optimizer: () => Optimizer } {
  const setup = trainingSetup(model);
  const lossWeights = options.lossWeights ?? setup.lossWeights;
  return {
    loss: options.loss ?? setup.loss ?? 'softmaxCrossEntropy',
    metrics: options.metrics ?? setup.metrics ?? ['accuracy'],
    ...(lossWeights !== undefined && { lossWeights }),
    optimizer: () =>
      options.optimizer !== undefined
        ? getOptimizer(options.optimizer, fn)
        : (setup.optimizer ?? getOptimizer('sgd', fn)),
  };
}

/** fit's callbacks as a list: one object or a list, plus a progressLogger for verbose 1 or 2. */
function callbackList(callbacks: FitOptions['callbacks'], verbose: FitOptions['verbose'] = 0): Callback[] {
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) {
    throw new ConfigError(`fit: verbose must be 0, 1 or 2, but got ${JSON.stringify(verbose)}`);
  }
  const list: Callback[] =
    callbacks === undefined ? [] : Array.isArray(callbacks) ? [...callbacks] : [callbacks as Callback];
  for (const cb of list) {
    if (typeof cb !== 'object' || cb === null) {
      throw new ConfigError(`fit: callbacks must be objects with onEpochEnd(...) and the like, but got ${String(cb)}`);
    }
  }
  return verbose === 0 ? list : [...list, progressLogger()];
}

/**
 * Trains `model` on `data` for `epochs` epochs and returns the History (Keras `model.fit`).
 *
 * Each epoch: shuffle (tensor data), then for every batch one {@link trainStep}, then evaluate on
 * the validation data. Logs use Keras names: loss, accuracy, val_loss, val_accuracy (and
 * `<output>_loss`, `<output>_accuracy` for several outputs). Training loss and metrics are means
 * over the epoch's batches, measured as the weights change (so they lag behind the end-of-epoch
 * val_ numbers). Options not given come from `compile`, then the defaults.
 *
 * @example
 * const history = await fit(model, { x, y }, {
 *   epochs: 5, batchSize: 32, optimizer: new SGD({ learningRate: 0.05, momentum: 0.9 }),
 *   loss: 'sparseSoftmaxCrossEntropy', validationSplit: 0.1, callbacks: [progressLogger()],
 * });
 * history.history.val_accuracy; // one number per epoch
 * @throws ConfigError for invalid options, ShapeError when x and y disagree, ValueError for NaN or
 *   ±Infinity in tensor data or a non-finite loss (see nanGuard; detectAnomaly finds where).
 */
export async function fit(model: TrainableModel, data: Data, options: FitOptions = {}): Promise<History> {
  if (options?.detectAnomaly === true) return detectAnomaly(() => fitLoop(model, data, options));
  return fitLoop(model, data, options);
}

async function fitLoop(model: TrainableModel, data: Data, options: FitOptions): Promise<History> {
  checkOptionNames('fit', options ?? {}, FIT_OPTIONS);
  checkNoBatchSizeWithDataset('fit', data, options.batchSize);
  const { epochs = 1, batchSize = 32, shuffle = true, seed, initialEpoch = 0, validationSplit = 0 } = options;
  checkPositiveInteger('fit', 'epochs', epochs, 0);
  checkPositiveInteger('fit', 'batchSize', batchSize);
  checkPositiveInteger('fit', 'initialEpoch', initialEpoch, 0);
  if (!(validationSplit >= 0 && validationSplit < 1)) {
    throw new ConfigError(`fit: validationSplit must be in [0, 1), but got ${validationSplit}`);
  }
  const { nanGuard = 'error', detectAnomaly: anomaly = false } = options;
  if (typeof anomaly !== 'boolean') {
    throw new ConfigError(`fit: detectAnomaly must be true or false, but got ${JSON.stringify(anomaly)}`);
  }
  if (nanGuard !== 'error' && nanGuard !== 'warn' && nanGuard !== 'off') {
    throw new ConfigError(`fit: nanGuard must be 'error', 'warn' or 'off', but got ${JSON.stringify(nanGuard)}`);
  }
  const callbacks = callbackList(options.callbacks, options.verbose);
  const setup = resolveSetup(model, options, 'fit');
  // resolved before any work, so a bad name fails here
  const obj = objective('fit', model, setup.loss, setup.metrics, setup.lossWeights);
  const optimizer = setup.optimizer();
  const trainTracker = new Tracker(obj);
  const valTracker = new Tracker(obj);

  let train = loopData('fit', model, data);
  const warn = (line: string): void => console.warn(line);
  if ('examples' in train) checkFiniteData('data', train.examples.xs, train.examples.ys, nanGuard, warn);
  let validation: LoopData | undefined;
  if (options.validationData !== undefined) {
    validation = checkValidationData(model, options.validationData, train);
    if ('examples' in validation) {
      checkFiniteData('validationData', validation.examples.xs, validation.examples.ys, nanGuard, warn);
    }
  } else if (validationSplit > 0) {
    if (!('examples' in train))
      throw new ConfigError('fit: validationSplit needs { x, y } tensors; for a dataset pass validationData');
    const { examples, n } = train;
    const cut = n - Math.floor(n * validationSplit);
    if (cut === n || cut === 0) {
      throw new ConfigError(`fit: validationSplit=${validationSplit} of ${n} examples leaves an empty split`);
    }
    train = { examples: takeRange(examples, 0, cut), n: cut };
    validation = { examples: takeRange(examples, cut, n), n: n - cut };
  }
  const dataset = 'dataset' in train ? (train.dataset as { size?: number; numBatches?: number }) : null;
  const samples = dataset !== null ? (dataset.size ?? null) : (train as { n: number }).n;
  if (samples === 0) throw new ValueError('fit: data has no examples');
  const steps = dataset !== null ? (dataset.numBatches ?? null) : Math.ceil(samples! / batchSize);
  rememberSetup(model, { optimizer, loss: setup.loss, metrics: setup.metrics, lossWeights: setup.lossWeights });

  const history = new History();
  const ctx: TrainingContext = {
    model,
    optimizer,
    params: { epochs, initialEpoch, batchSize: dataset !== null ? null : batchSize, steps, samples },
    history,
    stopTraining: false,
  };
  let logs: Logs = {};
  let warnedLoss = false;
  for (const cb of callbacks) await cb.onTrainBegin?.(ctx);
  for (let epoch = initialEpoch; epoch < epochs && !ctx.stopTraining; epoch++) {
    if (seed !== undefined) seedGlobal(epochSeed(seed, epoch));
    for (const cb of callbacks) await cb.onEpochBegin?.(epoch, ctx);
    trainTracker.reset();
    const rng = !shuffle ? null : seed === undefined ? getGenerator() : new Generator(seed + epoch);
    let batch = 0;
    for await (const examples of batchesOf('fit', model, train, batchSize, rng, epoch)) {
      const result = step(model, examples, obj, optimizer);
      trainTracker.update(result.loss, result.outputLosses, result.preds, examples.ys);
      const batchLogs: Logs = { batch, size: examples.xs[0]!.shape[0] ?? 1, ...trainTracker.results() };
      for (const cb of callbacks) await cb.onBatchEnd?.(batch, batchLogs, ctx);
      // the NaN guard, after the callbacks so that one which stops training here (terminateOnNaN) wins
      if (!Number.isFinite(result.loss) && nanGuard !== 'off' && !ctx.stopTraining && !warnedLoss) {
        // tensor data was checked before training; a dataset's batch is checked now, on failure only
        const batchData = 'examples' in train ? null : examples;
        const message = nonFiniteLossMessage(epoch, epochs, batch, result.loss, optimizer.learningRate, batchData);
        if (nanGuard === 'error') throw new ValueError(message);
        warn(message);
        warnedLoss = true;
      }
      batch++;
      if (ctx.stopTraining) break;
    }
    logs = trainTracker.results();
    if (validation !== undefined) {
      Object.assign(logs, await evaluateInto('fit', model, validation, batchSize, obj, valTracker, 'val_'));
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
 * includes the regularization penalty, so it is comparable to fit's loss. Without a `loss`
 * option it measures the loss the model was compiled with, or last trained with.
 *
 * @returns e.g. `{ loss: 0.1234, accuracy: 0.9650 }`
 * @example
 * const { loss, accuracy } = await evaluate(model, { x: xTest, y: yTest }, { loss: 'sparseSoftmaxCrossEntropy' });
 */
export async function evaluate(model: TrainableModel, data: Data, options: EvaluateOptions = {}): Promise<Logs> {
  checkOptionNames('evaluate', options ?? {}, EVALUATE_OPTIONS);
  checkNoBatchSizeWithDataset('evaluate', data, options.batchSize);
  const { batchSize = 32 } = options;
  checkPositiveInteger('evaluate', 'batchSize', batchSize);
  const setup = resolveSetup(model, options, 'evaluate');
  const obj = objective('evaluate', model, setup.loss, setup.metrics, setup.lossWeights);
  return evaluateInto('evaluate', model, loopData('evaluate', model, data), batchSize, obj, new Tracker(obj), '');
}

/**
 * Loss and metrics of `model` on `data`, measured into `t` (reset first).
 * @throws ValueError when the data has no examples: a loss of NaN would look like a diverged model.
 */
async function evaluateInto(
  fn: string,
  model: TrainableModel,
  data: LoopData,
  batchSize: number,
  obj: Objective,
  t: Tracker,
  prefix: string,
): Promise<Logs> {
  t.reset();
  const what = prefix === '' ? 'data' : 'validationData';
  if ('examples' in data && data.n === 0) throw new ValueError(`${fn}: ${what} has no examples`);
  let batches = 0;
  for await (const { xs, ys } of batchesOf(fn, model, data, batchSize, null, 0)) {
    batches++;
    noGrad(() => {
      const { loss, outputLosses, preds } = forwardLoss(model, xs, ys, obj, false);
      t.update(
        loss.item(),
        outputLosses.map((l) => l.item()),
        preds,
        ys,
      );
    });
  }
  if (batches === 0) throw new ValueError(`${fn}: ${what} has no examples (the dataset yielded no batch)`);
  return t.results(prefix);
}

/** A well-mixed 32-bit seed for epoch `epoch` of a run seeded with `seed` (distinct from seed + epoch). */
function epochSeed(seed: number, epoch: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(epoch + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
