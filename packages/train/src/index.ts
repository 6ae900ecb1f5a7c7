/**
 * @sinapse/train: losses, optimizers, learning-rate schedules, metrics, and a Keras-shaped
 * training loop (`fit`, `evaluate`, `trainStep`) with callbacks. Node-only callbacks (a terminal
 * progress bar, checkpoints to disk) are in `@sinapse/train/node`. See docs/training.md.
 *
 * @module @sinapse/train
 */

export * from './callbacks/index';
export { type CompileOptions, compile } from './compile';
export type { ArrayData, Batch, Data, DatasetLike, TensorData } from './data';
export type { NanGuard } from './finite';
export {
  type EvaluateOptions,
  evaluate,
  type FitOptions,
  fit,
  type Metric,
  type TrainStepOptions,
  trainStep,
} from './fit';
export * from './losses/index';
export { getMetric, type MetricName } from './metricNames';
export * from './metrics';
export type { TrainableModel } from './model';
export type { Losses, LossSpec, LossWeights, Metrics } from './objective';
export * from './optimizers/index';
export * from './schedules';
// registers compile / fit / evaluate as methods of every Model (trainer.ts)
export { trainer } from './trainer';
