import { ConfigError, ShapeError, type Tensor } from '@sinapse/tensor';
import { formatLayerShape, Layer, type LayerConfig, type LayerOptions, type LayerShape } from '../Layer';
import { registerLayer } from '../registry';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';

/** Options for {@link InputLayer} (names as in Keras and TF.js layers). Give inputShape or batchInputShape. */
export interface InputLayerOptions extends LayerOptions {
  /** Shape of one example without the batch axis, e.g. [28, 28, 1]. */
  inputShape?: readonly number[];
  /** A fixed batch size to go with inputShape. Default: null (any). */
  batchSize?: number | null;
  /** The full shape, batch axis first: [batchSize or null, ...inputShape]. Instead of the two above. */
  batchInputShape?: readonly (number | null)[];
}

/**
 * The entry point of a model: it computes nothing (y = x), but states the shape the model takes,
 * so every later layer can build its weights and `summary()` can print shapes before any data.
 * Sequential uses one as its first layer.
 *
 * **Shape**: [N, ...inputShape] → the same. The input must match inputShape exactly (and
 * batchSize, when one is set). No weights.
 *
 * @throws ConfigError if neither or both of inputShape and batchInputShape are given, or a
 *   dimension is not a positive integer.
 * @throws ShapeError for an input of another shape.
 * @example
 * const input = new InputLayer({ inputShape: [28, 28, 1] });
 * input.computeOutputShape([null, 28, 28, 1]); // [null, 28, 28, 1]
 */
export class InputLayer extends Layer {
  static override readonly className = 'InputLayer';
  static override readonly optionNames = [
    'batchSize',
    'batchInputShape',
  ] as const satisfies readonly (keyof InputLayerOptions)[];

  /** The fixed batch size, or null for any. */
  readonly batchSize: number | null;
  /** [batchSize, ...inputShape] */
  readonly shape: LayerShape;

  constructor(options: InputLayerOptions = {}) {
    const { batchInputShape, ...rest } = options;
    if ((batchInputShape === undefined) === (options.inputShape === undefined)) {
      throw new ConfigError(
        `InputLayer${options.name === undefined ? '' : ` '${options.name}'`}: give exactly one of inputShape and batchInputShape, ` +
          `but got ${batchInputShape === undefined ? 'neither' : 'both'}`,
      );
    }
    const inputShape = batchInputShape === undefined ? options.inputShape : batchInputShape.slice(1);
    const batchSize = batchInputShape === undefined ? (options.batchSize ?? null) : (batchInputShape[0] ?? null);
    super({ ...rest, inputShape: inputShape as number[] });
    if (batchSize !== null && !(Number.isInteger(batchSize) && batchSize > 0)) {
      throw new ConfigError(
        `${this.describe()}: batchSize must be a positive integer or null, but got ${JSON.stringify(batchSize)}`,
      );
    }
    this.batchSize = batchSize;
    this.shape = [batchSize, ...this.batchInputShape!.slice(1)];
  }

  protected override checkInput(shape: LayerShape): void {
    const ok =
      shape.length === this.shape.length &&
      this.shape.every((d, i) => d === null || shape[i] === null || d === shape[i]);
    if (!ok) {
      throw new ShapeError(
        `${this.describe()} expects input ${formatLayerShape(this.shape)}, got ${formatLayerShape(shape)}`,
      );
    }
  }

  protected call(x: Tensor): Tensor {
    return x;
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    this.checkInput(inputShape);
    return inputShape;
  }

  protected options(): LayerConfig {
    return { batchSize: this.batchSize };
  }
}

// fails to compile if InputLayerOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof InputLayer.optionNames, InputLayerOptions, LayerOptions>>;

registerLayer(InputLayer);
