/**
 * Adam (Kingma & Ba, 2015, Algorithm 1): SGD whose step is normalized per weight by a running
 * estimate of the gradient's size, so every weight moves about η per step whatever its gradient's
 * scale. For a weight w with gradient g, at step t = 1, 2, …:
 *
 *   m ← β₁·m + (1 − β₁)·g          running mean of the gradient (the momentum)
 *   v ← β₂·v + (1 − β₂)·g²         running mean of its square
 *   m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)   bias correction: m and v start at 0
 *   w ← w − η · m̂ / (√v̂ + ε)
 *
 * This is the paper's form, as TF.js `tf.train.adam` and PyTorch compute it. (Keras folds the
 * corrections into η and adds ε to √v instead of √v̂, which differs slightly while t is small.)
 */
import type { NoneUnlisted, UnlistedOptions } from '@sinapse/layers';
import { ConfigError, type TypedArray } from '@sinapse/tensor';
import { OPTIMIZER_OPTIONS, Optimizer, type OptimizerOptions } from './Optimizer';

export interface AdamOptions extends OptimizerOptions {
  /** η. Default 0.001. */
  learningRate?: OptimizerOptions['learningRate'];
  /** Decay of the gradient's running mean, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay of the squared gradient's running mean, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Keeps the division finite when v̂ ≈ 0. Default 1e-7 (Keras, TF.js). */
  epsilon?: number;
}

/** @internal Adam's option names, for its `optionNames` and AdamW's. */
export const ADAM_OPTIONS = [
  ...OPTIMIZER_OPTIONS,
  'beta1',
  'beta2',
  'epsilon',
] as const satisfies readonly (keyof AdamOptions)[];

/**
 * @example
 * const optimizer = new Adam({ learningRate: 1e-3 });
 */
export class Adam extends Optimizer {
  static override readonly className: string = 'Adam';
  static override readonly optionNames: readonly string[] = ADAM_OPTIONS;

  /** The {@link AdamOptions.beta1 | beta1} option, as the optimizer uses it. */
  readonly beta1: number;
  /** The {@link AdamOptions.beta2 | beta2} option, as the optimizer uses it. */
  readonly beta2: number;
  /** The {@link AdamOptions.epsilon | epsilon} option, as the optimizer uses it. */
  readonly epsilon: number;
  protected readonly slotNames = ['m', 'v'] as const;

  constructor(options: AdamOptions = {}) {
    super(options, 0.001);
    const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7 } = options;
    for (const [key, value] of [
      ['beta1', beta1],
      ['beta2', beta2],
    ] as const) {
      if (!(value >= 0 && value < 1)) throw new ConfigError(`Adam: ${key} must be in [0, 1), but got ${value}`);
    }
    if (!(epsilon > 0)) throw new ConfigError(`Adam: epsilon must be positive, but got ${epsilon}`);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  protected update(w: TypedArray, g: TypedArray, slots: TypedArray[], lr: number): void {
    const m = slots[0]!;
    const v = slots[1]!;
    const { beta1, beta2, epsilon } = this;
    const t = this.iterations;
    const correction1 = 1 - beta1 ** t;
    const correction2 = 1 - beta2 ** t;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      const mi = beta1 * m[i]! + (1 - beta1) * gi;
      const vi = beta2 * v[i]! + (1 - beta2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      w[i]! -= (lr * (mi / correction1)) / (Math.sqrt(vi / correction2) + epsilon);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

// fails to compile if AdamOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof ADAM_OPTIONS, AdamOptions>>;
