/**
 * What `fit` and `evaluate` accept as data: tensors held in memory, or a dataset that produces
 * batches (the @sinapse/data package provides one; any object with an `epoch` method works).
 */
import { formatShape, type Generator, gather, ShapeError, type Tensor, ValueError } from '@sinapse/tensor';

/** One batch: inputs and targets, examples along the first axis of both. */
export interface Batch {
  x: Tensor;
  y: Tensor;
}

/** Examples in memory: `x` [N, …] and `y` [N, …], the first axis indexes the examples. */
export interface TensorData {
  x: Tensor;
  y: Tensor;
}

/**
 * A source of batches, one pass per epoch. `fit` calls `epoch(e)` at the start of epoch e, so the
 * dataset can shuffle differently (and reproducibly) each epoch. It batches and shuffles by
 * itself: fit's `batchSize` and `shuffle` options apply only to {@link TensorData}.
 */
export interface DatasetLike {
  epoch(e: number): Iterable<Batch> | AsyncIterable<Batch>;
  /** Examples per epoch, if known (for progress and examples/s). */
  size?: number;
  /** Batches per epoch, if known (for progress bars and ETA). */
  numBatches?: number;
}

export type Data = TensorData | DatasetLike;

export function isDataset(data: Data): data is DatasetLike {
  return typeof (data as DatasetLike).epoch === 'function';
}

/** @internal Checks that x and y hold the same number of examples; returns it. */
export function checkTensorData(fn: string, data: TensorData, what = 'data'): number {
  const { x, y } = data;
  if (x === undefined || y === undefined) {
    throw new ValueError(`${fn}: ${what} must be { x, y } tensors or a dataset with an epoch(e) method`);
  }
  if (x.rank === 0 || y.rank === 0 || x.shape[0] !== y.shape[0]) {
    throw new ShapeError(
      `${fn}: ${what === 'data' ? '' : `${what} `}x and y must have the same number of examples along axis 0, but got x ${formatShape(x.shape)} and y ${formatShape(y.shape)}`,
    );
  }
  return x.shape[0]!;
}

/** @internal Examples [start, end) of x and y. */
export function takeRange(data: TensorData, start: number, end: number): TensorData {
  const rows = Int32Array.from({ length: end - start }, (_, i) => start + i);
  return { x: gather(data.x, rows), y: gather(data.y, rows) };
}

/**
 * @internal Splits tensors into batches of `batchSize` examples (the last one may be smaller),
 * in a random order drawn from `rng` if it is given.
 */
export function* tensorBatches(data: TensorData, batchSize: number, rng: Generator | null): Iterable<Batch> {
  const n = data.x.shape[0]!;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  if (rng !== null) rng.shuffle(order);
  for (let start = 0; start < n; start += batchSize) {
    const rows = order.subarray(start, Math.min(start + batchSize, n));
    yield { x: gather(data.x, rows), y: gather(data.y, rows) };
  }
}
