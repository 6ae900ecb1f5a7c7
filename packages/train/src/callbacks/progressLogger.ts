import type { NoneUnlisted, UnlistedOptions } from '@sinapse/layers';
import { checkOptionNames } from '@sinapse/tensor';
import type { Callback, Logs, TrainingContext } from './Callback';

/** Options of {@link progressLogger}. */
export interface ProgressLoggerOptions {
  /** Also report every n-th batch (0: only epochs). Default 0. */
  everyBatches?: number;
}

const PROGRESS_LOGGER_OPTIONS = ['everyBatches'] as const satisfies readonly (keyof ProgressLoggerOptions)[];
// fails to compile if ProgressLoggerOptions gains an option that the list above does not name
type _ = NoneUnlisted<UnlistedOptions<typeof PROGRESS_LOGGER_OPTIONS, ProgressLoggerOptions>>;

/** @internal 'loss 0.1234 · accuracy 0.9500', the logs as one line (counts are skipped). */
export function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .filter(([key]) => key !== 'batch' && key !== 'size')
    .map(([key, value]) => `${key} ${value.toFixed(4)}`)
    .join(' · ');
}

/**
 * Reports progress as lines of text, to `console.log` or any function (a DOM element's text, a
 * logger), so it works in the browser. One line per epoch, e.g.
 * `Epoch 3/10: loss 0.4123 · accuracy 0.8750 · val_loss 0.4410 · val_accuracy 0.8600`, and
 * optionally one per `everyBatches` batches. No timings, so the output is reproducible.
 * For a live terminal bar, see `progressBar` in @sinapse/train/node.
 */
export function progressLogger(
  print: (line: string) => void = console.log,
  options: ProgressLoggerOptions = {},
): Callback {
  checkOptionNames('progressLogger', options, PROGRESS_LOGGER_OPTIONS);
  const { everyBatches = 0 } = options;
  let epochLabel = '';
  return {
    onEpochBegin(epoch: number, ctx: TrainingContext) {
      epochLabel = `Epoch ${epoch + 1}/${ctx.params.epochs}`;
    },
    onBatchEnd(batch: number, logs: Logs, ctx: TrainingContext) {
      if (everyBatches > 0 && (batch + 1) % everyBatches === 0) {
        const of = ctx.params.steps === null ? '' : `/${ctx.params.steps}`;
        print(`${epochLabel} batch ${batch + 1}${of}: ${formatLogs(logs)}`);
      }
    },
    onEpochEnd(_epoch: number, logs: Logs) {
      print(`${epochLabel}: ${formatLogs(logs)}`);
    },
  };
}
