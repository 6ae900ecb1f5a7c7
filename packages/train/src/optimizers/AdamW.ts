/**
 * AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization", 2019): Adam plus weight
 * decay applied to the weights directly, not through the gradient. Each step, before Adam's update:
 *
 *   w ← w − η·λ·w          (λ = weightDecay)
 *   w ← w − η · m̂ / (√v̂ + ε)   Adam, from the gradient alone
 *
 * Why decoupled: an L2 penalty ½λ‖w‖² adds λw to the gradient, and Adam then divides it by √v̂ like
 * everything else, so weights with large gradients are barely decayed. Shrinking w itself decays
 * every weight by the same fraction η·λ per step. Same order and rule as torch.optim.AdamW and Keras
 * AdamW; the default λ is Keras's 0.004 (PyTorch's is 0.01).
 */
import type { NoneUnlisted, UnlistedOptions } from '@sinapse/layers';
import { ConfigError, type TypedArray } from '@sinapse/tensor';
import { ADAM_OPTIONS, Adam, type AdamOptions } from './Adam';

export interface AdamWOptions extends AdamOptions {
  /** λ, the fraction (times η) of each weight removed per step. Default 0.004 (Keras). */
  weightDecay?: number;
}

const ADAMW_OPTIONS = [...ADAM_OPTIONS, 'weightDecay'] as const satisfies readonly (keyof AdamWOptions)[];

/**
 * @example
 * const optimizer = new AdamW({ learningRate: 1e-3, weightDecay: 0.01 });
 */
export class AdamW extends Adam {
  static override readonly className: string = 'AdamW';
  static override readonly optionNames: readonly string[] = ADAMW_OPTIONS;

  /** The {@link AdamWOptions.weightDecay | weightDecay} option, as the optimizer uses it. */
  readonly weightDecay: number;

  constructor(options: AdamWOptions = {}) {
    super(options);
    const { weightDecay = 0.004 } = options;
    if (!(weightDecay >= 0) || !Number.isFinite(weightDecay)) {
      throw new ConfigError(`AdamW: weightDecay must be a non-negative number, but got ${weightDecay}`);
    }
    this.weightDecay = weightDecay;
  }

  protected override update(w: TypedArray, g: TypedArray, slots: TypedArray[], lr: number): void {
    const keep = 1 - lr * this.weightDecay;
    for (let i = 0; i < w.length; i++) w[i]! *= keep;
    super.update(w, g, slots, lr);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), weightDecay: this.weightDecay };
  }
}

// fails to compile if AdamWOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof ADAMW_OPTIONS, AdamWOptions>>;
