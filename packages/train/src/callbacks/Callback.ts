import type { TrainableModel } from '../model';
import type { Optimizer } from '../optimizers/Optimizer';

/** Numbers reported by the loop: 'loss', 'accuracy', 'val_loss', 'val_accuracy', … (Keras names). */
export type Logs = Record<string, number>;

/** What a callback may return: nothing, or a promise the loop waits for. */
export type Awaitable<T> = T | Promise<T>;

/** What the loop shares with callbacks. Set `stopTraining = true` to stop after the current batch. */
export interface TrainingContext {
  /** The model being trained. */
  readonly model: TrainableModel;
  /** The optimizer stepping its weights (its `learningRate` is what a schedule callback changes). */
  readonly optimizer: Optimizer;
  /** fit's settings for this run, as Keras's `callback.params`. */
  readonly params: {
    /** The last epoch index + 1 (fit's `epochs`). */
    epochs: number;
    /** The first epoch index (fit's `initialEpoch`, to resume a run). */
    initialEpoch: number;
    /** Batch size for tensor data; null for a dataset. */
    batchSize: number | null;
    /** Batches per epoch, when known. */
    steps: number | null;
    /** Training examples per epoch, when known. */
    samples: number | null;
  };
  /** The history so far (epochs finished before this one). */
  readonly history: History;
  /** Set by a callback (earlyStopping, terminateOnNaN) to end training. */
  stopTraining: boolean;
}

/**
 * Hooks into `fit` (Keras `Callback`). Every method is optional and may be async; the loop awaits
 * it before going on. Epochs and batches are counted from 0.
 *
 * Order: onTrainBegin, then per epoch onEpochBegin, onBatchEnd for each batch, onEpochEnd (after
 * validation, with the val_ logs), and finally onTrainEnd (also after an early stop).
 */
export interface Callback {
  /** Before the first epoch. */
  onTrainBegin?(ctx: TrainingContext): Awaitable<void>;
  /** Before epoch `epoch`'s first batch. */
  onEpochBegin?(epoch: number, ctx: TrainingContext): Awaitable<void>;
  /** `logs` has the running means over the epoch so far, plus `batch` and `size` (examples in it). */
  onBatchEnd?(batch: number, logs: Logs, ctx: TrainingContext): Awaitable<void>;
  /** `logs` has the epoch's means and the validation results; a callback may add entries. */
  onEpochEnd?(epoch: number, logs: Logs, ctx: TrainingContext): Awaitable<void>;
  /** `logs` are the last epoch's. */
  onTrainEnd?(logs: Logs, ctx: TrainingContext): Awaitable<void>;
}

/**
 * What `fit` returns (Keras `History`): one entry per finished epoch under each log name, e.g.
 * `history.history.loss[e]` and `history.history.val_accuracy[e]`.
 */
export class History {
  /** The epoch indices recorded, in order. */
  readonly epoch: number[] = [];
  /** One value per recorded epoch for each log: `history.loss[e]`, `history.val_accuracy[e]`. */
  readonly history: Record<string, number[]> = {};

  /** @internal */
  record(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) {
      const list = this.history[key] ?? [];
      // a key that appears late (e.g. val_ metrics every few epochs) is padded with NaN
      while (list.length < this.epoch.length - 1) list.push(Number.NaN);
      list.push(value);
      this.history[key] = list;
    }
  }
}
