import type { Callback, Logs, TrainingContext } from './Callback';

/**
 * Sets the optimizer's learning rate at the start of every epoch to `schedule(epoch, currentRate)`
 * (Keras `LearningRateScheduler`), and records it in the epoch logs as `learning_rate`. Any
 * function of the epoch from schedules.ts fits: `learningRateScheduler(stepDecay({ … }))`.
 */
export function learningRateScheduler(schedule: (epoch: number, learningRate: number) => number): Callback {
  return {
    onEpochBegin(epoch: number, ctx: TrainingContext) {
      ctx.optimizer.learningRate = schedule(epoch, ctx.optimizer.learningRate);
    },
    onEpochEnd(_epoch: number, logs: Logs, ctx: TrainingContext) {
      logs.learning_rate = ctx.optimizer.learningRate;
    },
  };
}
