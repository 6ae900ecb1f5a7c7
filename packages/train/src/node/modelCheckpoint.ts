import type { NoneUnlisted, UnlistedOptions } from '@sinapse/layers';
import { Model } from '@sinapse/models';
import { save } from '@sinapse/models/node';
import { ConfigError, checkOptionNames } from '@sinapse/tensor';
import type { Callback, Logs, TrainingContext } from '../callbacks/Callback';

/** Options of {@link modelCheckpoint}. */
export interface ModelCheckpointOptions {
  /** The directory to save into; '{epoch}' in it is replaced by the epoch number (from 1). */
  dir: string;
  /** Store the optimizer's state too, so training can resume exactly. Default true. */
  saveOptimizer?: boolean;
  /** Only save when this log improves (needs `monitor`). Default false: save every epoch. */
  saveBestOnly?: boolean;
  /** The log saveBestOnly watches; lower is better unless the name contains 'acc'. Default 'val_loss'. */
  monitor?: string;
}

const MODEL_CHECKPOINT_OPTIONS = [
  'dir',
  'saveOptimizer',
  'saveBestOnly',
  'monitor',
] as const satisfies readonly (keyof ModelCheckpointOptions)[];
// fails to compile if ModelCheckpointOptions gains an option that the list above does not name
type _ = NoneUnlisted<UnlistedOptions<typeof MODEL_CHECKPOINT_OPTIONS, ModelCheckpointOptions>>;

/**
 * Saves the model (with `save` from @sinapse/models/node) after every epoch, or only when
 * `monitor` improves. Saves are atomic and durable (`save` fsyncs each file and the directory): a killed
 * run or a power loss leaves the previous checkpoint or the new one loadable, never a mix.
 * To resume, load the model and pass `model.optimizerState` to a new optimizer's `setState`, then
 * call fit with `initialEpoch`.
 *
 * @example
 * await fit(model, train, { epochs: 10, callbacks: [modelCheckpoint({ dir: 'checkpoints/lenet' })] });
 * const model = loadModel('checkpoints/lenet');
 * optimizer.setState(model.optimizerState!, model.trainableWeights);
 */
export function modelCheckpoint(options: ModelCheckpointOptions): Callback {
  checkOptionNames('modelCheckpoint', options, MODEL_CHECKPOINT_OPTIONS);
  const { dir, saveOptimizer = true, saveBestOnly = false, monitor = 'val_loss' } = options;
  if (typeof dir !== 'string' || dir === '') {
    throw new ConfigError(`modelCheckpoint: dir must be a non-empty string, but got ${JSON.stringify(dir)}`);
  }
  const sign = monitor.includes('acc') ? -1 : 1;
  let best = Number.POSITIVE_INFINITY;
  return {
    onTrainBegin() {
      best = Number.POSITIVE_INFINITY;
    },
    onEpochEnd(epoch: number, logs: Logs, ctx: TrainingContext) {
      if (!(ctx.model instanceof Model)) {
        throw new ConfigError(
          'modelCheckpoint: can only save a Model from @sinapse/models (functional or Sequential), not a hand-written TrainableModel',
        );
      }
      if (saveBestOnly) {
        const value = logs[monitor];
        if (value === undefined) {
          throw new ConfigError(
            `modelCheckpoint: monitor '${monitor}' is not in the epoch logs (${Object.keys(logs).join(', ')})`,
          );
        }
        if (!(sign * value < best)) return;
        best = sign * value;
      }
      const path = dir.replaceAll('{epoch}', String(epoch + 1));
      save(ctx.model, path, saveOptimizer ? { optimizer: ctx.optimizer.getState() } : {});
    },
  };
}
