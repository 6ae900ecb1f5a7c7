import type { NoneUnlisted, UnlistedOptions } from '@sinapse/layers';
import { checkOptionNames } from '@sinapse/tensor';
import type { Callback, Logs, TrainingContext } from '../callbacks/Callback';
import { formatLogs } from '../callbacks/progressLogger';

/** Options of {@link progressBar}. */
export interface ProgressBarOptions {
  /** Where to write. Default process.stdout. */
  stream?: NodeJS.WriteStream;
  /** Width of the bar in characters. Default 30. */
  width?: number;
}

const PROGRESS_BAR_OPTIONS = ['stream', 'width'] as const satisfies readonly (keyof ProgressBarOptions)[];
// fails to compile if ProgressBarOptions gains an option that the list above does not name
type _ = NoneUnlisted<UnlistedOptions<typeof PROGRESS_BAR_OPTIONS, ProgressBarOptions>>;

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)}s`;
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

/**
 * A Keras-style progress bar for `fit` in a terminal, redrawn in place on each batch:
 *
 *   Epoch 2/5
 *    37/100 [==========>...................] loss 0.4123 · accuracy 0.8750 · 2310 ex/s · ETA 2.1s
 *
 * and finished with the epoch's time and validation results. When the stream is not a TTY (a
 * log file, CI), it prints one plain line per epoch instead, so logs stay readable.
 */
export function progressBar(options: ProgressBarOptions = {}): Callback {
  checkOptionNames('progressBar', options, PROGRESS_BAR_OPTIONS);
  const stream = options.stream ?? process.stdout;
  const width = options.width ?? 30;
  const tty = stream.isTTY === true;
  let start = 0;
  let examples = 0;
  /** When the last training batch ended: the rate leaves out the validation pass that follows it. */
  let trainEnd = 0;
  let lastDraw = 0;
  let label = '';

  const bar = (done: number, total: number | null): string => {
    if (total === null) return `${done}`;
    const filled = Math.min(width, Math.floor((width * done) / total));
    const arrow = filled < width ? '>' : '';
    const body = `${'='.repeat(filled)}${arrow}`.padEnd(width, '.').slice(0, width);
    return `${String(done).padStart(String(total).length)}/${total} [${body}]`;
  };

  return {
    onEpochBegin(epoch: number, ctx: TrainingContext) {
      label = `Epoch ${epoch + 1}/${ctx.params.epochs}`;
      start = performance.now();
      examples = 0;
      lastDraw = 0;
      if (tty) stream.write(`${label}\n`);
    },
    onBatchEnd(batch: number, logs: Logs, ctx: TrainingContext) {
      examples += logs.size ?? 0;
      const now = performance.now();
      trainEnd = now;
      if (!tty) return;
      const steps = ctx.params.steps;
      if (now - lastDraw < 100 && batch + 1 !== steps) return; // redraw at most 10 times a second
      lastDraw = now;
      const seconds = (now - start) / 1000;
      const eta = steps === null ? '' : ` · ETA ${formatSeconds(((steps - batch - 1) * seconds) / (batch + 1))}`;
      const rate = Math.round(examples / Math.max(seconds, 1e-9));
      stream.write(`\r${bar(batch + 1, steps)} ${formatLogs(logs)} · ${rate} ex/s${eta}\x1b[K`);
    },
    onEpochEnd(_epoch: number, logs: Logs, ctx: TrainingContext) {
      const seconds = (performance.now() - start) / 1000;
      const rate = Math.round(examples / Math.max((trainEnd - start) / 1000, 1e-9));
      const summary = `${formatLogs(logs)} · ${rate} ex/s · ${formatSeconds(seconds)}`;
      if (tty) {
        const steps = ctx.params.steps;
        stream.write(`\r${steps === null ? '' : `${bar(steps, steps)} `}${summary}\x1b[K\n`);
      } else {
        stream.write(`${label}: ${summary}\n`);
      }
    },
  };
}
