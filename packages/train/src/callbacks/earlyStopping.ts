import type { NoneUnlisted, UnlistedOptions } from '@sinapse/layers';
import { checkOptionNames, type TypedArray, ValueError } from '@sinapse/tensor';
import type { Callback, Logs, TrainingContext } from './Callback';

/** Options of {@link earlyStopping}. */
export interface EarlyStoppingOptions {
  /** The log to watch. Default 'val_loss'. */
  monitor?: string;
  /** Stop after this many epochs in a row without improvement (0 acts as 1). Default 0. */
  patience?: number;
  /** A change smaller than this is not an improvement. Default 0. */
  minDelta?: number;
  /** 'min' for losses, 'max' for accuracies. Default 'auto': 'max' if the name contains 'acc'. */
  mode?: 'min' | 'max' | 'auto';
  /** At the end of training, put back the weights of the best epoch. Default false. */
  restoreBestWeights?: boolean;
}

const EARLY_STOPPING_OPTIONS = [
  'monitor',
  'patience',
  'minDelta',
  'mode',
  'restoreBestWeights',
] as const satisfies readonly (keyof EarlyStoppingOptions)[];
// fails to compile if EarlyStoppingOptions gains an option that the list above does not name
type _ = NoneUnlisted<UnlistedOptions<typeof EARLY_STOPPING_OPTIONS, EarlyStoppingOptions>>;

/**
 * Stops training when `monitor` has not improved by more than `minDelta` for `patience` epochs
 * (Keras `EarlyStopping`). With `restoreBestWeights`, the model ends with the weights of its best
 * epoch (copied in memory after each improvement), whether training stopped early or not.
 *
 * @throws ConfigError for an unknown option (a misspelled `patiense` would otherwise leave patience at 0).
 * @throws ValueError at the first epoch end if the logs have no `monitor` entry (e.g. 'val_loss'
 * without validation data).
 * @example
 * await fit(model, train, { epochs: 100, validationData: val, callbacks: [earlyStopping({ patience: 3 })] });
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): Callback {
  checkOptionNames('earlyStopping', options, EARLY_STOPPING_OPTIONS);
  const { monitor = 'val_loss', patience = 0, minDelta = 0, restoreBestWeights = false } = options;
  const mode =
    options.mode === undefined || options.mode === 'auto' ? (monitor.includes('acc') ? 'max' : 'min') : options.mode;
  const sign = mode === 'min' ? 1 : -1; // compare sign·value, lower is better
  let best = Number.POSITIVE_INFINITY;
  let wait = 0;
  let bestWeights: TypedArray[] | null = null;
  return {
    onTrainBegin() {
      best = Number.POSITIVE_INFINITY;
      wait = 0;
      bestWeights = null;
    },
    onEpochEnd(_epoch: number, logs: Logs, ctx: TrainingContext) {
      const value = logs[monitor];
      if (value === undefined) {
        throw new ValueError(
          `earlyStopping: monitor '${monitor}' is not in the epoch logs (${Object.keys(logs).join(', ')}); ` +
            "pass validationData to fit, or monitor 'loss'",
        );
      }
      if (sign * value < best - minDelta) {
        best = sign * value;
        wait = 0;
        if (restoreBestWeights) bestWeights = ctx.model.weights.map((p) => p.data.slice());
      } else if (++wait >= patience) {
        // Keras counts the same way: with patience p, stop after p epochs without improvement (at least 1)
        ctx.stopTraining = true;
      }
    },
    onTrainEnd(_logs: Logs, ctx: TrainingContext) {
      if (bestWeights === null) return;
      const saved = bestWeights;
      ctx.model.weights.forEach((p, i) => {
        p.data.set(saved[i]!);
      });
    },
  };
}
