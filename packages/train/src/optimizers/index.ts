import { ConfigError, suggestOption } from '@sinapse/tensor';
import { Adam } from './Adam';
import { AdamW } from './AdamW';
import { Optimizer } from './Optimizer';
import { RMSprop } from './RMSprop';
import { SGD } from './SGD';

export * from './Adam';
export * from './AdamW';
export * from './clipGrad';
export * from './Optimizer';
export * from './RMSprop';
export * from './SGD';

/** The optimizers by name, each with its defaults (Keras spells them 'SGD', 'Adam', ...: any case works). */
const OPTIMIZERS = {
  sgd: () => new SGD(),
  adam: () => new Adam(),
  adamw: () => new AdamW(),
  rmsprop: () => new RMSprop(),
} as const;

/** An optimizer by name, with its defaults: 'sgd', 'adam', 'adamw', 'rmsprop' (or Keras's class names). */
export type OptimizerName = keyof typeof OPTIMIZERS | 'SGD' | 'Adam' | 'AdamW' | 'RMSprop';

/**
 * Resolves an optimizer option: a name (a new optimizer with the defaults) or an Optimizer, passed through.
 * @throws ConfigError for an unknown name, with a did-you-mean.
 */
export function getOptimizer(optimizer: OptimizerName | Optimizer, who = 'getOptimizer'): Optimizer {
  if (optimizer instanceof Optimizer) return optimizer;
  const key = typeof optimizer === 'string' ? optimizer.toLowerCase() : '';
  if (Object.hasOwn(OPTIMIZERS, key)) return OPTIMIZERS[key as keyof typeof OPTIMIZERS]();
  const known = Object.keys(OPTIMIZERS);
  const guess = typeof optimizer === 'string' ? suggestOption(key, known) : null;
  throw new ConfigError(
    `${who}: unknown optimizer '${String(optimizer)}'${guess === null ? '' : `; did you mean '${guess}'?`} ` +
      `Known: ${known.join(', ')}, or an Optimizer such as new SGD({ learningRate: 0.01 })`,
  );
}
