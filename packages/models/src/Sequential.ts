/**
 * A Sequential model is a list of layers, each fed the output of the one before (Keras
 * `Sequential`, convnetjs `layer_defs`):
 *
 *   image [N, 28, 28, 1] → Conv2D → [N, 28, 28, 6] → MaxPooling2D → [N, 14, 14, 6] → ... → [N, 10]
 *
 * It is a Model (predict, compile, fit, save...) and so a Layer: a Sequential can sit inside another
 * Sequential or a functional model, and any one-input, one-output model can be one of its layers.
 *
 * Note [Shapes before weights]: when the first layer declares `inputShape`, every `add` runs the new
 * layer's `computeOutputShape` on the previous output shape. That catches a wrong architecture at
 * the line that builds it and gives `summary()` and `countParams()` everything they need, without
 * allocating a single weight: VGG-16's 138 million parameters are only counted, not created, until
 * the first `apply` (or `weights`, `getWeights`, `setWeights`) needs them.
 */

import {
  type CallOptions,
  deserializeLayer,
  formatLayerShape,
  Layer,
  type LayerConfig,
  type LayerShape,
  type LayerShapes,
  MAX_DIM,
  type Parameter,
  registerLayer,
  type SerializedLayer,
  serializeLayer,
  type WeightInfo,
} from '@sinapse/layers';
import { ConfigError, checkOptionNames, ShapeError, type Tensor } from '@sinapse/tensor';
import { fits, Model } from './Model';
import { formatSummary, summaryRow } from './summary';

/** Options for {@link Sequential}. */
export interface SequentialOptions {
  /** Model name, shown by `summary()`. Default 'sequential_1', 'sequential_2', ... */
  name?: string;
}

/** What `getConfig()` returns: plain JSON that `Sequential.fromConfig` turns back into the model. */
// a type, not an interface, so it is a LayerConfig (a Record) as getConfig's override must return
export type SequentialConfig = {
  /** The model's name, as `summary()` shows it. */
  name: string;
  /** The input shape the model was built for (batch axis null), when known. */
  inputShape?: (number | null)[];
  /** Every layer, in order, as `serializeLayer` writes it: `{ className: 'Conv2D', config: {...} }`. */
  layers: SerializedLayer[];
};

export class Sequential extends Model {
  static override readonly className: string = 'Sequential';
  private readonly layerList: Layer[] = [];
  /**
   * shapes[i] is the input shape of layer i and shapes[layers.length] the model's output shape, all
   * with a null batch axis. Null until the input shape is known (Note [Shapes before weights]).
   */
  private shapes: LayerShape[] | null = null;

  /**
   * @param layers the layers in order; the first may declare `inputShape` so shapes are checked as they are added.
   * @throws ConfigError for something that is not a layer, or a layer name used twice.
   * @throws ShapeError when a layer cannot take the previous layer's output shape.
   * @example
   * const model = new Sequential([new Dense({ units: 3, inputShape: [4] }), new Dense({ units: 2 })]);
   * model.outputShape; // [null, 2]
   */
  constructor(layers: readonly Layer[] = [], options: SequentialOptions = {}) {
    checkOptionNames('Sequential', options, ['name']);
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
      throw new ConfigError(`Sequential: name must be a non-empty string, but got ${JSON.stringify(options.name)}`);
    }
    super({ name: options.name });
    if (!Array.isArray(layers)) {
      throw new ConfigError(`${this.describe()}: expects an array of layers, but got ${describeValue(layers)}`);
    }
    for (const layer of layers) this.add(layer);
  }

  /**
   * Appends a layer (any Layer, a model included, with one input and one output). If the input
   * shape is known, checks that the layer accepts the current output.
   * @throws ConfigError / ShapeError as the constructor.
   */
  add(layer: Layer): this {
    if (!(layer instanceof Layer)) {
      throw new ConfigError(`${this.describe()}: add expects a Layer, but got ${describeValue(layer)}`);
    }
    if (layer === this) throw new ConfigError(`${this.describe()}: a model cannot be one of its own layers`);
    if (this.layerList.some((l) => l.name === layer.name)) {
      throw new ConfigError(
        `${this.describe()}: the model already has a layer named '${layer.name}'; layer names must be unique ` +
          '(they name the weights, e.g. conv1/kernel)',
      );
    }
    if (this.layerList.length === 0 && layer.batchInputShape !== null) {
      this.shapes = [layer.batchInputShape];
    } else if (this.layerList.length === 0 && layer instanceof Model && layer.inputShapes.length === 1) {
      this.shapes = [layer.inputShapes[0]!];
    }
    if (this.shapes !== null) {
      const out = this.outputShapeOf(layer, this.shapes.at(-1)!, this.layerList.at(-1) ?? null);
      this.shapes.push(out);
    }
    this.layerList.push(layer);
    return this;
  }

  /** `layer.computeOutputShape(input)`, with the model's own message when the layer refuses it. */
  private outputShapeOf(layer: Layer, input: LayerShape, previous: Layer | null): LayerShape {
    let out: LayerShapes;
    try {
      out = layer.computeOutputShape(input);
    } catch (err) {
      const from = previous === null ? 'the model input' : `the output of '${previous.name}'`;
      throw new ShapeError(
        `Sequential: layer '${layer.name}' (${layer.className}) cannot take ${from}, shape ${formatLayerShape(input)}: ` +
          (err instanceof Error ? err.message : String(err)),
      );
    }
    if (out.length > 0 && Array.isArray(out[0])) {
      throw new ConfigError(
        `${this.describe()}: layer '${layer.name}' (${layer.className}) has ${out.length} outputs; a Sequential model's layers have one each`,
      );
    }
    return out as LayerShape;
  }

  /** Every layer's input shape for a model input of this shape (the batch axis becomes null). */
  private shapesFor(inputShape: LayerShape): LayerShape[] {
    const shapes: LayerShape[] = [[null, ...inputShape.slice(1)]];
    this.layerList.forEach((layer, i) => {
      shapes.push(this.outputShapeOf(layer, shapes[i]!, this.layerList[i - 1] ?? null));
    });
    return shapes;
  }

  // ---- the layer interface --------------------------------------------------------------------

  /** The forward pass over a whole batch: each layer's output is the next one's input. */
  protected override call(x: Tensor, options: Required<CallOptions>): Tensor {
    let y = x;
    for (const layer of this.layerList) y = layer.apply(y, options);
    return y;
  }

  /**
   * An input must fit the declared input shape (when there is one), and the model needs layers.
   * The first input to arrive tells the shapes of a model that declared none.
   */
  protected override checkInput(shape: LayerShapes): void {
    if (this.layerList.length === 0) {
      throw new ConfigError(`${this.describe()} has no layers; add some before calling it`);
    }
    const s = shape as LayerShape;
    const declared = this.layerList[0]!.batchInputShape ?? this.shapes?.[0] ?? null;
    if (declared !== null && !fits(declared, s)) {
      throw new ShapeError(
        `${this.describe()} expects inputs ${formatLayerShape(declared)}, but got ${formatLayerShape(s)}`,
      );
    }
  }

  override computeOutputShape(inputShape: LayerShapes): LayerShape {
    this.checkInput(inputShape);
    const shape = inputShape as LayerShape;
    const shapes = this.shapesFor(shape);
    return [shape[0] ?? null, ...shapes.at(-1)!.slice(1)];
  }

  /** Builds every layer for this input shape, learning the shapes first if they were unknown. */
  override build(inputShape: LayerShapes): void {
    if (this.built) return;
    if (this.shapes === null) this.shapes = this.shapesFor(inputShape as LayerShape);
    this.layerList.forEach((layer, i) => {
      layer.build(this.shapes![i]!);
    });
    super.build(inputShape);
  }

  protected override trackedLayers(): Layer[] {
    return [...this.layerList];
  }

  // ---- layers and shapes ------------------------------------------------------------------------

  /** The layers, in order (a copy of the list; the layers themselves are shared). */
  override get layers(): Layer[] {
    return [...this.layerList];
  }

  /** Input shape with a null batch axis, e.g. [null, 28, 28, 1]; null until known. */
  override get inputShape(): LayerShape | null {
    return this.shapes?.[0] ?? null;
  }

  /** Output shape with a null batch axis, e.g. [null, 10]; null until the input shape is known. */
  override get outputShape(): LayerShape | null {
    return this.shapes?.at(-1) ?? null;
  }

  override get inputShapes(): LayerShape[] {
    return this.shapes === null ? [] : [this.shapes[0]!];
  }

  override get outputShapes(): LayerShape[] {
    return this.shapes === null ? [] : [this.shapes.at(-1)!];
  }

  /** Each layer's input shape (the `summary()` needs them), or throws if unknown. */
  private knownShapes(what: string): LayerShape[] {
    if (this.shapes === null) {
      throw new ConfigError(
        `${this.describe()}: ${what} needs the input shape; give the first layer inputShape, or call the model on an input first`,
      );
    }
    return this.shapes;
  }

  // ---- weights --------------------------------------------------------------------------------------

  /** What the weights are or would be, layer by layer, without allocating them (Note [Shapes before weights]). */
  override weightInfo(inputShape?: LayerShapes): WeightInfo[] {
    const shapes =
      inputShape === undefined ? this.knownShapes('countParams') : this.shapesFor(inputShape as LayerShape);
    return this.layerList.flatMap((layer, i) => layer.weightInfo(shapes[i]!));
  }

  /**
   * Every weight, layer by layer in Keras order (conv1/kernel, conv1/bias, ...). Allocates them if
   * the input shape is known and they do not exist yet.
   */
  override get weights(): Parameter[] {
    if (!this.built && this.shapes !== null && this.layerList.length > 0) this.build(this.shapes[0]!);
    return [...new Set(this.layerList.flatMap((l) => l.weights))];
  }

  // ---- summary and serialization --------------------------------------------------------------

  protected override summaryText(lineLength: number | undefined): string {
    const shapes = this.knownShapes('summary');
    const rows = this.layerList.map((layer, i) => ({
      ...summaryRow(layer.name, layer.className, layer.weightInfo(shapes[i]!)),
      outputShape: shapes[i + 1]!,
    }));
    return formatSummary(this.name, rows, lineLength);
  }

  protected override hasListConfig(): boolean {
    return true;
  }

  /** Plain JSON: the name, the input shape when known, and each layer's `serializeLayer` form. */
  override getConfig(): SequentialConfig {
    const config: SequentialConfig = { name: this.name, layers: this.layerList.map(serializeLayer) };
    if (this.shapes !== null) config.inputShape = [...this.shapes[0]!];
    return config;
  }

  /**
   * Rebuilds a model from `getConfig()` output (new, freshly initialized weights).
   * @throws ConfigError for an unknown layer class or a config that is not one.
   */
  static override fromConfig<T extends Layer>(this: new (options: never) => T, config: LayerConfig): T {
    const c = config as unknown as SequentialConfig;
    if (c === null || typeof c !== 'object' || !Array.isArray(c.layers)) {
      throw new ConfigError(`Sequential.fromConfig: expects { name, layers: [...] }, but got ${describeValue(c)}`);
    }
    const who = `Sequential.fromConfig${typeof c.name === 'string' ? ` '${c.name}'` : ''}`;
    const layers = c.layers.map((s, i) => deserializeLayer(s, `${who}: layers[${i}]`));
    const model = new Sequential(layers, { name: c.name });
    if (model.shapes === null && c.inputShape !== undefined && model.layerList.length > 0) {
      model.shapes = model.shapesFor(checkBatchShape(`${who}: inputShape`, c.inputShape));
    }
    return model as unknown as T;
  }
}

registerLayer(Sequential);

/**
 * A saved input shape: [null, ...sizes], each size a positive integer (capped as layer options
 * are, see MAX_DIM), so a damaged model.json fails here rather than in a layer's arithmetic.
 */
function checkBatchShape(where: string, shape: unknown): LayerShape {
  const ok =
    Array.isArray(shape) &&
    shape.length >= 1 &&
    shape[0] === null &&
    shape.slice(1).every((d) => Number.isInteger(d) && d > 0 && d <= MAX_DIM);
  if (!ok) {
    throw new ConfigError(
      `${where} must be [null, ...sizes] with sizes positive integers ≤ ${MAX_DIM}, but got ${JSON.stringify(shape)}`,
    );
  }
  return shape as LayerShape;
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object') return `an object of type ${v.constructor?.name ?? 'Object'}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}
