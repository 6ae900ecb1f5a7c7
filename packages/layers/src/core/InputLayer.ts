import { ConfigError, checkOptionNames, type DType, ShapeError, type Tensor } from '@sinapse/tensor';
import { Node } from '../engine/Node';
import { SymbolicTensor } from '../engine/SymbolicTensor';
import { formatLayerShape, Layer, type LayerConfig, type LayerOptions, type LayerShape } from '../Layer';
import { registerLayer } from '../registry';
import { MAX_DIM } from '../util/args';
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
 * Sequential uses one as its first layer; a functional model starts from its `output`, the
 * symbolic tensor that `input()` returns.
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
  /** The symbolic tensor this layer feeds into a functional model (its one node's output). */
  readonly output: SymbolicTensor;

  constructor(options: InputLayerOptions = {}) {
    const { batchInputShape, ...rest } = options;
    if ((batchInputShape === undefined) === (options.inputShape === undefined)) {
      throw new ConfigError(
        `InputLayer${options.name === undefined ? '' : ` '${options.name}'`}: give exactly one of inputShape and batchInputShape, ` +
          `but got ${batchInputShape === undefined ? 'neither' : 'both'}`,
      );
    }
    if (batchInputShape !== undefined && (!Array.isArray(batchInputShape) || batchInputShape.length === 0)) {
      throw new ConfigError(
        `InputLayer${options.name === undefined ? '' : ` '${options.name}'`}: batchInputShape must be ` +
          `[batchSize or null, ...sizes], but got ${JSON.stringify(batchInputShape)}`,
      );
    }
    const inputShape = batchInputShape === undefined ? options.inputShape : batchInputShape.slice(1);
    const batchSize = batchInputShape === undefined ? (options.batchSize ?? null) : (batchInputShape[0] ?? null);
    super({ ...rest, inputShape: inputShape as number[] });
    if (batchSize !== null && !(Number.isInteger(batchSize) && batchSize > 0 && batchSize <= MAX_DIM)) {
      throw new ConfigError(
        `${this.describe()}: batchSize must be a positive integer or null, but got ${JSON.stringify(batchSize)}`,
      );
    }
    this.batchSize = batchSize;
    this.shape = [batchSize, ...this.batchInputShape!.slice(1)];
    // the graph starts here: a node with no inputs, whose output is the model's input
    const node = new Node(this, [], false);
    this.output = new SymbolicTensor(this.shape, this.dtype, node, 0);
    node.outputs = [this.output];
    this.inboundNodes.push(node);
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

/** Options for {@link input} (Keras `Input`, TF.js `tf.input`). Give shape or batchShape. */
export interface InputOptions {
  /** Shape of one example, without the batch axis: [28, 28, 1]. */
  shape?: readonly number[];
  /** A fixed batch size to go with shape. Default: any. */
  batchSize?: number | null;
  /** The full shape, batch axis first (null for any): [null, 28, 28, 1]. Instead of shape and batchSize. */
  batchShape?: readonly (number | null)[];
  /** The input layer's name. Default 'input_layer_1', 'input_layer_2', ... */
  name?: string;
  /** 'float32' (default) or 'float64'. */
  dtype?: DType;
}

const INPUT_OPTIONS = [
  'shape',
  'batchSize',
  'batchShape',
  'name',
  'dtype',
] as const satisfies readonly (keyof InputOptions)[];

/**
 * The input of a functional model: a symbolic tensor of the given shape (batch axis null), made by
 * a new InputLayer. Apply layers to it, then pass it to `model({ inputs, outputs })`.
 * @throws ConfigError for a shape that is not positive integers, or both shape and batchShape.
 * @example
 * const x = input({ shape: [28, 28, 1] });
 * x.shape; // [null, 28, 28, 1]
 */
export function input(options: InputOptions): SymbolicTensor {
  checkOptionNames('input', options ?? {}, INPUT_OPTIONS);
  const { shape, batchShape, batchSize, name, dtype } = options ?? {};
  if ((shape === undefined) === (batchShape === undefined)) {
    throw new ConfigError(
      `input: give exactly one of shape and batchShape, but got ${shape === undefined ? 'neither' : 'both'}; e.g. input({ shape: [28, 28, 1] })`,
    );
  }
  const layer =
    batchShape === undefined
      ? new InputLayer({ inputShape: shape, batchSize, name, dtype })
      : new InputLayer({ batchInputShape: batchShape, name, dtype });
  return layer.output;
}
