import type { Callback, Logs, TrainingContext } from './Callback';

/**
 * Stops training at the first batch whose loss is NaN or ±Infinity (Keras `TerminateOnNaN`): once
 * a weight is NaN every later step is wasted. A too-large learning rate is the usual cause.
 *
 * @param warn where to report it. Default console.warn.
 */
export function terminateOnNaN(warn: (line: string) => void = console.warn): Callback {
  return {
    onBatchEnd(batch: number, logs: Logs, ctx: TrainingContext) {
      const loss = logs.loss;
      if (loss !== undefined && !Number.isFinite(loss)) {
        warn(`terminateOnNaN: batch ${batch} has loss ${loss}; stopping training`);
        ctx.stopTraining = true;
      }
    },
  };
}
