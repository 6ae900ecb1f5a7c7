/**
 * A Dataset is a pair of tensors (inputs x, targets y, examples along the first axis) plus a
 * recipe for walking them: which examples, in what order each epoch, in batches of what size,
 * and which per-batch transforms to apply. Every method returns a new Dataset and leaves the old
 * one as it was, so recipes can be built in steps:
 *
 *   const { train, validation } = Dataset.fromTensors({ x, y }).split(0.1);
 *   const batches = train.shuffle({ seed: 0 }).batch(64).map(randomShift({ seed: 1 }));
 *   for (const { x, y } of batches.epoch(3)) { ... }
 *
 * Nothing is copied until you iterate: then each batch is built by copying its rows into a fresh
 * typed array, so a transform may modify a batch without touching the dataset.
 *
 * A Dataset fits the training loop of `@sinapse/train`, which takes any
 * `{ epoch(e): Iterable<{ x, y }>; size?; numBatches? }`.
 *
 * Two differences from tf.data / TF.js `data`, where each method adds a stage to a pipeline:
 *   - Until you call {@link Dataset.batch}, an epoch is ONE batch holding every example. Call
 *     `.batch(n)` before training.
 *   - A Dataset is a recipe, not a pipeline, so the order of the calls does not matter, and
 *     {@link Dataset.take} and {@link Dataset.skip} always count EXAMPLES, even after `.batch()`:
 *     `ds.batch(3).take(2)` is 2 examples in one batch, where tf.data gives 2 batches (6 examples).
 *     For the first n batches, write `ds.batch(b).take(n * b)`.
 */

import { allocate, checkOptionNames, formatShape, Generator, getGenerator, Tensor, ValueError } from '@sinapse/tensor';
import { mixSeed } from './seeds';

/** One batch: inputs and targets, with the same number of rows. */
export interface Batch {
  /** The inputs, examples along the first axis: `[B, 28, 28, 1]` for MNIST images. */
  x: Tensor;
  /** The targets, the same B rows: `[B]` class indices or `[B, 10]` one-hot rows. */
  y: Tensor;
}

/** Where a batch sits in the run; transforms use it to seed their randomness. */
export interface BatchContext {
  /** The epoch being iterated (the argument of `epoch(e)`). */
  epoch: number;
  /** The batch's position within the epoch, from 0. */
  index: number;
}

/** A per-batch transform for {@link Dataset.map}, such as an augmentation. */
export type BatchTransform = (batch: Batch, context: BatchContext) => Batch;

/** Everything that defines a Dataset; methods copy it and change one field. */
interface Recipe {
  x: Tensor;
  y: Tensor;
  /** Which rows of x and y this dataset holds, in stored order. */
  rows: Int32Array;
  /** Rows per batch; null means one batch holding every example. */
  batchSize: number | null;
  dropRemainder: boolean;
  /** null: stored order every epoch. */
  shuffleSeed: number | null;
  transforms: readonly BatchTransform[];
}

/**
 * Examples in memory (x and y, along the first axis) and a recipe for walking them each epoch:
 * which rows, shuffled how (seeded), in batches of what size, through which transforms. Every method
 * returns a new Dataset; nothing is copied until `epoch(e)` is iterated. It fits `fit` as data.
 *
 * @example
 * const ds = Dataset.fromTensors({ x: zeros([100, 28, 28, 1]), y: zeros([100]) });
 * const { train, validation } = ds.split(0.1);                 // 90 and 10 examples
 * const batches = train.shuffle({ seed: 0 }).batch(32);
 * for (const { x, y } of batches.epoch(0)) x.shape;            // [32, 28, 28, 1], [32, …], [26, …]
 */
export class Dataset {
  private constructor(private readonly recipe: Recipe) {}

  /**
   * A dataset over the rows of `x` and `y` (the first axis is the example axis). It starts
   * unbatched (one batch holding every example), in stored order.
   *
   * @throws ValueError if x or y is a scalar, or they differ in number of examples.
   * @example
   * const ds = Dataset.fromTensors({ x: zeros([100, 28, 28, 1]), y: zeros([100, 10]) });
   * ds.size; // 100
   */
  static fromTensors({ x, y }: Batch): Dataset {
    if (x.rank === 0 || y.rank === 0 || x.shape[0] !== y.shape[0]) {
      throw new ValueError(
        `Dataset.fromTensors: x and y must have the same number of examples along the first axis, but got x ${formatShape(x.shape)} and y ${formatShape(y.shape)}`,
      );
    }
    const rows = new Int32Array(x.shape[0]!);
    for (let i = 0; i < rows.length; i++) rows[i] = i;
    return new Dataset({ x, y, rows, batchSize: null, dropRemainder: false, shuffleSeed: null, transforms: [] });
  }

  /** The number of examples. */
  get size(): number {
    return this.recipe.rows.length;
  }

  /** Rows per batch (the whole dataset until {@link batch} is called). */
  get batchSize(): number {
    return this.recipe.batchSize ?? this.size;
  }

  /** Batches per epoch: ceil(size / batchSize), or floor with `dropRemainder`. */
  get numBatches(): number {
    if (this.size === 0) return 0;
    const { batchSize, dropRemainder } = this.recipe;
    if (batchSize === null) return 1;
    return dropRemainder ? Math.floor(this.size / batchSize) : Math.ceil(this.size / batchSize);
  }

  /**
   * Groups examples into batches of `size` rows. The last batch is smaller when `size` does not
   * divide the dataset; `dropRemainder: true` skips it instead (useful when every batch must have
   * the same shape, for instance with BatchNormalization on tiny batches).
   *
   * @throws ValueError if size is not a positive integer.
   * @example
   * ds.batch(32).numBatches;                          // 4 for 100 examples: 32, 32, 32, 4
   * ds.batch(32, { dropRemainder: true }).numBatches; // 3
   */
  batch(size: number, options: { dropRemainder?: boolean } = {}): Dataset {
    checkOptionNames('Dataset.batch', options, ['dropRemainder'], ValueError);
    if (!Number.isInteger(size) || size < 1) {
      throw new ValueError(`Dataset.batch: size must be a positive integer, but got ${size}`);
    }
    return this.with({ batchSize: size, dropRemainder: options.dropRemainder ?? false });
  }

  /**
   * Visits the examples in a new random order every epoch. Epoch e uses the permutation drawn by
   * `new Generator(mixSeed(seed, e))`, so the same seed gives the same sequence of orders on every
   * run, and each epoch's order differs from the last.
   *
   * @param options `seed`; default: a draw from the global generator, so `seed(n)` from
   *   `@sinapse/tensor` makes it reproducible too.
   * @example
   * const ds = Dataset.fromTensors({ x, y }).shuffle({ seed: 42 }).batch(64);
   */
  shuffle(options: { seed?: number } = {}): Dataset {
    checkOptionNames('Dataset.shuffle', options, ['seed'], ValueError);
    const seed = options.seed ?? getGenerator().nextUint32();
    if (!Number.isFinite(seed)) throw new ValueError(`Dataset.shuffle: seed must be a finite number, but got ${seed}`);
    return this.with({ shuffleSeed: seed });
  }

  /**
   * Applies `fn` to every batch as it is produced (after shuffling and batching). Transforms run in
   * the order they were added. `fn` receives `{ epoch, index }` so a random transform can seed
   * itself from them and stay reproducible.
   *
   * @example
   * const scaled = ds.map(({ x, y }) => ({ x: x.mul(2), y }));
   */
  map(fn: BatchTransform): Dataset {
    return this.with({ transforms: [...this.recipe.transforms, fn] });
  }

  /**
   * The first `n` examples (in stored order, whatever `shuffle` is set to; all of them if there
   * are fewer than n). Batch size, shuffling and transforms carry over.
   *
   * **`n` counts examples, never batches, even after {@link batch}** (tf.data's `take` counts
   * batches there). For the first k batches of size b, take k·b examples.
   *
   * @throws ValueError if n is not a non-negative integer.
   * @example
   * // ds holds 10 examples
   * ds.batch(3).take(2).numBatches;     // 1: examples 0 and 1, in one batch
   * ds.batch(3).take(2 * 3).numBatches; // 2: examples 0 to 2 and 3 to 5
   */
  take(n: number): Dataset {
    checkCount('take', n);
    return this.with({ rows: this.recipe.rows.slice(0, n) });
  }

  /**
   * Everything but the first `n` examples (in stored order). Batch size, shuffling and transforms
   * carry over.
   *
   * **`n` counts examples, never batches, even after {@link batch}** (tf.data's `skip` counts
   * batches there). To skip k batches of size b, skip k·b examples.
   *
   * @throws ValueError if n is not a non-negative integer.
   * @example
   * // ds holds 10 examples
   * ds.batch(3).skip(2).numBatches; // 3: examples 2 to 4, 5 to 7, and 8 and 9
   */
  skip(n: number): Dataset {
    checkCount('skip', n);
    return this.with({ rows: this.recipe.rows.slice(n) });
  }

  /**
   * Holds out the *last* examples for validation, as Keras's `validation_split` does: a fraction of
   * the dataset (rounded to the nearest example) or `{ validation: n }` examples. The split is by
   * stored position, so it is the same on every epoch and every run. Both halves keep the batch
   * size, shuffling and transforms; split before adding augmentation, which validation should not see.
   *
   * @throws ValueError unless both halves get at least one example.
   * @example
   * const { train, validation } = ds.split(0.1); // 100 examples: 90 and 10
   */
  split(by: number | { validation: number }): { train: Dataset; validation: Dataset } {
    const n =
      typeof by === 'number'
        ? Number.isFinite(by) && by > 0 && by < 1
          ? Math.round(this.size * by)
          : Number.NaN
        : by.validation;
    if (!Number.isInteger(n) || n < 1 || n >= this.size) {
      const asked = typeof by === 'number' ? `fraction ${by}` : `validation: ${by.validation}`;
      throw new ValueError(
        `Dataset.split: both halves need at least one example, but got ${asked} of ${this.size} examples` +
          (Number.isInteger(n) ? ` (${n} for validation)` : ' (a fraction must be strictly between 0 and 1)'),
      );
    }
    const cut = this.size - n;
    return { train: this.take(cut), validation: this.skip(cut) };
  }

  /**
   * The batches of epoch `e`, lazily: each batch is copied out when the loop asks for it.
   *
   * **Call {@link batch} first.** A Dataset that has not been batched yields the whole dataset as
   * ONE batch (all 60,000 MNIST images in a single training step). `fit` in `@sinapse/train` takes
   * the batch size from the Dataset, so write `fit(model, ds.batch(64), …)`.
   *
   * @example
   * for (const { x, y } of ds.shuffle({ seed: 0 }).batch(64).epoch(1)) {
   *   // x: [64, 28, 28, 1], y: [64, 10]
   * }
   */
  *epoch(e: number): IterableIterator<Batch> {
    const { x, y, rows, shuffleSeed, transforms } = this.recipe;
    let order = rows;
    if (shuffleSeed !== null) order = new Generator(mixSeed(shuffleSeed, e)).shuffle(rows.slice());
    const batchSize = this.batchSize;
    for (let index = 0; index < this.numBatches; index++) {
      const batchRows = order.subarray(index * batchSize, Math.min((index + 1) * batchSize, order.length));
      let batch: Batch = { x: copyRows(x, batchRows), y: copyRows(y, batchRows) };
      for (const transform of transforms) batch = transform(batch, { epoch: e, index });
      yield batch;
    }
  }

  /** The batches of epoch 0, so `for (const batch of ds)` works. */
  [Symbol.iterator](): Iterator<Batch> {
    return this.epoch(0);
  }

  /** Prints the recipe, e.g. `Dataset(size=1000, batchSize=64, numBatches=16, shuffle=seed 0, transforms=1)`. */
  toString(): string {
    const { shuffleSeed, transforms } = this.recipe;
    const shuffle = shuffleSeed === null ? 'off' : `seed ${shuffleSeed}`;
    return `Dataset(size=${this.size}, batchSize=${this.batchSize}, numBatches=${this.numBatches}, shuffle=${shuffle}, transforms=${transforms.length})`;
  }

  private with(changes: Partial<Recipe>): Dataset {
    return new Dataset({ ...this.recipe, ...changes });
  }
}

function checkCount(method: string, n: number): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new ValueError(`Dataset.${method}: n must be a non-negative integer, but got ${n}`);
  }
}

/**
 * Copies rows `rows[0], rows[1], …` of `t` (along the first axis) into a new tensor. A row is the
 * contiguous block t.data[r·rowSize, (r+1)·rowSize), so one `set` per row does the copy.
 */
function copyRows(t: Tensor, rows: Int32Array): Tensor {
  const rowSize = t.shape[0] === 0 ? 0 : t.size / t.shape[0]!;
  const out = allocate(t.dtype, rows.length * rowSize);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    out.set(t.data.subarray(r * rowSize, (r + 1) * rowSize), k * rowSize);
  }
  return new Tensor(out, [rows.length, ...t.shape.slice(1)]);
}
