/**
 * RMSprop (Hinton, Coursera lecture 6e, 2012): divide each weight's step by the root of a running
 * mean of its squared gradient, so steep and flat directions advance at a similar pace.
 *
 *   s ← ρ·s + (1 − ρ)·g²
 *   v ← μ·v + η·g / √(s + ε)       (with momentum μ = 0 this is just the step)
 *   w ← w − v
 *
 * ε sits inside the square root, as in Keras and TF.js `tf.train.rmsprop` (PyTorch adds it
 * outside, √s + ε).
 */
import type { NoneUnlisted, UnlistedOptions } from '@sinapse/layers';
import { ConfigError, type TypedArray } from '@sinapse/tensor';
import { OPTIMIZER_OPTIONS, Optimizer, type OptimizerOptions } from './Optimizer';

export interface RMSpropOptions extends OptimizerOptions {
  /** η. Default 0.001. */
  learningRate?: OptimizerOptions['learningRate'];
  /** ρ in [0, 1), the decay of the running mean of g². Default 0.9. */
  rho?: number;
  /** μ in [0, 1). Default 0. */
  momentum?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/**
 * @example
 * const optimizer = new RMSprop({ learningRate: 1e-3, rho: 0.9 });
 */
export class RMSprop extends Optimizer {
  static override readonly className = 'RMSprop';
  static override readonly optionNames = [
    ...OPTIMIZER_OPTIONS,
    'rho',
    'momentum',
    'epsilon',
  ] as const satisfies readonly (keyof RMSpropOptions)[];

  /** The {@link RMSpropOptions.rho | rho} option, as the optimizer uses it. */
  readonly rho: number;
  /** The {@link RMSpropOptions.momentum | momentum} option, as the optimizer uses it. */
  readonly momentum: number;
  /** The {@link RMSpropOptions.epsilon | epsilon} option, as the optimizer uses it. */
  readonly epsilon: number;
  protected readonly slotNames: readonly string[];

  constructor(options: RMSpropOptions = {}) {
    super(options, 0.001);
    const { rho = 0.9, momentum = 0, epsilon = 1e-7 } = options;
    if (!(rho >= 0 && rho < 1)) throw new ConfigError(`RMSprop: rho must be in [0, 1), but got ${rho}`);
    if (!(momentum >= 0 && momentum < 1)) {
      throw new ConfigError(`RMSprop: momentum must be in [0, 1), but got ${momentum}`);
    }
    if (!(epsilon > 0)) throw new ConfigError(`RMSprop: epsilon must be positive, but got ${epsilon}`);
    this.rho = rho;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.slotNames = momentum > 0 ? ['rms', 'momentum'] : ['rms'];
  }

  protected update(w: TypedArray, g: TypedArray, slots: TypedArray[], lr: number): void {
    const s = slots[0]!;
    const { rho, momentum, epsilon } = this;
    const v = slots[1]; // only with momentum
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      const si = rho * s[i]! + (1 - rho) * gi * gi;
      s[i] = si;
      const stepI = (lr * gi) / Math.sqrt(si + epsilon);
      if (v === undefined) {
        w[i]! -= stepI;
      } else {
        const vi = momentum * v[i]! + stepI;
        v[i] = vi;
        w[i]! -= vi;
      }
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon };
  }
}

// fails to compile if RMSpropOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof RMSprop.optionNames, RMSpropOptions>>;
