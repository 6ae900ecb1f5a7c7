import { ConfigError, reshape, ShapeError, type Tensor } from '@sinapse/tensor';
import { formatLayerShape, Layer, type LayerConfig, type LayerOptions, type LayerShape } from '../Layer';
import { registerLayer } from '../registry';
import { MAX_DIM, positionalOptions } from '../util/args';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';

/** Options for {@link Reshape} (names as in Keras and TF.js layers). */
export interface ReshapeOptions extends LayerOptions {
  /**
   * The shape of one example, without the batch axis, e.g. [28, 28, 1]. One entry may be -1: it
   * is inferred so that the number of values stays the same. Required.
   */
  targetShape: readonly number[];
}

/**
 * Gives each example a new shape with the same values in the same (row-major) order, e.g. turns
 * MNIST's 784-pixel rows into [28, 28, 1] images for a Conv2D. The batch axis is kept.
 *
 * **Shape**: [N, d₁, …, d_k] → [N, ...targetShape], where d₁·…·d_k = Π targetShape (the -1 entry,
 * if any, is that product divided by the known entries). No weights.
 *
 * @throws ConfigError if targetShape has an entry that is not a positive integer or -1, or more
 *   than one -1.
 * @throws ShapeError if an example's size does not fit targetShape.
 * @example
 * new Reshape({ targetShape: [28, 28, -1] }).apply(zeros([32, 784])).shape; // [32, 28, 28, 1]
 */
export class Reshape extends Layer {
  static override readonly className = 'Reshape';
  static override readonly optionNames = ['targetShape'] as const satisfies readonly (keyof ReshapeOptions)[];

  /** The {@link ReshapeOptions.targetShape | targetShape} option, as the layer uses it. */
  readonly targetShape: readonly number[];

  constructor(options: ReshapeOptions);
  /** Keras's positional form: `new Reshape([7, 7, 64])`. */
  constructor(targetShape: readonly number[], options?: Omit<ReshapeOptions, 'targetShape'>);
  // the body also runs for JavaScript's `new Reshape()`: the check below then names the missing targetShape
  constructor(...args: unknown[]) {
    const options = positionalOptions<Partial<ReshapeOptions>>('Reshape', args, ['targetShape']);
    super(options);
    const s = options.targetShape;
    const ok =
      Array.isArray(s) &&
      s.every((d) => Number.isInteger(d) && ((d > 0 && d <= MAX_DIM) || d === -1)) &&
      s.filter((d) => d === -1).length <= 1;
    if (!ok) {
      throw new ConfigError(
        `${this.describe()}: targetShape must be positive integers with at most one -1 (the batch axis is not included), but got ${JSON.stringify(s)}`,
      );
    }
    this.targetShape = [...s];
  }

  protected override checkInput(shape: LayerShape): void {
    this.outputExampleShape(shape);
  }

  protected call(x: Tensor): Tensor {
    return reshape(x, [x.shape[0]!, ...this.outputExampleShape(x.shape)]);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    // with an unknown example size, the -1 entry is unknown too
    if (inputShape.slice(1).some((d) => d === null)) {
      return [inputShape[0] ?? null, ...this.targetShape.map((d) => (d === -1 ? null : d))];
    }
    return [inputShape[0] ?? null, ...this.outputExampleShape(inputShape)];
  }

  protected options(): LayerConfig {
    return { targetShape: [...this.targetShape] };
  }

  /** targetShape with the -1 resolved, after checking that one example's values fit it. */
  private outputExampleShape(inputShape: LayerShape): number[] {
    if (inputShape.length < 1) {
      throw new ShapeError(`${this.describe()} expects input [batch, ...], got ${formatLayerShape(inputShape)}`);
    }
    const size = inputShape.slice(1).reduce<number>((p, d) => p * d!, 1);
    const known = this.targetShape.reduce((p, d) => (d === -1 ? p : p * d), 1);
    const inferred = this.targetShape.includes(-1);
    if (inferred ? size % known !== 0 : size !== known) {
      throw new ShapeError(
        `${this.describe()}: cannot reshape an example of shape ${formatLayerShape(inputShape.slice(1))} (${size} values) ` +
          `into targetShape ${formatLayerShape(this.targetShape)}${inferred ? ` (${size} is not a multiple of ${known})` : ` (${known} values)`}. ` +
          `Input shape ${formatLayerShape(inputShape)}`,
      );
    }
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }
}

// fails to compile if ReshapeOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof Reshape.optionNames, ReshapeOptions, LayerOptions>>;

registerLayer(Reshape);
