import { ConfigError, suggestOption } from '@sinapse/tensor';
import { binaryCrossentropy } from './binaryCrossentropy';
import { categoricalCrossentropy } from './categoricalCrossentropy';
import { meanAbsoluteError } from './meanAbsoluteError';
import { meanSquaredError } from './meanSquaredError';
import type { LossFn } from './reduction';
import { softmaxCrossEntropy } from './softmaxCrossEntropy';
import { sparseCategoricalCrossentropy } from './sparseCategoricalCrossentropy';
import { sparseSoftmaxCrossEntropy } from './sparseSoftmaxCrossEntropy';

export * from './binaryCrossentropy';
export * from './categoricalCrossentropy';
export * from './meanAbsoluteError';
export * from './meanSquaredError';
export type { LossFn, LossOptions, Reduction } from './reduction';
export * from './softmaxCrossEntropy';
export * from './sparseCategoricalCrossentropy';
export * from './sparseSoftmaxCrossEntropy';

/**
 * The losses `fit`, `evaluate` and `compile` accept by name. The two softmax ones take logits; the
 * Keras-named cross-entropies take probabilities, as in Keras (pass your own function, e.g.
 * `(p, y) => sparseCategoricalCrossentropy(p, y, { fromLogits: true })`, for other options).
 */
export const losses = {
  /** Logits `[N, classes]` and one-hot targets `[N, classes]`: −Σ y · log softmax(z). */
  softmaxCrossEntropy,
  /** Logits `[N, classes]` and class indices `[N]`: −log softmax(z)[y], one pick per example. */
  sparseSoftmaxCrossEntropy,
  /** Probabilities (after softmax) and one-hot targets, as Keras's `categorical_crossentropy`. */
  categoricalCrossentropy,
  /** Probabilities and class indices, as Keras's `sparse_categorical_crossentropy`. */
  sparseCategoricalCrossentropy,
  /** Probabilities (after sigmoid) and 0/1 targets of the same shape. */
  binaryCrossentropy,
  /** mean((p − y)²), for regression. */
  meanSquaredError,
  /** mean(|p − y|), for regression less swayed by outliers. */
  meanAbsoluteError,
} as const;

/** Keras's snake_case names and short forms for the losses above (TF.js uses the camelCase ones). */
export const LOSS_ALIASES = {
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  binary_crossentropy: 'binaryCrossentropy',
  mean_squared_error: 'meanSquaredError',
  mse: 'meanSquaredError',
  MSE: 'meanSquaredError',
  mean_absolute_error: 'meanAbsoluteError',
  mae: 'meanAbsoluteError',
  MAE: 'meanAbsoluteError',
} as const satisfies Record<string, keyof typeof losses>;

/** A loss by name: one of {@link losses} or {@link LOSS_ALIASES}. */
export type LossName = keyof typeof losses | keyof typeof LOSS_ALIASES;

/**
 * Resolves a loss option: a name from {@link losses} or {@link LOSS_ALIASES}, or your own function.
 * @throws ConfigError for an unknown name, with a did-you-mean.
 */
export function getLoss(loss: LossName | LossFn, who = 'getLoss'): LossFn {
  if (typeof loss === 'function') return loss;
  const name =
    typeof loss === 'string' && Object.hasOwn(LOSS_ALIASES, loss)
      ? LOSS_ALIASES[loss as keyof typeof LOSS_ALIASES]
      : loss;
  const fn = typeof name === 'string' && Object.hasOwn(losses, name) ? losses[name as keyof typeof losses] : undefined;
  if (fn === undefined) {
    const known = [...Object.keys(losses), ...Object.keys(LOSS_ALIASES)];
    const guess = typeof loss === 'string' ? suggestOption(loss, known) : null;
    throw new ConfigError(
      `${who}: unknown loss '${String(loss)}'${guess === null ? '' : `; did you mean '${guess}'?`} ` +
        `Known losses: ${known.join(', ')}, or a function (predictions, targets) => scalar tensor`,
    );
  }
  return fn as LossFn;
}
