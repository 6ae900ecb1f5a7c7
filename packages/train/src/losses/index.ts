import { ConfigError } from '@sinapse/tensor';
import { binaryCrossentropy } from './binaryCrossentropy';
import { categoricalCrossentropy } from './categoricalCrossentropy';
import { meanSquaredError } from './meanSquaredError';
import type { LossFn } from './reduction';
import { softmaxCrossEntropy } from './softmaxCrossEntropy';
import { sparseSoftmaxCrossEntropy } from './sparseSoftmaxCrossEntropy';

export * from './binaryCrossentropy';
export * from './categoricalCrossentropy';
export * from './meanSquaredError';
export type { LossFn, LossOptions, Reduction } from './reduction';
export * from './softmaxCrossEntropy';
export * from './sparseSoftmaxCrossEntropy';

/** The losses `fit` and `evaluate` accept by name. */
export const losses = {
  softmaxCrossEntropy,
  sparseSoftmaxCrossEntropy,
  categoricalCrossentropy,
  binaryCrossentropy,
  meanSquaredError,
} as const;

export type LossName = keyof typeof losses;

/** Resolves a loss option: one of the names in {@link losses}, or your own function. */
export function getLoss(loss: LossName | LossFn): LossFn {
  if (typeof loss === 'function') return loss;
  const fn = (losses as Record<string, LossFn>)[loss];
  if (fn === undefined) {
    throw new ConfigError(`getLoss: unknown loss '${String(loss)}'; known: ${Object.keys(losses).join(', ')}`);
  }
  return fn;
}
