import { ConfigError, Generator, getGenerator, type Tensor } from '@sinapse/tensor';
import { Layer, type LayerConfig, type LayerOptions, type LayerShape } from '../Layer';
import { registerLayer } from '../registry';
import { inRange } from '../util/args';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';
import { checkImageInput } from '../util/shapes';
import { dropoutMask } from './Dropout';

/** Options for {@link SpatialDropout2D} (names as in Keras and TF.js layers). */
export interface SpatialDropout2DOptions extends LayerOptions {
  /** Fraction of the channels to drop, in [0, 1). Required. */
  rate: number;
  /** Seed of the layer's own random stream (as Dropout's). Default: the library-wide generator. */
  seed?: number;
}

/**
 * Dropout of whole feature maps (Tompson et al. 2015): in training, each channel of each example is
 * zeroed with probability `rate` at every position, and the kept ones are scaled by 1 / (1 − rate).
 * Neighbouring pixels of a map are strongly correlated, so dropping single pixels (Dropout) hardly
 * regularizes a conv net; dropping the map does. It is Dropout with noiseShape [N, 1, 1, C].
 *
 * **Shape**: [N, H, W, C], unchanged. No weights.
 *
 * @throws ConfigError if rate is not in [0, 1) or seed is not an integer.
 * @throws ShapeError for an input that is not [batch, height, width, channels].
 * @example
 * new SpatialDropout2D({ rate: 0.5, seed: 3 }).apply(ones([1, 2, 2, 4]), { training: true }); // whole channels 0 or 2
 */
export class SpatialDropout2D extends Layer {
  static override readonly className = 'SpatialDropout2D';
  static override readonly optionNames = ['rate', 'seed'] as const satisfies readonly (keyof SpatialDropout2DOptions)[];

  /** The {@link SpatialDropout2DOptions.rate | rate} option, as the layer uses it. */
  readonly rate: number;
  /** The {@link SpatialDropout2DOptions.seed | seed} option, as the layer uses it. */
  readonly seed: number | undefined;
  private readonly seeded: Generator | undefined;

  constructor(options: SpatialDropout2DOptions);
  // the body also runs for JavaScript's `new SpatialDropout2D()`: the rate check then names the missing rate
  constructor(options: Partial<SpatialDropout2DOptions> = {}) {
    super(options);
    this.rate = inRange(this.describe(), 'rate', options.rate, 0, 1);
    if (options.seed !== undefined && !Number.isInteger(options.seed)) {
      throw new ConfigError(`${this.describe()}: seed must be an integer, but got ${JSON.stringify(options.seed)}`);
    }
    this.seed = options.seed;
    this.seeded = options.seed === undefined ? undefined : new Generator(options.seed);
  }

  protected override checkInput(shape: LayerShape): void {
    checkImageInput(this, shape);
  }

  protected call(x: Tensor, { training }: { training: boolean }): Tensor {
    if (!training || this.rate === 0) return x;
    const generator = this.generator ?? this.seeded ?? getGenerator();
    // one draw per example and channel, broadcast over height and width
    return x.mul(dropoutMask([x.shape[0]!, 1, 1, x.shape[3]!], this.rate, x.dtype, generator));
  }

  /** The shape is unchanged. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  protected options(): LayerConfig {
    const config: LayerConfig = { rate: this.rate };
    if (this.seed !== undefined) config.seed = this.seed;
    return config;
  }
}

// fails to compile if SpatialDropout2DOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof SpatialDropout2D.optionNames, SpatialDropout2DOptions, LayerOptions>>;

registerLayer(SpatialDropout2D);
