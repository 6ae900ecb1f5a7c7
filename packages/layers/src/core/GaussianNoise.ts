import { ConfigError, Generator, getGenerator, randn, type Tensor } from '@sinapse/tensor';
import { Layer, type LayerConfig, type LayerOptions, type LayerShape } from '../Layer';
import { registerLayer } from '../registry';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';

/** Options for {@link GaussianNoise} (names as in Keras and TF.js layers). */
export interface GaussianNoiseOptions extends LayerOptions {
  /** Standard deviation of the noise, ≥ 0. Required. */
  stddev: number;
  /** Seed of the layer's own random stream. Default: the library-wide generator (see `seed()`). */
  seed?: number;
}

/**
 * Adds zero-mean Gaussian noise in training, a regularizer (and a denoising autoencoder's
 * corruption); at inference the layer is the identity.
 *
 *   training:  y = x + ε,   ε ~ N(0, stddev²), one draw per value
 *   inference: y = x
 *
 * The gradient is dy itself (the noise is a constant of the step).
 *
 * **Shape**: any, unchanged. No weights.
 *
 * @throws ConfigError for a stddev that is negative or not a finite number, or a non-integer seed.
 * @example
 * new GaussianNoise({ stddev: 0.1 }).apply(ones([2, 3])).toArray(); // unchanged at inference
 */
export class GaussianNoise extends Layer {
  static override readonly className = 'GaussianNoise';
  static override readonly optionNames = ['stddev', 'seed'] as const satisfies readonly (keyof GaussianNoiseOptions)[];

  /** The {@link GaussianNoiseOptions.stddev | stddev} option, as the layer uses it. */
  readonly stddev: number;
  /** The {@link GaussianNoiseOptions.seed | seed} option, as the layer uses it. */
  readonly seed: number | undefined;
  private readonly seeded: Generator | undefined;

  constructor(options: GaussianNoiseOptions);
  // the body also runs for JavaScript's `new GaussianNoise()`: the check below then names the missing stddev
  constructor(options: Partial<GaussianNoiseOptions> = {}) {
    super(options);
    const s = options.stddev;
    if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) {
      throw new ConfigError(`${this.describe()}: stddev must be a non-negative number, but got ${JSON.stringify(s)}`);
    }
    if (options.seed !== undefined && !Number.isInteger(options.seed)) {
      throw new ConfigError(`${this.describe()}: seed must be an integer, but got ${JSON.stringify(options.seed)}`);
    }
    this.stddev = s;
    this.seed = options.seed;
    this.seeded = options.seed === undefined ? undefined : new Generator(options.seed);
  }

  protected call(x: Tensor, { training }: { training: boolean }): Tensor {
    if (!training || this.stddev === 0) return x;
    const generator = this.generator ?? this.seeded ?? getGenerator();
    return x.add(randn(x.shape, { std: this.stddev, dtype: x.dtype, generator }));
  }

  /** The shape is unchanged. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  protected options(): LayerConfig {
    const config: LayerConfig = { stddev: this.stddev };
    if (this.seed !== undefined) config.seed = this.seed;
    return config;
  }
}

// fails to compile if GaussianNoiseOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof GaussianNoise.optionNames, GaussianNoiseOptions, LayerOptions>>;

registerLayer(GaussianNoise);
