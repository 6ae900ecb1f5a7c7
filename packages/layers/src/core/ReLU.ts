import { ConfigError, clip, mul, relu, sub, type Tensor, where } from '@sinapse/tensor';
import { Layer, type LayerConfig, type LayerOptions, type LayerShape } from '../Layer';
import { registerLayer } from '../registry';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';

/** Options for {@link ReLU} (names as in Keras; TF.js has only maxValue). */
export interface ReLUOptions extends LayerOptions {
  /** Upper bound of the output, ≥ 0 (6 gives MobileNet's ReLU6). Default: none (unbounded). */
  maxValue?: number | null;
  /** Slope below the threshold, ≥ 0 (a leaky ReLU when > 0). Default 0. */
  negativeSlope?: number;
  /** Inputs at or below it are treated as "off", ≥ 0. Default 0. */
  threshold?: number;
}

/**
 * The rectified linear unit as a layer, with Keras's three optional knobs (M = maxValue,
 * α = negativeSlope, t = threshold):
 *
 *   y = min(x, M)      for x > t
 *   y = α·(x − t)      for x ≤ t
 *
 * With the defaults (M = ∞, α = 0, t = 0) it is plain relu(x) = max(x, 0). The gradient is 1 on
 * the linear part, 0 where the output is clipped at M, and α below the threshold.
 *
 * **Shape**: unchanged. No weights.
 *
 * @throws ConfigError if maxValue, negativeSlope or threshold is negative or not a finite number
 *   (as in Keras).
 * @example
 * new ReLU({ maxValue: 6 }).apply(tensor([-1, 3, 8])).toArray(); // [0, 3, 6]
 */
export class ReLU extends Layer {
  static override readonly className = 'ReLU';
  static override readonly optionNames = [
    'maxValue',
    'negativeSlope',
    'threshold',
  ] as const satisfies readonly (keyof ReLUOptions)[];

  /** The {@link ReLUOptions.maxValue | maxValue} option, as the layer uses it. */
  readonly maxValue: number | null;
  /** The {@link ReLUOptions.negativeSlope | negativeSlope} option, as the layer uses it. */
  readonly negativeSlope: number;
  /** The {@link ReLUOptions.threshold | threshold} option, as the layer uses it. */
  readonly threshold: number;

  constructor(options: ReLUOptions = {}) {
    super(options);
    this.maxValue = options.maxValue ?? null;
    if (this.maxValue !== null) nonNegative(this.describe(), 'maxValue', this.maxValue);
    this.negativeSlope = nonNegative(this.describe(), 'negativeSlope', options.negativeSlope ?? 0);
    this.threshold = nonNegative(this.describe(), 'threshold', options.threshold ?? 0);
  }

  protected call(x: Tensor): Tensor {
    const t = this.threshold;
    // the part above the threshold, x·[x > t]; where() picks x exactly where relu(x − t) ≠ 0
    let y = t === 0 ? relu(x) : where(relu(sub(x, t)), x, 0);
    if (this.maxValue !== null) y = clip(y, 0, this.maxValue);
    // the part below it, α·(x − t) = −α·relu(t − x)
    if (this.negativeSlope !== 0) y = sub(y, mul(relu(sub(t, x)), this.negativeSlope));
    return y;
  }

  /** The shape is unchanged. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  protected options(): LayerConfig {
    return { maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
  }
}

function nonNegative(who: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigError(`${who}: ${option} must be a non-negative number, but got ${JSON.stringify(value)}`);
  }
  return value;
}

// fails to compile if ReLUOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof ReLU.optionNames, ReLUOptions, LayerOptions>>;

registerLayer(ReLU);
