import {
  allocate,
  ConfigError,
  type DType,
  formatShape,
  Generator,
  getGenerator,
  ShapeError,
  Tensor,
} from '@sinapse/tensor';
import { formatLayerShape, Layer, type LayerConfig, type LayerOptions, type LayerShape } from '../Layer';
import { registerLayer } from '../registry';
import { inRange, MAX_DIM, positionalOptions } from '../util/args';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';

/** Options for {@link Dropout} (names as in Keras and TF.js layers). */
export interface DropoutOptions extends LayerOptions {
  /** Fraction of the units to drop, in [0, 1). Required. */
  rate: number;
  /**
   * Seed of the layer's own random stream: two layers with the same seed drop the same units, call
   * after call. Default: none, masks come from the library-wide generator (see `seed()`).
   */
  seed?: number;
  /**
   * Shape of the mask, one entry per input axis; 1 shares a draw along that axis, null takes the
   * input's size. `[null, 1, 1, null]` drops whole channels of an NHWC image (spatial dropout).
   * Default: the input shape (every unit is dropped independently).
   */
  noiseShape?: readonly (number | null)[];
}

/**
 * Inverted dropout (Srivastava et al. 2014): in training, each unit is kept with probability
 * 1 − rate and the kept ones are scaled by 1 / (1 − rate); at inference the layer is the identity.
 *
 *   training:  y = x ⊙ m / (1 − rate),   m ~ Bernoulli(1 − rate), one draw per unit
 *   inference: y = x
 *
 * Why scale during training rather than at inference: E[m / (1 − rate)] = 1, so every unit has the
 * same expected value in both modes and the trained network needs no change to be used.
 * The gradient is the same mask: dx = dy ⊙ m / (1 − rate) (autograd gets it from the product).
 *
 * Where the mask comes from, first match wins: `layer.generator` if set (tests), the layer's own
 * generator seeded from `seed` (it advances each call, so successive batches get different masks
 * but a rerun gets the same ones), or the library-wide generator.
 *
 * **Shape**: any shape, unchanged. No weights (0 parameters).
 *
 * @example
 * const drop = new Dropout({ rate: 0.5, seed: 1 });
 * drop.apply(ones([1, 6]), { training: true }).toArray(); // [[2, 2, 2, 0, 0, 2]]: kept units doubled
 * drop.apply(ones([1, 6])).toArray();                     // [[1, 1, 1, 1, 1, 1]]: identity at inference
 * @throws ConfigError if rate is not in [0, 1) or noiseShape is not a list of positive integers or null.
 */
export class Dropout extends Layer {
  static override readonly className = 'Dropout';
  static override readonly optionNames = [
    'rate',
    'seed',
    'noiseShape',
  ] as const satisfies readonly (keyof DropoutOptions)[];

  /** The {@link DropoutOptions.rate | rate} option, as the layer uses it. */
  readonly rate: number;
  /** The {@link DropoutOptions.seed | seed} option, as the layer uses it. */
  readonly seed: number | undefined;
  /** The {@link DropoutOptions.noiseShape | noiseShape} option, as the layer uses it. */
  readonly noiseShape: readonly (number | null)[] | undefined;
  /** The stream seeded from `seed`; undefined without a seed. */
  private readonly seeded: Generator | undefined;

  constructor(options: DropoutOptions);
  /** Keras's positional form: `new Dropout(0.5)`. */
  constructor(rate: number, options?: Omit<DropoutOptions, 'rate'>);
  // the body also runs for JavaScript's `new Dropout()`: the rate check then names the missing rate
  constructor(...args: unknown[]) {
    const options = positionalOptions<Partial<DropoutOptions>>('Dropout', args, ['rate']);
    super(options);
    this.rate = inRange(this.describe(), 'rate', options.rate, 0, 1);
    if (options.seed !== undefined && !Number.isInteger(options.seed)) {
      throw new ConfigError(`${this.describe()}: seed must be an integer, but got ${JSON.stringify(options.seed)}`);
    }
    this.seed = options.seed;
    this.seeded = options.seed === undefined ? undefined : new Generator(options.seed);
    const ns = options.noiseShape;
    if (
      ns !== undefined &&
      (!Array.isArray(ns) || !ns.every((d) => d === null || (Number.isInteger(d) && d > 0 && d <= MAX_DIM)))
    ) {
      throw new ConfigError(
        `${this.describe()}: noiseShape must be a list of positive integers or null, but got ${JSON.stringify(ns)}`,
      );
    }
    this.noiseShape = ns === undefined ? undefined : [...ns];
  }

  protected call(x: Tensor, { training }: { training: boolean }): Tensor {
    if (!training || this.rate === 0) return x;
    const generator = this.generator ?? this.seeded ?? getGenerator();
    // a mask of shape noiseShape broadcasts over the axes where it is 1
    return x.mul(dropoutMask(this.maskShape(x.shape), this.rate, x.dtype, generator));
  }

  /** noiseShape with nulls filled in from x; each entry must be 1 or x's size on that axis. */
  private maskShape(shape: readonly number[]): number[] {
    if (this.noiseShape === undefined) return [...shape];
    const ns = this.noiseShape;
    const mask = ns.map((d, a) => d ?? shape[a]!);
    if (ns.length !== shape.length || mask.some((d, a) => d !== 1 && d !== shape[a])) {
      throw new ShapeError(
        `${this.describe()}: noiseShape ${formatLayerShape(ns)} must have one entry per input axis, each 1, null ` +
          `or the input's size, but got input shape ${formatShape(shape)}`,
      );
    }
    return mask;
  }

  /** The shape is unchanged. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  protected options(): LayerConfig {
    const config: LayerConfig = { rate: this.rate };
    if (this.seed !== undefined) config.seed = this.seed;
    if (this.noiseShape !== undefined) config.noiseShape = [...this.noiseShape];
    return config;
  }
}

/** m / (1 − rate) with m ~ Bernoulli(1 − rate): each cell is 0 (dropped) or 1 / (1 − rate) (kept). */
export function dropoutMask(shape: readonly number[], rate: number, dtype: DType, generator: Generator): Tensor {
  const keepScale = 1 / (1 - rate);
  const mask = allocate(
    dtype,
    shape.reduce((a, b) => a * b, 1),
  );
  for (let i = 0; i < mask.length; i++) mask[i] = generator.uniform() < rate ? 0 : keepScale;
  return new Tensor(mask, [...shape]);
}

// fails to compile if DropoutOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof Dropout.optionNames, DropoutOptions, LayerOptions>>;

registerLayer(Dropout);
