import { ConfigError } from '@sinapse/tensor';
import { Adam } from './Adam';
import { Optimizer } from './Optimizer';
import { RMSprop } from './RMSprop';
import { SGD } from './SGD';

export * from './Adam';
export * from './clipGrad';
export * from './Optimizer';
export * from './RMSprop';
export * from './SGD';

export type OptimizerName = 'sgd' | 'adam' | 'rmsprop';

/** Resolves an optimizer option: a name (with the defaults) or an Optimizer, passed through. */
export function getOptimizer(optimizer: OptimizerName | Optimizer): Optimizer {
  if (optimizer instanceof Optimizer) return optimizer;
  if (optimizer === 'sgd') return new SGD();
  if (optimizer === 'adam') return new Adam();
  if (optimizer === 'rmsprop') return new RMSprop();
  throw new ConfigError(`getOptimizer: unknown optimizer '${String(optimizer)}'; known: sgd, adam, rmsprop`);
}
