/**
 * What training minimizes and reports, output by output. A model with one output has one loss and
 * its metrics; a model with several (a classifier head and a regression head, say) has a loss per
 * output, and minimizes their weighted sum, as Keras does:
 *
 *   loss = Σ_k lossWeights_k · loss_k(pred_k, y_k) + the weights' regularization penalty
 *
 * The logs then have the total `loss`, and `<output>_loss`, `<output>_<metric>` per output
 * (Keras's names, e.g. `digit_loss`, `digit_accuracy`).
 */
import { ConfigError, suggestOption, type Tensor } from '@sinapse/tensor';
import type { Logs } from './callbacks/Callback';
import { getLoss, type LossFn, type LossName } from './losses/index';
import { getMetric, type Metric } from './metricNames';
import { RunningMean } from './metrics';
import { forward, outputNamesOf, type TrainableModel } from './model';

/** A loss by name or as a function. */
export type LossSpec = LossName | LossFn;

/** One loss for every output, a list with one per output, or an object keyed by output name. */
export type Losses = LossSpec | readonly LossSpec[] | Readonly<Record<string, LossSpec>>;

/** Metrics for every output (a list), a list of lists (one per output), or an object keyed by output name. */
export type Metrics = readonly Metric[] | readonly (readonly Metric[])[] | Readonly<Record<string, readonly Metric[]>>;

/** How much each output's loss counts in the total: a list (one per output) or an object keyed by output name. Default 1 each. */
export type LossWeights = readonly number[] | Readonly<Record<string, number>>;

/** @internal One output's part of the objective. */
interface OutputObjective {
  name: string;
  loss: LossFn;
  weight: number;
  metrics: Array<{ name: string; fn: (pred: Tensor, y: Tensor) => number }>;
}

/** @internal The resolved objective: one entry per model output, in the model's output order. */
export type Objective = OutputObjective[];

/**
 * Resolves the loss, metrics and loss weights against the model's outputs.
 * @throws ConfigError for unknown names, a list of the wrong length, or an unknown output name (with a did-you-mean).
 */
export function objective(
  who: string,
  model: TrainableModel,
  losses: Losses,
  metrics: Metrics,
  lossWeights?: LossWeights,
): Objective {
  const names = outputNamesOf(model);
  const lossOf = perOutput(who, 'loss', names, losses, (v) => typeof v === 'string' || typeof v === 'function');
  const weights =
    lossWeights === undefined ? names.map(() => 1) : perOutput(who, 'lossWeights', names, lossWeights, () => false);
  const metricLists =
    Array.isArray(metrics) && metrics.every((m) => !Array.isArray(m))
      ? names.map(() => metrics as readonly Metric[])
      : perOutput(who, 'metrics', names, metrics, () => false, []);
  return names.map((name, k) => {
    const weight = weights[k] as number;
    if (typeof weight !== 'number' || !(weight >= 0)) {
      throw new ConfigError(
        `${who}: lossWeights must be non-negative numbers, but got ${String(weight)} for output '${name}'`,
      );
    }
    return {
      name,
      loss: getLoss(lossOf[k] as LossSpec, who),
      weight,
      metrics: (metricLists[k] as readonly Metric[]).map((m) => getMetric(m, who)),
    };
  });
}

/**
 * A per-output option as a list in output order. `isSingle` says when the value applies to every
 * output; otherwise it is a list with one entry per output or an object keyed by output name
 * (outputs it leaves out get `missing`, if given).
 */
function perOutput<T>(
  who: string,
  option: string,
  names: readonly string[],
  value: unknown,
  isSingle: (v: unknown) => boolean,
  missing?: T,
): unknown[] {
  if (isSingle(value)) return names.map(() => value);
  if (Array.isArray(value)) {
    if (value.length !== names.length) {
      throw new ConfigError(
        `${who}: ${option} as a list needs one entry per output (${names.length}: ${names.join(', ')}), but got ${value.length}`,
      );
    }
    return value;
  }
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      if (!names.includes(key)) {
        const guess = suggestOption(key, names);
        throw new ConfigError(
          `${who}: ${option} names output '${key}'${guess === null ? '' : `; did you mean '${guess}'?`} The outputs are ${names.join(', ')}`,
        );
      }
    }
    return names.map((name) => {
      const v = (value as Record<string, unknown>)[name];
      if (v !== undefined) return v;
      if (missing !== undefined) return missing;
      throw new ConfigError(`${who}: ${option} has no entry for output '${name}' (outputs: ${names.join(', ')})`);
    });
  }
  throw new ConfigError(
    `${who}: ${option} must be a name, a function, a list or an object keyed by output, but got ${String(value)}`,
  );
}

/**
 * The forward pass and the loss training minimizes (the module comment's formula). fit's steps
 * (training mode) and evaluate (inference mode) both measure this loss.
 */
export function forwardLoss(
  model: TrainableModel,
  xs: readonly Tensor[],
  ys: readonly Tensor[],
  obj: Objective,
  training: boolean,
): { loss: Tensor; outputLosses: Tensor[]; preds: Tensor[] } {
  const preds = forward(model, xs, training);
  if (preds.length !== obj.length) {
    throw new ConfigError(
      `the model returned ${preds.length} outputs, but it names ${obj.length}: ${obj.map((o) => o.name).join(', ')}`,
    );
  }
  const outputLosses = obj.map((o, k) => o.loss(preds[k]!, ys[k]!));
  let loss = obj[0]!.weight === 1 ? outputLosses[0]! : outputLosses[0]!.mul(obj[0]!.weight);
  for (let k = 1; k < obj.length; k++) loss = loss.add(outputLosses[k]!.mul(obj[k]!.weight));
  const penalty = model.regularizationLoss();
  return { loss: penalty === null ? loss : loss.add(penalty), outputLosses, preds };
}

/** Running means of the total loss, and per output of its loss and metrics, over an epoch or a validation pass. */
export class Tracker {
  private readonly loss = new RunningMean();
  private readonly outputLoss: RunningMean[];
  private readonly metric: RunningMean[][];

  constructor(private readonly obj: Objective) {
    this.outputLoss = obj.map(() => new RunningMean());
    this.metric = obj.map((o) => o.metrics.map(() => new RunningMean()));
  }

  /** Starts the means over, for the next epoch or validation pass. */
  reset(): void {
    this.loss.reset();
    for (const m of this.outputLoss) m.reset();
    for (const ms of this.metric) for (const m of ms) m.reset();
  }

  /** Adds one batch: its losses and predictions (detached), weighted by its number of examples. */
  update(loss: number, outputLosses: readonly number[], preds: readonly Tensor[], ys: readonly Tensor[]): void {
    const n = preds[0]!.shape[0] ?? 1;
    this.loss.update(loss, n);
    this.obj.forEach((o, k) => {
      this.outputLoss[k]!.update(outputLosses[k]!, n);
      o.metrics.forEach((m, j) => {
        this.metric[k]![j]!.update(m.fn(preds[k]!, ys[k]!), n);
      });
    });
  }

  /** The means under Keras's names: loss, accuracy (one output), or loss, <out>_loss, <out>_accuracy. */
  results(prefix = ''): Logs {
    const logs: Logs = { [`${prefix}loss`]: this.loss.result() };
    const several = this.obj.length > 1;
    this.obj.forEach((o, k) => {
      const out = several ? `${o.name}_` : '';
      if (several) logs[`${prefix}${out}loss`] = this.outputLoss[k]!.result();
      o.metrics.forEach((m, j) => {
        logs[`${prefix}${out}${m.name}`] = this.metric[k]![j]!.result();
      });
    });
    return logs;
  }
}
