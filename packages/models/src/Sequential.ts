/**
 * A Sequential model is a list of layers, each fed the output of the one before (Keras
 * `Sequential`, convnetjs `layer_defs`):
 *
 *   image [N, 28, 28, 1] → Conv2D → [N, 28, 28, 6] → MaxPooling2D → [N, 14, 14, 6] → ... → [N, 10]
 *
 * Note [Shapes before weights]: when the first layer declares `inputShape`, every `add` runs the new
 * layer's `computeOutputShape` on the previous output shape. That catches a wrong architecture at
 * the line that builds it and gives `summary()` and `countParams()` everything they need, without
 * allocating a single weight: VGG-16's 138 million parameters are only counted, not created, until
 * the first `apply` (or `weights`, `getWeights`, `setWeights`) needs them.
 */

import {
  type CallOptions,
  checkWeightValues,
  deserializeLayer,
  formatLayerShape,
  Layer,
  type LayerShape,
  type Parameter,
  type SerializedLayer,
  serializeLayer,
} from '@sinapse/layers';
import {
  ConfigError,
  checkOptionNames,
  concat,
  formatShape,
  noGrad,
  ShapeError,
  slice,
  type Tensor,
  ValueError,
  zeros,
} from '@sinapse/tensor';
import { encodeArtifacts, type ModelArtifacts, type OptimizerState } from './artifacts';
import { formatSummary } from './summary';

/** Options for {@link Sequential}. */
export interface SequentialOptions {
  /** Model name, shown by `summary()`. Default 'sequential_1', 'sequential_2', ... */
  name?: string;
}

/** Options for {@link Sequential.predict}. */
export interface PredictOptions {
  /** Examples per forward pass; bounds the memory of the activations. Default 32. */
  batchSize?: number;
}

/** What `getConfig()` returns: plain JSON that `Sequential.fromConfig` turns back into the model. */
export interface SequentialConfig {
  name: string;
  /** The input shape the model was built for (batch axis null), when known. */
  inputShape?: (number | null)[];
  layers: SerializedLayer[];
}

let modelCounter = 0;

export class Sequential {
  readonly name: string;
  private readonly layerList: Layer[] = [];
  /**
   * shapes[i] is the input shape of layer i and shapes[layers.length] the model's output shape, all
   * with a null batch axis. Null until the input shape is known (Note [Shapes before weights]).
   */
  private shapes: LayerShape[] | null = null;
  /**
   * The optimizer state saved with the model, set by `fromArtifacts` / `loadModel` (like Keras
   * `load_model` restoring `model.optimizer`); null for a new model. The training loop reads it to resume.
   */
  optimizerState: OptimizerState | null = null;

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
    this.name = options.name ?? `sequential_${++modelCounter}`;
    if (!Array.isArray(layers)) {
      throw new ConfigError(`${this.describe()}: expects an array of layers, but got ${describeValue(layers)}`);
    }
    for (const layer of layers) this.add(layer);
  }

  /** "Sequential 'lenet5'", the way messages name a model. */
  describe(): string {
    return `Sequential '${this.name}'`;
  }

  /**
   * Appends a layer. If the input shape is known, checks that the layer accepts the current output.
   * @throws ConfigError / ShapeError as the constructor.
   */
  add(layer: Layer): this {
    if (!(layer instanceof Layer)) {
      throw new ConfigError(`${this.describe()}: add expects a Layer, but got ${describeValue(layer)}`);
    }
    if (this.layerList.some((l) => l.name === layer.name)) {
      throw new ConfigError(
        `${this.describe()}: the model already has a layer named '${layer.name}'; layer names must be unique ` +
          '(they name the weights, e.g. conv1/kernel)',
      );
    }
    if (this.layerList.length === 0 && layer.batchInputShape !== null) {
      this.shapes = [layer.batchInputShape];
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
    try {
      return layer.computeOutputShape(input);
    } catch (err) {
      const from = previous === null ? 'the model input' : `the output of '${previous.name}'`;
      throw new ShapeError(
        `Sequential: layer '${layer.name}' (${layer.className}) cannot take ${from}, shape ${formatLayerShape(input)}: ` +
          (err instanceof Error ? err.message : String(err)),
      );
    }
  }

  /** Propagates an input shape through the layers (used when the first call tells us the shape). */
  private inferShapes(inputShape: LayerShape): void {
    const shapes: LayerShape[] = [[null, ...inputShape.slice(1)]];
    this.layerList.forEach((layer, i) => {
      shapes.push(this.outputShapeOf(layer, shapes[i]!, this.layerList[i - 1] ?? null));
    });
    this.shapes = shapes;
  }

  // ---- the forward pass -------------------------------------------------------------------------

  /**
   * The differentiable forward pass over a whole batch: each layer's output is the next one's input.
   * Use it in training loops (`training: true` turns Dropout on and makes BatchNormalization use batch statistics).
   * @throws ShapeError when `x` does not match the declared input shape, or a layer refuses it.
   */
  apply(x: Tensor, options: CallOptions = {}): Tensor {
    this.checkCallable(x, this.layerList[0]?.batchInputShape ?? null);
    if (this.shapes === null) this.inferShapes(x.shape);
    let y = x;
    for (const layer of this.layerList) y = layer.apply(y, options);
    return y;
  }

  /**
   * Inference: runs the model in batches of `batchSize` examples along the first axis without
   * recording gradients, and joins the results. Same values as `apply(x)`, with bounded memory.
   * Zero examples give an empty output of the output shape, e.g. [0, 10].
   * @throws ValueError for a batchSize that is not a positive integer, or a scalar input.
   * @example
   * const image = tensor([[2, 2, 7, 3], [9, 4, 6, 1], [8, 5, 2, 4], [3, 1, 2, 6]]).reshape([1, 4, 4, 1]);
   * new Sequential([new MaxPooling2D({ poolSize: 2, strides: 2 })]).predict(image).squeeze().toArray();
   * // [[9, 7], [8, 6]]
   */
  predict(x: Tensor, options: PredictOptions = {}): Tensor {
    checkOptionNames(`${this.describe()}: predict`, options, ['batchSize'], ValueError);
    const batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ValueError(`${this.describe()}: predict batchSize must be a positive integer, but got ${batchSize}`);
    }
    if (x.rank === 0) {
      throw new ValueError(`${this.describe()}: predict needs a batch axis, but got a scalar (shape [])`);
    }
    const n = x.shape[0]!;
    if (n === 0) return this.emptyOutput(x);
    return noGrad(() => {
      if (n <= batchSize) return this.apply(x, { training: false });
      const outputs: Tensor[] = [];
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        const batch = slice(x, [start], [size]);
        outputs.push(this.apply(batch, { training: false }));
      }
      return concat(outputs, 0);
    });
  }

  /**
   * predict on 0 examples: the kernels refuse empty inputs, but the answer is known without them,
   * an empty tensor of the output shape [0, …] (as Keras and TF.js return), from computeOutputShape.
   */
  private emptyOutput(x: Tensor): Tensor {
    // apply checks only the declared shape, since its first call may be what fixes the shapes;
    // here nothing runs, so an input shape known from an earlier call must be checked too
    this.checkCallable(x, this.layerList[0]?.batchInputShape ?? this.shapes?.[0] ?? null);
    let shape: LayerShape = [null, ...x.shape.slice(1)];
    this.layerList.forEach((layer, i) => {
      shape = this.outputShapeOf(layer, shape, this.layerList[i - 1] ?? null);
    });
    return zeros(
      shape.map((d) => d ?? 0),
      { dtype: x.dtype },
    );
  }

  /**
   * What every call checks first: the model has layers, and `x` fits `expected` (null axes fit anything).
   * @throws ConfigError for a model without layers; ShapeError for an input of another shape.
   */
  private checkCallable(x: Tensor, expected: LayerShape | null): void {
    if (this.layerList.length === 0) {
      throw new ConfigError(`${this.describe()} has no layers; add some before calling it`);
    }
    const fits =
      expected === null || (expected.length === x.rank && expected.every((d, i) => d === null || d === x.shape[i]));
    if (!fits) {
      throw new ShapeError(
        `${this.describe()} expects inputs ${formatLayerShape(expected)}, but got ${formatShape(x.shape)}`,
      );
    }
  }

  // ---- layers and shapes --------------------------------------------------------------------------

  /** The layers, in order (a copy of the list; the layers themselves are shared). */
  get layers(): Layer[] {
    return [...this.layerList];
  }

  /** @throws ConfigError naming the layers there are, when none is called `name`. */
  getLayer(name: string): Layer {
    const layer = this.layerList.find((l) => l.name === name);
    if (layer === undefined) {
      throw new ConfigError(
        `${this.describe()} has no layer named '${name}'; its layers are ${this.layerList.map((l) => `'${l.name}'`).join(', ') || 'none'}`,
      );
    }
    return layer;
  }

  /** Input shape with a null batch axis, e.g. [null, 28, 28, 1]; null until known. */
  get inputShape(): LayerShape | null {
    return this.shapes?.[0] ?? null;
  }

  /** Output shape with a null batch axis, e.g. [null, 10]; null until the input shape is known. */
  get outputShape(): LayerShape | null {
    return this.shapes?.at(-1) ?? null;
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

  /** Number of scalars in the weights. Counts shapes only: nothing is allocated (Note [Shapes before weights]). */
  countParams(): number {
    const shapes = this.knownShapes('countParams');
    return this.layerList.reduce((n, layer, i) => n + layer.countParams(shapes[i]!), 0);
  }

  /**
   * Prints Keras's summary table (layer name and type, output shape, parameter count, totals) and
   * returns its text. Allocates no weights.
   * @param print where each line goes; default console.log.
   */
  summary(print: (line: string) => void = console.log): string {
    const shapes = this.knownShapes('summary');
    const rows = this.layerList.map((layer, i) => {
      const info = layer.weightInfo(shapes[i]!);
      const count = (trainable: boolean) =>
        info.filter((w) => w.trainable === trainable).reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
      return {
        name: layer.name,
        className: layer.className,
        outputShape: shapes[i + 1]!,
        trainable: count(true),
        nonTrainable: count(false),
      };
    });
    const text = formatSummary(this.name, rows);
    print(text);
    return text;
  }

  /** Creates the weights of every layer for the known input shape (a no-op for built layers). */
  private build(): void {
    if (this.shapes === null) return;
    this.layerList.forEach((layer, i) => {
      layer.build(this.shapes![i]!);
    });
  }

  /**
   * Every weight, layer by layer in Keras order (conv1/kernel, conv1/bias, ...). Allocates them if
   * the input shape is known and they do not exist yet.
   */
  get weights(): Parameter[] {
    this.build();
    return this.layerList.flatMap((l) => l.weights);
  }

  /** The weights the optimizer updates. */
  get trainableWeights(): Parameter[] {
    return this.weights.filter((p) => p.trainable);
  }

  /** The weights it leaves alone: frozen layers, BatchNormalization's moving statistics. */
  get nonTrainableWeights(): Parameter[] {
    return this.weights.filter((p) => !p.trainable);
  }

  /** Copies of the weights' values, in the order of `weights` (Keras's order). */
  getWeights(): Tensor[] {
    return this.weights.map((p) => p.clone().detach());
  }

  /**
   * Overwrites every weight, in the order of `weights`. Checks the count and every shape before
   * changing anything, so a failed call leaves the model as it was.
   * @throws ShapeError naming the weight, its shape and what was given (see checkWeightValues).
   */
  setWeights(values: readonly Tensor[]): void {
    checkWeightValues(`${this.describe()}: setWeights`, this.weights, values);
    let start = 0;
    for (const layer of this.layerList) {
      const count = layer.weights.length;
      layer.setWeights(values.slice(start, start + count));
      start += count;
    }
  }

  /** Sum of every layer's regularization penalty (a scalar tensor), or null when no weight has a regularizer. */
  regularizationLoss(): Tensor | null {
    this.build(); // a penalty on weights that do not exist yet would silently be missing
    let total: Tensor | null = null;
    for (const layer of this.layerList) {
      const loss = layer.regularizationLoss();
      if (loss !== null) total = total === null ? loss : total.add(loss);
    }
    return total;
  }

  /** Forgets the gradients of every weight (`grad = null`), as before each training step. */
  zeroGrad(): void {
    for (const layer of this.layerList) {
      for (const p of layer.weights) p.zeroGrad();
    }
  }

  // ---- serialization ----------------------------------------------------------------------------

  /** Plain JSON: the name, the input shape when known, and each layer's `serializeLayer` form. */
  getConfig(): SequentialConfig {
    const config: SequentialConfig = { name: this.name, layers: this.layerList.map(serializeLayer) };
    if (this.shapes !== null) config.inputShape = [...this.shapes[0]!];
    return config;
  }

  /**
   * Rebuilds a model from `getConfig()` output (new, freshly initialized weights).
   * @throws ConfigError for an unknown layer class or a config that is not one.
   */
  static fromConfig(config: SequentialConfig): Sequential {
    if (config === null || typeof config !== 'object' || !Array.isArray(config.layers)) {
      throw new ConfigError(`Sequential.fromConfig: expects { name, layers: [...] }, but got ${describeValue(config)}`);
    }
    const model = new Sequential(config.layers.map(deserializeLayer), { name: config.name });
    if (model.shapes === null && config.inputShape !== undefined && model.layerList.length > 0) {
      model.inferShapes(config.inputShape);
    }
    return model;
  }

  /**
   * The model as data: `modelJson` (architecture, weights manifest, checksums) plus one `weightData`
   * byte array (encodeArtifacts in artifacts.ts). Optimizer state passed in is stored after the
   * model's weights. `fromArtifacts(artifacts)` is the way back.
   *
   * A method, while loading is a free function: saving starts from a model, so each model class
   * says what its config and weights are; loading starts from data, before there is a model to ask.
   */
  toArtifacts(options: { optimizer?: OptimizerState } = {}): ModelArtifacts {
    // a model whose input shape is still unknown has no weights yet, and is saved (and loads) that way
    const weights = this.weights.map((p) => ({ name: p.name, tensor: p }));
    return encodeArtifacts({ modelConfig: this.getConfig(), weights, optimizer: options.optimizer });
  }
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object') return `an object of type ${v.constructor?.name ?? 'Object'}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}
