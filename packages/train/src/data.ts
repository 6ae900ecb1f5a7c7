/**
 * What `fit` and `evaluate` accept as data: examples held in memory (tensors, or plain values that
 * `tensor()` takes: nested arrays, typed arrays), or a dataset that produces batches (the
 * @sinapse/data package provides one; any object with an `epoch` method works). A model with
 * several inputs takes a list of them as x, one with several outputs a list as y.
 *
 * Inside the loop everything is one shape, {@link Examples}: a list of tensors per side.
 */
import {
  ConfigError,
  formatShape,
  type Generator,
  gather,
  ShapeError,
  Tensor,
  type TensorInput,
  tensor,
  ValueError,
} from '@sinapse/tensor';
import { outputNamesOf, type TrainableModel } from './model';

/** One input's (or output's) examples: a tensor, or values `tensor()` accepts. */
export type ArrayData = Tensor | TensorInput;

/** One batch from a dataset: inputs and targets, examples along the first axis (a list for several). */
export interface Batch {
  /** The inputs: `[B, …]`, e.g. `[32, 28, 28, 1]` for MNIST (a list for a model with several inputs). */
  x: Tensor | readonly Tensor[];
  /** The targets: `[B]` class indices or `[B, classes]` (a list for several outputs). */
  y: Tensor | readonly Tensor[];
}

/**
 * Examples in memory: `x` [N, …] and `y` [N, …], the first axis indexes the examples. A
 * multi-input model takes a list as x, a multi-output model a list as y (one entry per output).
 */
export interface TensorData {
  /** The inputs, `[N, …]`. */
  x: ArrayData | readonly ArrayData[];
  /** The targets, `[N, …]`, the same N. */
  y: ArrayData | readonly ArrayData[];
}

/**
 * A source of batches, one pass per epoch. `fit` calls `epoch(e)` at the start of epoch e, so the
 * dataset can shuffle differently (and reproducibly) each epoch. It batches and shuffles by
 * itself: fit's `batchSize` and `shuffle` options apply only to {@link TensorData}.
 */
export interface DatasetLike {
  /** The batches of epoch `e` (counted from 0), in order; sync or async. */
  epoch(e: number): Iterable<Batch> | AsyncIterable<Batch>;
  /** Examples per epoch, if known (for progress and examples/s). */
  size?: number;
  /** Batches per epoch, if known (for progress bars and ETA). */
  numBatches?: number;
}

/** What `fit` and `evaluate` take as data: `{ x, y }` in memory or a dataset. */
export type Data = TensorData | DatasetLike;

/** @internal Examples as the loop uses them: one tensor per model input and per output, N examples each. */
export interface Examples {
  xs: Tensor[];
  ys: Tensor[];
}

export function isDataset(data: unknown): data is DatasetLike {
  return typeof data === 'object' && data !== null && typeof (data as DatasetLike).epoch === 'function';
}

/**
 * @internal Tensor data as one tensor per input and per output, with the same number of examples
 * in each: returns them and that number.
 * @throws ValueError for a missing x or y or values that are not numbers (ragged arrays say so);
 *   ShapeError when the counts differ.
 */
export function toExamples(
  fn: string,
  model: TrainableModel,
  data: TensorData,
  what = 'data',
): { examples: Examples; n: number } {
  if (data === null || typeof data !== 'object' || data.x === undefined || data.y === undefined) {
    throw new ValueError(`${fn}: ${what} must be { x, y } (tensors or arrays) or a dataset with an epoch(e) method`);
  }
  const label = what === 'data' ? '' : `${what} `;
  const xs = model.toInputs !== undefined ? model.toInputs(fn, data.x) : [toTensorData(`${fn}: ${label}x`, data.x)];
  const ys = toTargets(`${fn}: ${label}y`, data.y, outputNamesOf(model).length);
  const all = [...xs, ...ys];
  if (all.some((t) => t.rank === 0) || all.some((t) => t.shape[0] !== all[0]!.shape[0])) {
    const shapes = (ts: Tensor[]): string => ts.map((t) => formatShape(t.shape)).join(', ');
    throw new ShapeError(
      `${fn}: ${label}x and y must have the same number of examples along axis 0, but got x ${shapes(xs)} and y ${shapes(ys)}`,
    );
  }
  return { examples: { xs, ys }, n: all[0]!.shape[0]! };
}

/** One entry per output: a list for a multi-output model, the targets themselves for one output. */
function toTargets(who: string, y: unknown, outputs: number): Tensor[] {
  if (outputs === 1) {
    if (Array.isArray(y) && y.length === 1 && y[0] instanceof Tensor) return [y[0]];
    return [toTensorData(who, y)];
  }
  if (!Array.isArray(y) || y.length !== outputs) {
    const got = Array.isArray(y) ? `a list of ${y.length}` : y instanceof Tensor ? 'one tensor' : typeof y;
    throw new ValueError(
      `${who}: the model has ${outputs} outputs, so y is a list of ${outputs} targets, but got ${got}`,
    );
  }
  return y.map((t, i) => toTensorData(`${who} ${i}`, t));
}

/** A tensor as given, or plain values through tensor(), with its error naming `who`. */
function toTensorData(who: string, value: unknown): Tensor {
  if (value instanceof Tensor) return value;
  try {
    return tensor(value as TensorInput);
  } catch (err) {
    throw new ValueError(`${who}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** @internal A dataset's batch as lists, checked: one tensor per input and per output. */
export function batchExamples(fn: string, batch: Batch, inputs: number | null, outputs: number): Examples {
  const list = (v: Tensor | readonly Tensor[]): Tensor[] => (Array.isArray(v) ? [...v] : [v as Tensor]);
  if (batch === null || typeof batch !== 'object' || batch.x === undefined || batch.y === undefined) {
    throw new ConfigError(`${fn}: a dataset's batches must be { x, y }, but got ${String(batch)}`);
  }
  const examples = { xs: list(batch.x), ys: list(batch.y) };
  for (const [side, ts, count] of [
    ['x', examples.xs, inputs],
    ['y', examples.ys, outputs],
  ] as const) {
    if ((count !== null && ts.length !== count) || ts.some((t) => !(t instanceof Tensor))) {
      throw new ConfigError(
        `${fn}: a dataset batch's ${side} must be ${count === 1 || count === null ? 'a tensor' : `a list of ${count} tensors`}, ` +
          `but got ${ts.length} value(s)`,
      );
    }
  }
  return examples;
}

/** @internal Examples [start, end). */
export function takeRange(data: Examples, start: number, end: number): Examples {
  const rows = Int32Array.from({ length: end - start }, (_, i) => start + i);
  return { xs: data.xs.map((t) => gather(t, rows)), ys: data.ys.map((t) => gather(t, rows)) };
}

/**
 * @internal Splits examples into batches of `batchSize` (the last one may be smaller), in a
 * random order drawn from `rng` if it is given.
 */
export function* tensorBatches(data: Examples, batchSize: number, rng: Generator | null): Iterable<Examples> {
  const n = data.xs[0]!.shape[0]!;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  if (rng !== null) rng.shuffle(order);
  for (let start = 0; start < n; start += batchSize) {
    const rows = order.subarray(start, Math.min(start + batchSize, n));
    yield { xs: data.xs.map((t) => gather(t, rows)), ys: data.ys.map((t) => gather(t, rows)) };
  }
}
