/**
 * Note [Training methods without a dependency on training]
 * Keras users write `model.compile(...)` then `model.fit(x, y)`. But the training loop, losses and
 * optimizers live in @sinapse/train, which depends on this package, not the other way round. So a
 * Model's compile / fit / evaluate forward to a *trainer* that @sinapse/train registers when it is
 * imported (`import 'sinapse'` or `import '@sinapse/train'` does it), the way TF.js backends register
 * themselves with tfjs-core. Their option types are declared empty here and filled in by
 * @sinapse/train through TypeScript's declaration merging, so the options are fully typed wherever
 * the training package is imported.
 */
import { ConfigError } from '@sinapse/tensor';

/** compile()'s options; @sinapse/train fills it in (optimizer, loss, metrics). */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by @sinapse/train (declaration merging)
export interface CompileArgs {}

/** Model.fit's options; @sinapse/train fills it in (epochs, batchSize, validationData, callbacks...). */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by @sinapse/train (declaration merging)
export interface ModelFitArgs {}

/** Model.evaluate's options; @sinapse/train fills it in (batchSize...). */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by @sinapse/train (declaration merging)
export interface ModelEvaluateArgs {}

/** What fit returns: a value per epoch for each logged quantity (train's History). */
export interface TrainingHistory {
  /** The epochs run, counted from 0 (or from initialEpoch). */
  readonly epoch: number[];
  /** One value per epoch for each logged quantity: `{ loss: [...], acc: [...], val_loss: [...] }`. */
  readonly history: Record<string, number[]>;
}

/** What @sinapse/train provides; `args` are the arguments the Model method received, passed on as they came. */
export interface Trainer {
  /** Does `model.compile(options)`. */
  compile(model: object, options: CompileArgs): void;
  /** Does `model.fit(...args)`. */
  fit(model: object, args: readonly unknown[]): Promise<TrainingHistory>;
  /** Does `model.evaluate(...args)`. */
  evaluate(model: object, args: readonly unknown[]): Promise<Record<string, number>>;
}

let trainer: Trainer | null = null;

/** Called once by @sinapse/train as it loads. */
export function registerTrainer(t: Trainer): void {
  trainer = t;
}

/** @throws ConfigError saying which import brings the training methods. */
export function getTrainer(method: string, who: string): Trainer {
  if (trainer === null) {
    throw new ConfigError(
      `${who}: ${method} needs the training package: import 'sinapse' (everything) or '@sinapse/train' once, ` +
        'before calling it (Note [Training methods without a dependency on training])',
    );
  }
  return trainer;
}
