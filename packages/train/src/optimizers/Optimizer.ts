/**
 * The base of every optimizer. An optimizer turns gradients into weight changes:
 *
 *   for each trainable parameter w with a gradient g = dL/dw:   w ← w − (a step computed from g)
 *
 * The subclasses (SGD.ts, Adam.ts, RMSprop.ts) only write that step, in `update`, as a plain loop
 * over the parameter's typed arrays. This file does the bookkeeping they share: the learning
 * rate (a number or a schedule), gradient clipping, the step counter, the per-parameter "slots"
 * (momentum buffers, moment estimates) and saving/restoring them so training can resume exactly.
 */
import type { NoneUnlisted, Parameter, UnlistedOptions } from '@sinapse/layers';
import type { OptimizerState } from '@sinapse/models';
import {
  allocate,
  ConfigError,
  checkOptionNames,
  formatShape,
  ShapeError,
  Tensor,
  type TypedArray,
} from '@sinapse/tensor';
import type { Schedule } from '../schedules';
import { clipGradNorm, clipGradValue } from './clipGrad';

/**
 * An optimizer's state as plain data, the form @sinapse/models saves next to the weights: the config
 * (with `className` and `iterations`) and the slot tensors, named `<parameter name>/<slot>` (e.g.
 * 'conv1/kernel/m'), so `setState` can put it back on a freshly built or loaded model.
 */
export type { OptimizerState };

/** Options every optimizer accepts. */
export interface OptimizerOptions {
  /** A fixed step size, or a schedule: a function of the step number (0, 1, 2, …). */
  learningRate?: number | Schedule;
  /** Before each step, rescale all gradients so their global L2 norm is at most this (see clipGradNorm). */
  clipNorm?: number;
  /** Before each step, clip every gradient element to [−clipValue, clipValue] (see clipGradValue). */
  clipValue?: number;
}

/** @internal The option names every optimizer accepts, for a subclass's `optionNames`. */
export const OPTIMIZER_OPTIONS = [
  'learningRate',
  'clipNorm',
  'clipValue',
] as const satisfies readonly (keyof OptimizerOptions)[];
// fails to compile if OptimizerOptions gains an option that OPTIMIZER_OPTIONS does not list
type _ = NoneUnlisted<UnlistedOptions<typeof OPTIMIZER_OPTIONS, OptimizerOptions>>;

/**
 * The base of every optimizer: `step(params)` moves each trainable parameter against its gradient,
 * `w ← w − lr · update(g, slots)`, after optional clipping. A subclass gives the update rule and
 * names its per-parameter buffers (`slotNames`: SGD's momentum, Adam's m and v); the base keeps the
 * step count, the learning rate or its schedule, and the state for saving (`getState`/`setState`).
 *
 * @throws ConfigError for an unknown option (with a did-you-mean) or a clipNorm/clipValue that is not positive.
 */
export abstract class Optimizer {
  /**
   * The name saved in the state and used in messages, e.g. 'SGD'. Every subclass sets it: a static
   * string survives minification, where `constructor.name` would not.
   */
  static readonly className: string = 'Optimizer';
  /**
   * Every option the class reads, OPTIMIZER_OPTIONS included; the constructor refuses any other, with a
   * did-you-mean. null (the default, for custom optimizers) skips the check.
   */
  static readonly optionNames: readonly string[] | null = null;
  /** Names of the per-parameter buffers `update` receives, in order (e.g. ['m', 'v'] for Adam). */
  protected abstract readonly slotNames: readonly string[];
  /** How many steps have been taken. Adam's bias correction and schedules read it. */
  iterations = 0;
  /** The {@link OptimizerOptions.clipNorm | clipNorm} option (null: no clipping). */
  readonly clipNorm: number | null;
  /** The {@link OptimizerOptions.clipValue | clipValue} option (null: no clipping). */
  readonly clipValue: number | null;
  private fixedRate: number;
  private schedule: Schedule | null;
  /** Slot buffers of each parameter, created (as zeros) on its first update. */
  private readonly slots = new Map<Parameter, TypedArray[]>();

  constructor(options: OptimizerOptions, defaultLearningRate: number) {
    const known = (this.constructor as typeof Optimizer).optionNames;
    if (known !== null) checkOptionNames(this.className, options, known);
    const { learningRate = defaultLearningRate, clipNorm, clipValue } = options;
    this.fixedRate = defaultLearningRate;
    this.schedule = null;
    if (typeof learningRate === 'function') this.schedule = learningRate;
    else this.learningRate = learningRate;
    for (const [key, value] of [
      ['clipNorm', clipNorm],
      ['clipValue', clipValue],
    ] as const) {
      if (value !== undefined && !(value > 0)) {
        throw new ConfigError(`${this.className}: ${key} must be a positive number, but got ${value}`);
      }
    }
    this.clipNorm = clipNorm ?? null;
    this.clipValue = clipValue ?? null;
  }

  /** The class's name ('SGD', 'Adam'), as saved in the state and used in messages. */
  get className(): string {
    return (this.constructor as typeof Optimizer).className;
  }

  /** The learning rate of the next step (from the schedule, if there is one). */
  get learningRate(): number {
    return this.schedule === null ? this.fixedRate : this.schedule(this.iterations);
  }

  /** Sets a fixed learning rate (replacing any schedule), e.g. from a learningRateScheduler callback. */
  set learningRate(value: number) {
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new ConfigError(`${this.className}: learningRate must be a non-negative number, but got ${value}`);
    }
    this.fixedRate = value;
    this.schedule = null;
  }

  /**
   * Takes one step: clips the gradients if asked to, then updates `p.data` in place for every
   * trainable parameter that has a gradient (the others are skipped). Call it after
   * `loss.backward()`, and clear the gradients afterwards (`model.zeroGrad()`).
   */
  step(params: readonly Parameter[]): void {
    const live = params.filter((p) => p.trainable && p.grad !== null);
    if (this.clipNorm !== null) clipGradNorm(live, this.clipNorm);
    if (this.clipValue !== null) clipGradValue(live, this.clipValue);
    const lr = this.learningRate;
    this.iterations++;
    for (const p of live) {
      const g = p.grad!;
      if (g.size !== p.size) {
        throw new ShapeError(
          `${this.className}.step: the gradient of '${p.name}' must have its shape ${formatShape(p.shape)}, but got ${formatShape(g.shape)}`,
        );
      }
      this.update(p.data, g.data, this.slotsOf(p), lr);
    }
  }

  /**
   * The update rule for one parameter: change `w` in place given its gradient `g`, its slot
   * buffers (in `slotNames` order; they persist across steps) and this step's learning rate.
   * `this.iterations` already counts this step (1 on the first).
   */
  protected abstract update(w: TypedArray, g: TypedArray, slots: TypedArray[], lr: number): void;

  /** The hyperparameters, as JSON (what `getState().config` holds, with `className` and `iterations`). */
  getConfig(): Record<string, unknown> {
    return {
      learningRate: this.learningRate,
      ...(this.clipNorm !== null && { clipNorm: this.clipNorm }),
      ...(this.clipValue !== null && { clipValue: this.clipValue }),
    };
  }

  /**
   * Everything needed to resume training exactly: the config, the step count and a copy of
   * every slot buffer, named `<parameter name>/<slot>`.
   */
  getState(): OptimizerState {
    const tensors: OptimizerState['tensors'] = [];
    const seen = new Set<string>();
    for (const [p, buffers] of this.slots) {
      if (seen.has(p.name)) {
        throw new ConfigError(`${this.className}.getState: two parameters are named '${p.name}'; names must be unique`);
      }
      seen.add(p.name);
      buffers.forEach((b, k) => {
        tensors.push({ name: `${p.name}/${this.slotNames[k]}`, tensor: new Tensor(b.slice(), p.shape) });
      });
    }
    return { config: { className: this.className, iterations: this.iterations, ...this.getConfig() }, tensors };
  }

  /**
   * Restores a state from `getState` (possibly of another optimizer object, before a restart).
   * Slots are matched to `params` by name; a parameter with no saved slots starts from zeros.
   * The step count and a fixed learning rate are restored too.
   *
   * @throws ConfigError if the state is of another optimizer class or names an unknown parameter.
   * @throws ShapeError if a saved slot does not have its parameter's shape.
   */
  setState(state: OptimizerState, params: readonly Parameter[]): void {
    const { className, iterations, learningRate } = state.config;
    if (className !== undefined && className !== this.className) {
      throw new ConfigError(`${this.className}.setState: the state is of a ${String(className)} optimizer`);
    }
    const byName = new Map(params.map((p) => [p.name, p]));
    const restored = new Map<Parameter, TypedArray[]>();
    for (const { name, tensor } of state.tensors) {
      const cut = name.lastIndexOf('/');
      const p = byName.get(name.slice(0, cut));
      const k = this.slotNames.indexOf(name.slice(cut + 1));
      if (p === undefined || k < 0) {
        throw new ConfigError(
          `${this.className}.setState: no parameter and slot match '${name}' (slots: ${this.slotNames.join(', ')}; ` +
            `parameters: ${[...byName.keys()].join(', ')})`,
        );
      }
      if (tensor.size !== p.size) {
        throw new ShapeError(
          `${this.className}.setState: slot '${name}' must have shape ${formatShape(p.shape)}, but got ${formatShape(tensor.shape)}`,
        );
      }
      const buffers = restored.get(p) ?? this.slotNames.map(() => allocate(p.dtype, p.size));
      buffers[k]!.set(tensor.data);
      restored.set(p, buffers);
    }
    this.slots.clear();
    for (const [p, buffers] of restored) this.slots.set(p, buffers);
    if (typeof iterations === 'number') this.iterations = iterations;
    if (typeof learningRate === 'number' && this.schedule === null) this.learningRate = learningRate;
  }

  private slotsOf(p: Parameter): TypedArray[] {
    let buffers = this.slots.get(p);
    if (buffers === undefined) {
      buffers = this.slotNames.map(() => allocate(p.dtype, p.size));
      this.slots.set(p, buffers);
    }
    return buffers;
  }
}
