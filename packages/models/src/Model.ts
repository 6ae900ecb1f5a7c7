/**
 * A Model is a Layer made of layers, with what a user does with a whole network: predict, compile,
 * fit, evaluate, summary, save. It comes in three kinds, as in Keras:
 *
 *   functional   model({ inputs, outputs }): the graph recorded by applying layers to symbolic
 *                tensors from input() (Note [The layer graph]); any DAG: residual blocks, branches,
 *                several inputs and outputs, shared layers, nested models;
 *   Sequential   a plain stack (Sequential.ts), a Model too;
 *   subclassed   `class MyNet extends Model`, holding layers as properties and writing `call`
 *                (PyTorch's nn.Module style); the layers it holds are found and trained.
 *
 * Because a Model is a Layer, models nest: a model applied to a symbolic tensor is one node of the
 * outer graph, and its weights are the outer model's weights.
 */
import {
  type CallOptions,
  deserializeLayer,
  formatLayerShape,
  InputLayer,
  Layer,
  type LayerConfig,
  type LayerShape,
  type LayerShapes,
  type Parameter,
  registerLayer,
  type SymbolicTensor,
  serializeLayer,
  type WeightInfo,
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
import { type ModelInputs, toTensors } from './data';
import { Graph, type GraphConfig } from './graph';
import { formatFunctionalSummary, type SummaryOptions, summaryRow } from './summary';
import {
  type CompileArgs,
  getTrainer,
  type ModelEvaluateArgs,
  type ModelFitArgs,
  type TrainingHistory,
} from './training';

/** Options for {@link Model}: a functional model's inputs and outputs, or only a name for a subclassed one. */
export interface ModelArgs<O extends SymbolicTensor | readonly SymbolicTensor[] = SymbolicTensor> {
  /** The symbolic tensors from input() the model starts from (one, or a list). */
  inputs?: SymbolicTensor | readonly SymbolicTensor[];
  /** The symbolic tensors it computes (one, or a list: then predict returns a list too). */
  outputs?: O;
  /** Default 'model_1', 'model_2', ... */
  name?: string;
  /** Whether fit trains its weights. Default true. */
  trainable?: boolean;
}

/** Options for {@link Model.predict}. */
export interface PredictOptions {
  /** Examples per forward pass; bounds the memory of the activations. Default 32. */
  batchSize?: number;
}

/** A functional model's config: its name and graph (Keras's layers / input_layers / output_layers). */
export type ModelConfig = GraphConfig & {
  /** The model's name ('model_1' unless given). */
  name: string;
};

/** What predict returns for a model whose outputs are these symbolic tensors: a list for a list. */
export type OutputsOf<O> = O extends SymbolicTensor ? Tensor : Tensor[];

const MODEL_ARGS = ['inputs', 'outputs', 'name', 'trainable'] as const satisfies readonly (keyof ModelArgs)[];

export class Model<Out extends Tensor | Tensor[] = Tensor> extends Layer {
  static override readonly className: string = 'Model';

  /** The recorded graph of a functional model; null for Sequential and subclassed models. */
  private readonly graph: Graph | null;
  /** Whether outputs were given as a list (predict then returns a list). */
  private readonly outputIsList: boolean;
  /**
   * The optimizer state saved with the model, set by `fromArtifacts` / `loadModel` (like Keras
   * `load_model` restoring `model.optimizer`); null for a new model. The training loop reads it to resume.
   */
  optimizerState: OptimizerState | null = null;

  /**
   * @throws ConfigError for inputs not made by input(), an output that needs an input not listed,
   *   an unused input, or two layers with one name (see graph.ts).
   * @example
   * const x = input({ shape: [4] });
   * const y = new Dense({ units: 2 }).apply(x);
   * new Model({ inputs: x, outputs: y }).outputShape; // [null, 2]
   */
  constructor(args: ModelArgs<SymbolicTensor | readonly SymbolicTensor[]> = {}) {
    checkOptionNames('Model', args ?? {}, MODEL_ARGS);
    super({ name: args.name, trainable: args.trainable });
    if ((args.inputs === undefined) !== (args.outputs === undefined)) {
      throw new ConfigError(
        `${this.describe()}: give both inputs and outputs (a functional model) or neither (a subclassed model), ` +
          `but got only ${args.inputs === undefined ? 'outputs' : 'inputs'}`,
      );
    }
    if (args.inputs === undefined) {
      this.graph = null;
      this.outputIsList = false;
      return;
    }
    const list = <T>(v: T | readonly T[]): readonly T[] => (Array.isArray(v) ? v : [v as T]);
    this.outputIsList = Array.isArray(args.outputs);
    this.graph = new Graph(this.describe(), list(args.inputs), list(args.outputs!));
  }

  // ---- the layer interface ----------------------------------------------------------------------

  protected override get takesList(): boolean {
    return this.graph !== null && this.graph.inputs.length > 1;
  }

  /** The forward pass: the graph's nodes in order (a subclassed model overrides this). */
  protected call(x: Tensor | readonly Tensor[], options: Required<CallOptions>): Tensor | Tensor[] {
    if (this.graph === null) {
      throw new ConfigError(
        `${this.describe()} has no graph and no call(): build it with model({ inputs, outputs }), or subclass Model and write call(x)`,
      );
    }
    const outputs = this.graph.run(Array.isArray(x) ? x : [x as Tensor], options.training);
    return outputs.length === 1 && !this.outputIsList ? outputs[0]! : outputs;
  }

  /** Inputs must fit the shapes of the model's inputs (null axes fit any size). */
  protected override checkInput(shape: LayerShapes): void {
    if (this.graph === null) return;
    const given = this.takesList ? (shape as readonly LayerShape[]) : [shape as LayerShape];
    this.graph.inputs.forEach((t, i) => {
      const s = given[i];
      if (s === undefined || !fits(t.shape, s)) {
        throw new ShapeError(
          `${this.describe()} expects ${this.takesList ? `input ${i} ` : 'inputs '}${formatLayerShape(t.shape)}, but got ` +
            `${s === undefined ? 'nothing' : formatLayerShape(s)}${hintFor(t.shape, s)}`,
        );
      }
    });
  }

  override computeOutputShape(inputShape: LayerShapes): LayerShapes {
    if (this.graph === null) return super.computeOutputShape(inputShape);
    this.checkInput(inputShape);
    const list = this.takesList ? (inputShape as readonly LayerShape[]) : [inputShape as LayerShape];
    const out = this.graph.outputShapes(list);
    return out.length === 1 && !this.outputIsList ? out[0]! : out;
  }

  /** Builds every layer's weights for the shapes the graph recorded. */
  override build(inputShape: LayerShapes): void {
    if (this.built) return;
    this.graph?.build();
    super.build(inputShape);
  }

  /** A functional model knows its input shapes from the start, so it can make its weights whenever asked. */
  private buildFromGraph(): void {
    if (this.graph !== null && !this.built) {
      this.build(this.takesList ? this.inputShapes : this.inputShapes[0]!);
    }
  }

  protected override trackedLayers(): Layer[] {
    return this.graph === null ? super.trackedLayers() : this.graph.layers.filter((l) => !(l instanceof InputLayer));
  }

  protected options(): LayerConfig {
    return {};
  }

  // ---- layers and shapes ------------------------------------------------------------------------

  /** The layers, in order (for a functional model: each once, in the order of the graph, InputLayers included). */
  get layers(): Layer[] {
    return this.graph === null ? super.trackedLayers() : [...this.graph.layers];
  }

  /** The symbolic inputs of a functional model (empty for the other kinds). */
  get inputs(): readonly SymbolicTensor[] {
    return this.graph?.inputs ?? [];
  }

  /** The symbolic outputs of a functional model (empty for the other kinds). */
  get outputs(): readonly SymbolicTensor[] {
    return this.graph?.outputs ?? [];
  }

  /**
   * The outputs' names (Keras `output_names`): the name of the layer computing each output. A
   * multi-output model's per-output losses and logs use them (`digit_loss`). Sequential and
   * subclassed models have one output, named after their last layer (or the model).
   */
  get outputNames(): string[] {
    if (this.graph !== null) return this.graph.outputs.map((t) => t.node.layer.name);
    return [this.layers.at(-1)?.name ?? this.name];
  }

  /** One shape per input, batch axis null: [[null, 28, 28, 1]]. */
  get inputShapes(): LayerShape[] {
    return this.graph?.inputs.map((t) => t.shape) ?? [];
  }

  /** One shape per output, batch axis null: [[null, 10]]. */
  get outputShapes(): LayerShape[] {
    return this.graph?.outputs.map((t) => t.shape) ?? [];
  }

  /** The input shape of a one-input model, e.g. [null, 28, 28, 1]; null while unknown. */
  get inputShape(): LayerShape | null {
    return this.single('inputShape', this.inputShapes);
  }

  /** The output shape of a one-output model, e.g. [null, 10]; null while unknown. */
  get outputShape(): LayerShape | null {
    return this.single('outputShape', this.outputShapes);
  }

  private single(what: string, shapes: LayerShape[]): LayerShape | null {
    if (shapes.length > 1) {
      throw new ConfigError(
        `${this.describe()} has ${shapes.length} ${what === 'inputShape' ? 'inputs' : 'outputs'}; ${what}s lists them`,
      );
    }
    return shapes[0] ?? null;
  }

  /**
   * A layer by name, or by position in `layers` (Keras `get_layer(name=None, index=None)`).
   * @throws ConfigError naming the layers there are.
   */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    const layer =
      typeof nameOrIndex === 'number'
        ? layers.at(nameOrIndex >= 0 ? nameOrIndex : Number.NaN)
        : layers.find((l) => l.name === nameOrIndex);
    if (layer === undefined) {
      const what =
        typeof nameOrIndex === 'number'
          ? `no layer at index ${nameOrIndex} (it has ${layers.length}: 0 … ${layers.length - 1})`
          : `no layer named '${nameOrIndex}'`;
      throw new ConfigError(
        `${this.describe()} has ${what}; its layers are ${layers.map((l) => `'${l.name}'`).join(', ') || 'none'}`,
      );
    }
    return layer;
  }

  // ---- weights ----------------------------------------------------------------------------------

  /** Every weight of every layer, each once (a shared layer's too), in layer order. Makes them if needed. */
  override get weights(): Parameter[] {
    this.buildFromGraph();
    return super.weights;
  }

  /**
   * What the weights are or would be, without allocating them: each layer asked for the input shape
   * of its first call in the graph (so a full-size ResNet-50's summary costs no memory).
   */
  override weightInfo(inputShape?: LayerShapes): WeightInfo[] {
    if (this.graph === null) return super.weightInfo(inputShape);
    return this.trackedLayers().flatMap((layer) => this.layerWeightInfo(layer));
  }

  /** One layer's weights as the graph would build them: for the input shape of its first call. */
  private layerWeightInfo(layer: Layer): WeightInfo[] {
    if (layer.built || layer instanceof InputLayer) return layer.weightInfo();
    return layer.weightInfo(this.graph!.firstNodeOf(layer).inputShapes());
  }

  /** Forgets the gradients of every weight (`grad = null`), as before each training step. */
  zeroGrad(): void {
    for (const p of this.weights) p.zeroGrad();
  }

  // ---- inference --------------------------------------------------------------------------------

  /**
   * Inference: runs the model in batches of `batchSize` examples along the first axis without
   * recording gradients, and joins the results. Same values as `apply(x)`, with bounded memory.
   * Takes tensors or plain values (nested arrays, typed arrays), a list of them for a multi-input
   * model; returns one tensor, or a list for a model whose outputs are a list.
   * Zero examples give an empty output of the output shape, e.g. [0, 10].
   * @throws ValueError for a batchSize that is not a positive integer, or a scalar input.
   */
  predict(x: ModelInputs, options: PredictOptions = {}): Out {
    checkOptionNames(`${this.describe()}: predict`, options, ['batchSize'], ValueError);
    const batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ValueError(`${this.describe()}: predict batchSize must be a positive integer, but got ${batchSize}`);
    }
    const inputs = this.toInputs('predict', x);
    const n = this.countExamples('predict', inputs);
    if (n === 0) return this.pack(this.emptyOutputs(inputs));
    const outputs = noGrad(() => {
      if (n <= batchSize) return this.run(inputs, false);
      const parts: Tensor[][] = [];
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        parts.push(
          this.run(
            inputs.map((t) => slice(t, [start], [size])),
            false,
          ),
        );
      }
      return parts[0]!.map((_, k) =>
        concat(
          parts.map((p) => p[k]!),
          0,
        ),
      );
    });
    return this.pack(outputs);
  }

  /** @internal The data as one tensor per input (plain values converted), for predict and the training package. */
  toInputs(method: string, x: unknown): Tensor[] {
    const shapes = this.graph === null ? [this.inputShape] : this.inputShapes;
    return toTensors(
      `${this.describe()}: ${method}`,
      x,
      shapes.map((s) => s?.slice(1) ?? null),
    );
  }

  /** @internal Every output as a list: the forward pass the training package runs. */
  run(inputs: readonly Tensor[], training: boolean): Tensor[] {
    return this.applyAll(this.takesList ? inputs : inputs[0]!, { training });
  }

  /** One tensor, or the list, as the model's outputs were given. */
  private pack(outputs: Tensor[]): Out {
    return (outputs.length === 1 && !this.outputIsList ? outputs[0]! : outputs) as Out;
  }

  private countExamples(method: string, inputs: readonly Tensor[]): number {
    for (const t of inputs) {
      if (t.rank === 0)
        throw new ValueError(`${this.describe()}: ${method} needs a batch axis, but got a scalar (shape [])`);
    }
    const n = inputs[0]!.shape[0]!;
    if (inputs.some((t) => t.shape[0] !== n)) {
      throw new ShapeError(
        `${this.describe()}: ${method}: every input must have the same number of examples, but got shapes ${inputs.map((t) => formatShape(t.shape)).join(', ')}`,
      );
    }
    return n;
  }

  /**
   * predict on 0 examples: the kernels refuse empty inputs, but the answer is known without them,
   * an empty tensor of the output shape [0, …] (as Keras and TF.js return), from computeOutputShape.
   */
  protected emptyOutputs(inputs: readonly Tensor[]): Tensor[] {
    this.checkInput(this.takesList ? inputs.map((t) => t.shape) : inputs[0]!.shape);
    const shapes = inputs.map((t) => [null, ...t.shape.slice(1)]);
    const out = this.computeOutputShape(this.takesList ? shapes : shapes[0]!);
    const list = Array.isArray(out[0]) ? (out as readonly LayerShape[]) : [out as LayerShape];
    return list.map((s) =>
      zeros(
        s.map((d) => d ?? 0),
        { dtype: inputs[0]!.dtype },
      ),
    );
  }

  // ---- training (Note [Training methods without a dependency on training]) -----------------------

  /** Sets the optimizer, loss and metrics that fit and evaluate use (Keras `model.compile`). */
  compile(options: CompileArgs): void {
    getTrainer('compile', this.describe()).compile(this, options);
  }

  /**
   * Trains the model (Keras `model.fit`): `fit(x, y, options)` with tensors or plain arrays, or
   * `fit(dataset, options)`. Uses what compile set; returns the History.
   */
  fit(x: unknown, y?: unknown, options?: ModelFitArgs): Promise<TrainingHistory> {
    return getTrainer('fit', this.describe()).fit(this, [x, y, options]);
  }

  /** The loss and metrics on data, in inference mode (Keras `model.evaluate`): `evaluate(x, y, options)` or `evaluate(dataset, options)`. */
  evaluate(x: unknown, y?: unknown, options?: ModelEvaluateArgs): Promise<Record<string, number>> {
    return getTrainer('evaluate', this.describe()).evaluate(this, [x, y, options]);
  }

  // ---- summary ----------------------------------------------------------------------------------

  /**
   * Prints Keras's summary table and returns its text; a functional model's has a "Connected to"
   * column. Allocates no weights.
   * @param options a line length (`summary(120)`), a print function, or both as `{ lineLength, printFn }`.
   */
  summary(options?: number | SummaryOptions | ((line: string) => void)): string {
    const { lineLength, printFn = console.log } = normalizeSummaryOptions(this.describe(), options);
    const text = this.summaryText(lineLength);
    printFn(text);
    return text;
  }

  /** The summary's text, for `summary()` and `toString()`. */
  protected summaryText(lineLength: number | undefined): string {
    if (this.graph === null) {
      throw new ConfigError(
        `${this.describe()}: summary needs a functional or Sequential model; a subclassed model has no graph to print`,
      );
    }
    const graph = this.graph;
    const rows = graph.layers.map((layer) => {
      const nodes = graph.nodes.filter((n) => n.layer === layer);
      const info = this.layerWeightInfo(layer);
      const outputShape =
        layer instanceof InputLayer
          ? layer.shape
          : nodes.length === 1
            ? nodes[0]!.outputs.map((t) => t.shape)
            : ('multiple' as const);
      return {
        ...summaryRow(layer.name, layer.className, info),
        outputShape,
        inputList: layer instanceof InputLayer,
        connectedTo: nodes.flatMap((n) => n.inputs.map((t) => t.name)),
      };
    });
    return formatFunctionalSummary(this.name, rows, lineLength);
  }

  /** The summary text (without printing it). */
  override toString(): string {
    return this.summaryText(undefined);
  }

  // ---- serialization ----------------------------------------------------------------------------

  /**
   * The model as data: `modelJson` (architecture, weights manifest, checksums) plus one `weightData`
   * byte array (encodeArtifacts in artifacts.ts). Optimizer state passed in is stored after the
   * model's weights. `fromArtifacts(artifacts)` is the way back.
   *
   * A method, while loading is a free function: saving starts from a model, so each model class
   * says what its config and weights are; loading starts from data, before there is a model to ask.
   * @throws ConfigError for a subclassed model, whose `call` is code, not a config that could be saved.
   */
  toArtifacts(options: { optimizer?: OptimizerState } = {}): ModelArtifacts {
    if (this.graph === null && !this.hasListConfig()) {
      throw new ConfigError(
        `${this.describe()}: a subclassed model cannot be saved whole (its call is code); save a functional or ` +
          'Sequential model, or keep the weights with getWeights()',
      );
    }
    // a model whose input shape is still unknown has no weights yet, and is saved (and loads) that way
    const weights = this.weights.map((p) => ({ name: p.name, tensor: p }));
    return encodeArtifacts({ modelConfig: this.getConfig(), weights, optimizer: options.optimizer });
  }

  /** Whether getConfig describes the whole model without a graph (Sequential's list of layers). */
  protected hasListConfig(): boolean {
    return false;
  }

  /** A functional model's config: its name and graph, each layer with `serializeLayer`'s form plus its calls. */
  override getConfig(): LayerConfig {
    if (this.graph === null) return super.getConfig();
    const config: ModelConfig = { name: this.name, ...this.graph.toConfig(serializeLayer) };
    return config;
  }

  /**
   * Rebuilds a functional model from `getConfig()` (fresh weights).
   * @throws ConfigError for a config that is not one, or whose calls cannot be replayed.
   */
  static override fromConfig<T extends Layer>(this: new (options: never) => T, config: LayerConfig): T {
    const c = config as unknown as ModelConfig;
    const { inputs, outputs } = Graph.fromConfig(`Model.fromConfig '${String(c?.name)}'`, c, deserializeLayer);
    const single = (list: SymbolicTensor[], refs: unknown[]) => (refs.length === 1 ? list[0]! : list);
    return new Model({
      name: c.name,
      inputs: single(inputs, c.inputLayers),
      outputs: outputs.length === 1 && c.outputLayers.length === 1 ? outputs[0]! : outputs,
    }) as unknown as T;
  }
}

registerLayer(Model);

/**
 * A functional model from its inputs and outputs (Keras `keras.Model(inputs, outputs)`, TF.js
 * `tf.model({ inputs, outputs })`). predict returns one tensor for one output, a list for a list.
 * @example
 * const x = input({ shape: [28, 28, 1] });
 * const h = new Conv2D({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x);
 * const y = new Add().apply([h, new Conv2D({ filters: 8, kernelSize: 3, padding: 'same' }).apply(h)]);
 * const m = model({ inputs: x, outputs: y });
 */
export function model<O extends SymbolicTensor | readonly SymbolicTensor[]>(args: ModelArgs<O>): Model<OutputsOf<O>> {
  return new Model(args) as Model<OutputsOf<O>>;
}

// ---- helpers ------------------------------------------------------------------------------------

/** Whether a tensor shape fits a layer shape (null axes fit anything). */
export function fits(expected: LayerShape, actual: LayerShape): boolean {
  return (
    expected.length === actual.length && expected.every((d, i) => d === null || actual[i] === null || d === actual[i])
  );
}

/** The classic mistakes: a missing batch axis, or a missing channel axis. */
function hintFor(expected: LayerShape, actual: LayerShape | undefined): string {
  if (actual === undefined) return '';
  if (actual.length === expected.length - 1) return '; a batch axis is missing: add one with expandDims(0)';
  return '';
}

function normalizeSummaryOptions(
  who: string,
  options: number | SummaryOptions | ((line: string) => void) | undefined,
): { lineLength?: number; printFn?: (text: string) => void } {
  if (options === undefined) return {};
  if (typeof options === 'function') return { printFn: options };
  if (typeof options === 'number') return { lineLength: checkLineLength(who, options) };
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(
      `${who}: summary takes a line length, a print function or { lineLength, printFn }, but got ${JSON.stringify(options)}`,
    );
  }
  checkOptionNames(`${who}: summary`, options, ['lineLength', 'printFn']);
  if (options.printFn !== undefined && typeof options.printFn !== 'function') {
    throw new ConfigError(`${who}: summary printFn must be a function, but got ${typeof options.printFn}`);
  }
  return {
    lineLength: options.lineLength === undefined ? undefined : checkLineLength(who, options.lineLength),
    printFn: options.printFn,
  };
}

function checkLineLength(who: string, n: number): number {
  if (!Number.isInteger(n) || n < 40)
    throw new ConfigError(`${who}: summary lineLength must be an integer ≥ 40, but got ${n}`);
  return n;
}
