import { ConfigError, type Tensor } from '@sinapse/tensor';
import { elu } from '../activations';
import { Layer, type LayerConfig, type LayerOptions, type LayerShape } from '../Layer';
import { registerLayer } from '../registry';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';

/** Options for {@link ELU} (Keras and TF.js layers). */
export interface ELUOptions extends LayerOptions {
  /** Scale of the negative part, the value y approaches as x → −∞ is −alpha; ≥ 0. Default 1. */
  alpha?: number;
}

/**
 * The exponential linear unit as a layer (Clevert et al. 2015): the identity for positive inputs,
 * a smooth curve down to −α for negative ones, so the mean activation stays nearer 0 than relu's.
 *
 *   y = x              for x > 0
 *   y = α·(eˣ − 1)     otherwise
 *
 * The gradient is 1 for x > 0 and α·eˣ = y + α otherwise.
 *
 * **Shape**: unchanged. No weights.
 *
 * @throws ConfigError for an alpha that is negative or not a finite number.
 * @example
 * new ELU({ alpha: 2 }).apply(tensor([-1000, 3])).toArray(); // [-2, 3]
 */
export class ELU extends Layer {
  static override readonly className = 'ELU';
  static override readonly optionNames = ['alpha'] as const satisfies readonly (keyof ELUOptions)[];

  /** The {@link ELUOptions.alpha | alpha} option, as the layer uses it. */
  readonly alpha: number;

  constructor(options: ELUOptions = {}) {
    super(options);
    const alpha = options.alpha ?? 1;
    if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0) {
      throw new ConfigError(
        `${this.describe()}: alpha must be a non-negative number, but got ${JSON.stringify(alpha)}`,
      );
    }
    this.alpha = alpha;
  }

  protected call(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }

  /** The shape is unchanged. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  protected options(): LayerConfig {
    return { alpha: this.alpha };
  }
}

// fails to compile if ELUOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof ELU.optionNames, ELUOptions, LayerOptions>>;

registerLayer(ELU);
