/**
 * Metrics by name, as Keras and TF.js spell them in `compile({ metrics })` and `fit`: each name
 * resolves to a plain function of (predictions, targets) → number, logged under the name given.
 */
import { ConfigError, noGrad, suggestOption, type Tensor } from '@sinapse/tensor';
import { meanAbsoluteError } from './losses/meanAbsoluteError';
import { meanSquaredError } from './losses/meanSquaredError';
import { accuracy, topKAccuracy } from './metrics';

type MetricFn = (pred: Tensor, y: Tensor) => number;

const topK: MetricFn = (pred, y) => topKAccuracy(pred, y, 5);
const mse: MetricFn = (pred, y) => noGrad(() => meanSquaredError(pred, y).item());
const mae: MetricFn = (pred, y) => noGrad(() => meanAbsoluteError(pred, y).item());

/**
 * Every metric name accepted, camelCase (TF.js) and snake_case (Keras). `accuracy` reads its
 * labels' form (indices [N] or [N, 1], one-hot [N, C], or 0/1 for one output), so the categorical,
 * sparse and binary accuracies of Keras are all it; top-k uses k = 5, as Keras's default.
 */
const METRICS = {
  accuracy,
  acc: accuracy,
  categoricalAccuracy: accuracy,
  categorical_accuracy: accuracy,
  sparseCategoricalAccuracy: accuracy,
  sparse_categorical_accuracy: accuracy,
  binaryAccuracy: accuracy,
  binary_accuracy: accuracy,
  topKCategoricalAccuracy: topK,
  top_k_categorical_accuracy: topK,
  sparseTopKCategoricalAccuracy: topK,
  sparse_top_k_categorical_accuracy: topK,
  meanSquaredError: mse,
  mean_squared_error: mse,
  mse,
  MSE: mse,
  meanAbsoluteError: mae,
  mean_absolute_error: mae,
  mae,
  MAE: mae,
} as const satisfies Record<string, MetricFn>;

/** A metric by name: Keras's and TF.js's names ('accuracy', 'acc', 'sparse_categorical_accuracy', 'mse'...). */
export type MetricName = keyof typeof METRICS;

/** A metric fit can track: a name above, or a named function of (predictions, targets), logged under its name. */
export type Metric = MetricName | ((pred: Tensor, y: Tensor) => number);

/**
 * A metric option resolved to the name it is logged under and its function.
 * @throws ConfigError for an unknown name (with a did-you-mean) or an anonymous function.
 */
export function getMetric(metric: Metric, who = 'getMetric'): { name: string; fn: MetricFn } {
  if (typeof metric === 'function') {
    if (metric.name !== '') return { name: metric.name, fn: metric };
    throw new ConfigError(
      `${who}: a metric function needs a name to be logged under: write function myMetric(pred, y) {...}, ` +
        'or const myMetric = (pred, y) => ...',
    );
  }
  if (typeof metric === 'string' && Object.hasOwn(METRICS, metric)) return { name: metric, fn: METRICS[metric] };
  const known = Object.keys(METRICS);
  const guess = typeof metric === 'string' ? suggestOption(metric, known) : null;
  throw new ConfigError(
    `${who}: unknown metric '${String(metric)}'${guess === null ? '' : `; did you mean '${guess}'?`} ` +
      `Known metrics: ${known.join(', ')}, or a named function (pred, y) => number`,
  );
}
