/**
 * The training methods of every Model: `model.compile`, `model.fit`, `model.evaluate` (Note
 * [Training methods without a dependency on training] in @sinapse/models' training.ts). The model
 * package declares them and forwards to a trainer; this file is that trainer, registered when this
 * package is imported, and it fills in the methods' option types by declaration merging.
 */
import { registerTrainer, type Trainer } from '@sinapse/models';
import { ConfigError } from '@sinapse/tensor';
import type { History } from './callbacks/Callback';
import { type CompileOptions, compile } from './compile';
import { type Data, isDataset } from './data';
import { type EvaluateOptions, evaluate, type FitOptions, fit } from './fit';
import type { TrainableModel } from './model';

declare module '@sinapse/models' {
  interface CompileArgs extends CompileOptions {}
  interface ModelFitArgs extends FitOptions {}
  interface ModelEvaluateArgs extends EvaluateOptions {}
}

/**
 * The method's arguments as the free functions take them: `(x, y, options)` with tensors or
 * arrays, or `(dataset, options)`, as Keras's and TF.js's `fit` accept both.
 */
function dataAndOptions<O>(method: string, [x, y, options]: readonly unknown[]): [Data, O | undefined] {
  if (isDataset(x)) {
    if (options !== undefined) {
      throw new ConfigError(`${method}(dataset, options): a dataset holds its own targets, so there is no y argument`);
    }
    return [x, y as O | undefined];
  }
  if (y === undefined) {
    throw new ConfigError(
      `${method}(x, y, options) needs the targets y (or pass a dataset: ${method}(dataset, options))`,
    );
  }
  return [{ x: x as never, y: y as never }, options as O | undefined];
}

/** The trainer @sinapse/models forwards Model.compile / fit / evaluate to. */
export const trainer: Trainer = {
  compile(model, options) {
    compile(model as TrainableModel, options as CompileOptions);
  },
  async fit(model, args): Promise<History> {
    const [data, options] = dataAndOptions<FitOptions>('fit', args);
    return fit(model as TrainableModel, data, options);
  },
  async evaluate(model, args) {
    const [data, options] = dataAndOptions<EvaluateOptions>('evaluate', args);
    return evaluate(model as TrainableModel, data, options);
  },
};

registerTrainer(trainer);
