import { ConfigError, leakyRelu, type Tensor } from '@sinapse/tensor';
import { Layer, type LayerConfig, type LayerOptions, type LayerShape } from '../Layer';
import { registerLayer } from '../registry';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';

/** Options for {@link LeakyReLU}: Keras 3's name, or TF.js's (and Keras 2's) `alpha` for the same slope. */
export interface LeakyReLUOptions extends LayerOptions {
  /** Slope for x ≤ 0, a finite number ≥ 0. Default 0.3 (Keras's and TF.js's layer default). */
  negativeSlope?: number;
  /** TF.js's and Keras 2's name for negativeSlope; give one or the other. */
  alpha?: number;
}

/**
 * Leaky ReLU as a layer: negative inputs keep a small slope α, so their gradient is α, not 0.
 *
 *   y = x      for x > 0
 *   y = α·x    otherwise
 *
 * The layer's default α is 0.3 (Keras and TF.js layers), not the 0.2 of the `leakyRelu` op and
 * of the 'leakyRelu' activation name (TF.js's tf.leakyRelu).
 *
 * **Shape**: unchanged. No weights.
 *
 * @throws ConfigError for a slope that is negative or not a finite number, or both negativeSlope
 *   and alpha given.
 * @example
 * new LeakyReLU({ negativeSlope: 0.1 }).apply(tensor([-2, 3])).toArray(); // [-0.2, 3]
 */
export class LeakyReLU extends Layer {
  static override readonly className = 'LeakyReLU';
  static override readonly optionNames = [
    'negativeSlope',
    'alpha',
  ] as const satisfies readonly (keyof LeakyReLUOptions)[];

  /** The {@link LeakyReLUOptions.negativeSlope | negativeSlope} option, as the layer uses it. */
  readonly negativeSlope: number;

  constructor(options: LeakyReLUOptions = {}) {
    super(options);
    if (options.negativeSlope !== undefined && options.alpha !== undefined) {
      throw new ConfigError(
        `${this.describe()}: give negativeSlope or its older name alpha, not both, but got negativeSlope=${options.negativeSlope} and alpha=${options.alpha}`,
      );
    }
    const slope = options.negativeSlope ?? options.alpha ?? 0.3;
    if (typeof slope !== 'number' || !Number.isFinite(slope) || slope < 0) {
      const option = options.negativeSlope === undefined ? 'alpha' : 'negativeSlope';
      throw new ConfigError(
        `${this.describe()}: ${option} must be a non-negative number, but got ${JSON.stringify(slope)}`,
      );
    }
    this.negativeSlope = slope;
  }

  protected call(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }

  /** The shape is unchanged. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  protected options(): LayerConfig {
    return { negativeSlope: this.negativeSlope };
  }
}

// fails to compile if LeakyReLUOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof LeakyReLU.optionNames, LeakyReLUOptions, LayerOptions>>;

registerLayer(LeakyReLU);
