/**
 * The base of every layer, with Keras's life cycle:
 *
 *   const conv = new Conv2D({ filters: 6, kernelSize: 5 });  // options checked here, no weights yet
 *   const y = conv.apply(x);                                   // first call: build weights from x's shape
 *   const s = conv.apply(input({ shape: [28, 28, 1] }));       // on a symbolic tensor: records a graph node
 *
 * A layer is options, weights and a forward `call` made of ops. It has no backward(): autograd at
 * the op level differentiates it (see CONTRIBUTING.md, "The shape of a layer").
 *
 * Shapes given to and returned by `computeOutputShape` include the batch axis, which may be `null`
 * (unknown), as in Keras: a Conv2D over 28x28 grey images sees `[null, 28, 28, 1]`.
 */
import {
  ConfigError,
  checkOptionNames,
  checkSize,
  type DType,
  formatShape,
  type Generator,
  inLayer,
  isDetectAnomalyEnabled,
  noGrad,
  ShapeError,
  sizeOf,
  Tensor,
  ValueError,
  zeros,
} from '@sinapse/tensor';
import {
  formatLayerShape,
  formatLayerShapes,
  isShapeList,
  type LayerShape,
  type LayerShapes,
} from './engine/layerShape';
import { Node } from './engine/Node';
import { isSymbolic, SymbolicTensor } from './engine/SymbolicTensor';
import { getInitializer, type Initializer, type InitializerIdentifier } from './initializers';
import { Parameter } from './Parameter';
import type { Regularizer } from './regularizers';
import { bool, MAX_DIM } from './util/args';
import type { NoneUnlisted, UnlistedOptions } from './util/optionNames';
import { checkWeightValues } from './util/weights';

export { formatLayerShape, formatLayerShapes, type LayerShape, type LayerShapes } from './engine/layerShape';

/** What `apply` takes: one tensor, or a list for layers that take several (Add, Concatenate, a two-input model). */
export type LayerInput = Tensor | readonly Tensor[];

/** Options every layer accepts. */
export interface LayerOptions {
  /**
   * Unique name; defaults to the snake_case class name plus a counter numbered from 1, Keras-style:
   * 'conv2d_1', 'conv2d_2' (current Keras names the first one 'conv2d' and the second 'conv2d_1').
   */
  name?: string;
  /** Whether the optimizer updates this layer's weights. Default true. */
  trainable?: boolean;
  /** Shape of one example, without the batch axis (Keras `input_shape`). Lets weights be built up front. */
  inputShape?: readonly number[];
  /** Weight dtype, 'float32' or 'float64'. Default 'float32'. */
  dtype?: DType;
}

/** The options the base reads, accepted by every layer (see `Layer.optionNames`). */
const BASE_OPTIONS = ['name', 'trainable', 'inputShape', 'dtype'] as const satisfies readonly (keyof LayerOptions)[];
// fails to compile if LayerOptions gains an option that BASE_OPTIONS does not list
type _ = NoneUnlisted<UnlistedOptions<typeof BASE_OPTIONS, LayerOptions>>;

/** Options of `layer.apply(x, options)` and `layer.call(x, options)`. */
export interface CallOptions {
  /** Training mode: Dropout drops and BatchNormalization uses batch statistics. Default false. */
  training?: boolean;
}

/** What a weight is before it is allocated: enough to count parameters without allocating them. */
export interface WeightSpec {
  /** The weight's name in the layer, Keras's: 'kernel', 'bias', 'gamma', 'moving_mean'... */
  name: string;
  /** Its shape, e.g. `[kh, kw, inChannels, filters]` for a Conv2D kernel. */
  shape: readonly number[];
  /** How its values start when it is built. */
  initializer: Initializer;
  /** False for state the optimizer must not touch (moving statistics). Default true. */
  trainable?: boolean;
  /** A penalty added to the loss for this weight (L1, L2). Default none. */
  regularizer?: Regularizer | null;
}

/** A weight as `weightInfo` describes it: no values, just what it would be. */
export interface WeightInfo {
  /** `<layer name>/<weight name>`, as the Parameter will be named. */
  name: string;
  /** Its shape, as it will be allocated. */
  shape: readonly number[];
  /** False for frozen layers and for weights that never train (BatchNormalization's moving statistics). */
  trainable: boolean;
}

/** Options of {@link Layer.addWeight}. */
export interface AddWeightOptions {
  /** How the values start. Default 'glorotUniform' (Keras's default for kernels). */
  initializer?: InitializerIdentifier | Initializer;
  /** False for state the optimizer must not touch (moving statistics). Default true. */
  trainable?: boolean;
  /** A penalty added to the loss for this weight (L1, L2). Default none. */
  regularizer?: Regularizer | null;
}

/** A layer's configuration: plain JSON, enough for `fromConfig` to rebuild an identical layer. */
export type LayerConfig = Record<string, unknown>;

const nameCounters = new Map<string, number>();

/**
 * 'Conv2D' → 'conv2d', 'MaxPooling2D' → 'max_pooling2d', 'L2Pooling2D' → 'l2_pooling2d', 'ReLU' → 're_lu':
 * Keras's rule (an underscore before each capitalised word, then before a capital that follows a lowercase letter).
 */
function snakeCase(className: string): string {
  return className
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

function uniqueName(className: string): string {
  const base = snakeCase(className);
  const n = (nameCounters.get(base) ?? 0) + 1;
  nameCounters.set(base, n);
  return `${base}_${n}`;
}

/**
 * The base of every layer: a layer is options (checked in the constructor), weights (built from the
 * first input's shape, so `new Conv2D({ filters: 6, kernelSize: 5 })` needs no channel count) and a
 * forward `call` made of ops, which autograd differentiates. `apply(x)` runs it on a tensor, or
 * records a graph node on a symbolic tensor (functional models). Subclass it for a custom layer: see
 * CONTRIBUTING.md, "The shape of a layer", and docs/layers.md.
 *
 * Shapes given to and returned by `computeOutputShape` include the batch axis, which may be `null`.
 *
 * @example
 * const conv = new Conv2D({ filters: 6, kernelSize: 5 });   // options checked, no weights yet
 * conv.apply(zeros([1, 28, 28, 1])).shape;                   // [1, 24, 24, 6]; weights built now
 * conv.countParams();                                        // 156 = 5·5·1·6 + 6
 */
export abstract class Layer {
  /** The class name used by the registry and in messages ('Conv2D'). Every subclass sets it. */
  static readonly className: string = 'Layer';
  /**
   * The options this class reads besides the base ones (name, trainable, inputShape, dtype). Any
   * other option is refused in the constructor, so a misspelled one is not silently ignored (Keras:
   * "Unrecognized keyword arguments"). Every key of `getConfig()` must be in it, so that
   * `fromConfig(getConfig())` works. null (the default, for custom layers) skips the check. The
   * built-in layers check it against their options interface when compiling (util/optionNames.ts).
   */
  static readonly optionNames: readonly string[] | null = null;

  /** The layer's unique name ('conv2d_1' unless the `name` option gave one); weights are named `<name>/kernel`. */
  readonly name: string;
  /** The weights' dtype: 'float32' (the default) or 'float64'. */
  readonly dtype: DType;
  /** [null, ...inputShape] when `inputShape` was given. */
  readonly batchInputShape: LayerShape | null;
  /**
   * The input shape the weights were built for (batch axis null), once built; null before, and for
   * layers that take a list (they keep no weights tied to a shape).
   */
  protected builtInputShape: LayerShape | null = null;
  private isBuilt = false;
  /**
   * One Node per call on symbolic tensors, in call order (Note [The layer graph] in engine/Node.ts).
   * A layer applied twice has two nodes and shares its weights between them.
   */
  readonly inboundNodes: Node[] = [];
  private params: Parameter[] = [];
  /** Whether each weight may train at all (moving statistics never do), parallel to `params`. */
  private paramsTrainable: boolean[] = [];
  private isTrainable: boolean;
  /** Optional generator for weight initialization (tests); default: the library-wide one. */
  generator: Generator | undefined;

  constructor(options: LayerOptions = {}) {
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
      throw new ConfigError(
        `${this.className}: name must be a non-empty string, but got ${JSON.stringify(options.name)}`,
      );
    }
    this.name = options.name ?? uniqueName(this.className);
    // before the subclass checks its options, so `kernel_size: 3` is named as a typo, not as a missing kernelSize
    this.checkOptionNames(options);
    this.isTrainable = bool(this.describe(), 'trainable', options.trainable, true);
    this.dtype = options.dtype ?? 'float32';
    if (this.dtype !== 'float32' && this.dtype !== 'float64') {
      throw new ConfigError(
        `${this.describe()}: dtype must be 'float32' or 'float64', but got ${JSON.stringify(options.dtype)}`,
      );
    }
    if (options.inputShape !== undefined) {
      const s = options.inputShape;
      if (!Array.isArray(s) || !s.every((d) => Number.isInteger(d) && d > 0 && d <= MAX_DIM)) {
        throw new ConfigError(
          `${this.describe()}: inputShape must be positive integers ≤ ${MAX_DIM} (one example, without the batch axis), but got ${JSON.stringify(s)}`,
        );
      }
      this.batchInputShape = [null, ...s];
    } else {
      this.batchInputShape = null;
    }
  }

  /** The class's registered name ('Conv2D'), as saved in a model's JSON and used in messages. */
  get className(): string {
    return (this.constructor as typeof Layer).className;
  }

  /** "Conv2D 'conv1'", the way every message names a layer. */
  describe(): string {
    return `${this.className} '${this.name}'`;
  }

  // ---- what subclasses provide ------------------------------------------------------------------

  /**
   * The forward pass, made of ops. `x` has been checked by `checkInput` and the weights are built.
   * It is one tensor, or a list for a layer whose `takesList` is true (Add, Concatenate).
   */
  protected abstract call(x: LayerInput, options: Required<CallOptions>): Tensor | Tensor[];

  /**
   * The output shape for an input shape (batch axis included, may be null). Every built-in layer
   * works it out from its options, without data. The default, for custom layers that do not say,
   * runs the layer once on zeros (a batch of 1, and 1 for any other unknown size) and reads the shape
   * of what comes out, as Keras does for layers without `compute_output_shape`; that builds the
   * weights. A custom layer can override it to avoid that run.
   */
  computeOutputShape(inputShape: LayerShapes): LayerShapes {
    const batch = (isShapeList(inputShape) ? inputShape[0]?.[0] : inputShape[0]) ?? null;
    let outputs: Tensor[];
    try {
      outputs = this.runOnZeros(inputShape);
    } catch (err) {
      throw new ShapeError(
        `${this.describe()}: cannot take input ${formatLayerShapes(inputShape)} (found by running the layer once, ` +
          `since it defines no computeOutputShape): ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const shapes = outputs.map((y) => [batch, ...y.shape.slice(1)]);
    return shapes.length === 1 ? shapes[0]! : shapes;
  }

  /** Runs the layer once, without gradients, on zeros of this shape (1 for unknown sizes): builds it. */
  private runOnZeros(inputShape: LayerShapes): Tensor[] {
    const make = (shape: LayerShape) =>
      zeros(
        shape.map((d) => d ?? 1),
        { dtype: this.dtype },
      );
    const x = isShapeList(inputShape) ? inputShape.map(make) : make(inputShape);
    return noGrad(() => this.applyAll(x));
  }

  /**
   * Whether `apply` takes a list of tensors (merge layers, models with several inputs) rather than
   * one. A list given to a one-input layer is refused, and one tensor to a list-taking layer.
   */
  protected get takesList(): boolean {
    return false;
  }

  /** The weights this layer needs for an input of this shape, in Keras order. Default: none. */
  protected weightSpecs(_inputShape: LayerShape): WeightSpec[] {
    return [];
  }

  /**
   * Checks an input shape before building or calling; throws a ShapeError naming the layer, what it
   * expects and what it got. Default: accepts anything.
   */
  protected checkInput(_inputShape: LayerShapes): void {}

  /** The layer-specific options, for getConfig (name/trainable/dtype/inputShape are added by the base). */
  protected abstract options(): LayerConfig;

  // ---- life cycle -------------------------------------------------------------------------------

  /** Whether the weights exist yet: false until the first `apply` (or `build`) has seen an input shape. */
  get built(): boolean {
    return this.isBuilt;
  }

  /**
   * Creates the weights for inputs of this shape (called by the first `apply`): the ones
   * `weightSpecs` declares, in order. A custom layer may instead override it, create its weights
   * with `addWeight`, and end with `super.build(inputShape)`, as in Keras.
   */
  build(inputShape: LayerShapes): void {
    if (this.built) return;
    const shape = withUnknownBatch(inputShape);
    this.checkInput(shape);
    for (const spec of this.weightSpecs(shape as LayerShape)) {
      this.addWeight(spec.name, spec.shape, {
        initializer: spec.initializer,
        trainable: spec.trainable,
        regularizer: spec.regularizer,
      });
    }
    this.builtInputShape = isShapeList(shape) ? null : shape;
    this.isBuilt = true;
  }

  /**
   * Creates a weight of this layer, named `<layer name>/<name>` (Keras `add_weight`): for use in a
   * custom layer's `build`, before `super.build(inputShape)`.
   * @throws ConfigError for a name the layer already has, or an unknown initializer.
   */
  addWeight(name: string, shape: readonly number[], options: AddWeightOptions = {}): Parameter {
    const full = `${this.name}/${name}`;
    if (this.params.some((p) => p.name === full)) {
      throw new ConfigError(`${this.describe()}: addWeight: the layer already has a weight named '${name}'`);
    }
    const { initializer = 'glorotUniform', trainable = true, regularizer = null } = options;
    const init = typeof initializer === 'object' ? initializer : getInitializer(this.describe(), initializer);
    // a config with units: 1e8 is refused here, naming the layer, not deep in the initializer
    checkSize(`${this.describe()}: weight '${name}'`, this.dtype, sizeOf(shape), shape);
    const p = new Parameter(
      init.init(shape, this.dtype, this.generator),
      shape,
      full,
      this.isTrainable && trainable,
      regularizer,
    );
    this.params.push(p);
    this.paramsTrainable.push(trainable);
    return p;
  }

  /**
   * The differentiable forward pass: checks the input, builds the weights on the first call, and
   * runs `call`. Gradients reach the weights through the ops `call` uses.
   *
   * On symbolic tensors (from `input()`, or other layers applied to them) it computes nothing: it
   * records a Node and returns the symbolic output, with its shape (Note [The layer graph]).
   * @throws ConfigError for a layer with several outputs (see applyAll), or a list given to a one-input layer.
   */
  apply(x: LayerInput, options?: CallOptions): Tensor;
  apply(x: SymbolicTensor | readonly SymbolicTensor[], options?: CallOptions): SymbolicTensor;
  apply(
    x: LayerInput | SymbolicTensor | readonly SymbolicTensor[],
    options: CallOptions = {},
  ): Tensor | SymbolicTensor {
    const outputs = this.applyAll(x as LayerInput, options);
    if (outputs.length !== 1) {
      throw new ConfigError(
        `${this.describe()} has ${outputs.length} outputs, so apply cannot return one tensor; applyAll returns the list`,
      );
    }
    return outputs[0]!;
  }

  /** `apply` for layers (models) with several outputs: always the list of outputs, one tensor per output. */
  applyAll(x: LayerInput, options?: CallOptions): Tensor[];
  applyAll(x: SymbolicTensor | readonly SymbolicTensor[], options?: CallOptions): SymbolicTensor[];
  applyAll(
    x: LayerInput | SymbolicTensor | readonly SymbolicTensor[],
    options: CallOptions = {},
  ): (Tensor | SymbolicTensor)[] {
    if (isSymbolic(x)) return this.applySymbolic(x, options);
    const input = this.checkInputKind(x);
    const shape: LayerShapes = Array.isArray(input) ? input.map((t) => t.shape) : (input as Tensor).shape;
    // weights declared by `inputShape` come first, so x is checked against them, not built from x
    this.ensureBuilt();
    this.checkInput(shape);
    if (!this.built) this.build(shape);
    else this.checkBuiltFor(shape);
    const callOptions = { training: options.training ?? false };
    // in anomaly mode the ops learn which layer runs them (Note [Anomaly detection] in @sinapse/tensor)
    const y = isDetectAnomalyEnabled()
      ? inLayer(this.name, () => this.call(input, callOptions))
      : this.call(input, callOptions);
    return Array.isArray(y) ? y : [y];
  }

  /** One tensor, or a list of them, as `takesList` says; refuses plain arrays and symbolic/real mixtures. */
  private checkInputKind(x: unknown): LayerInput {
    const what = (v: unknown) =>
      v instanceof Tensor
        ? 'a tensor'
        : v instanceof SymbolicTensor
          ? 'a symbolic tensor'
          : Array.isArray(v)
            ? 'an array'
            : JSON.stringify(v);
    if (this.takesList) {
      if (!Array.isArray(x) || x.length === 0 || !x.every((t) => t instanceof Tensor)) {
        const got = Array.isArray(x) ? `[${x.map(what).join(', ')}]` : what(x);
        throw new ConfigError(`${this.describe()} takes a list of tensors, e.g. apply([a, b]), but got ${got}`);
      }
      return x as readonly Tensor[];
    }
    if (!(x instanceof Tensor)) {
      const hint = Array.isArray(x)
        ? x.length > 0 && x.every((t) => t instanceof Tensor)
          ? ' (a list of tensors is for layers with several inputs, such as Add)'
          : '; wrap plain values with tensor(values)'
        : '';
      throw new ConfigError(`${this.describe()} takes one tensor, but got ${what(x)}${hint}`);
    }
    return x;
  }

  /**
   * `apply` on symbolic tensors: checks the shapes, works out the output shapes (no weights are
   * made: a full-size ResNet's graph costs no memory) and records the call as a Node.
   */
  private applySymbolic(x: SymbolicTensor | readonly SymbolicTensor[], options: CallOptions): SymbolicTensor[] {
    const isList = Array.isArray(x);
    const inputs: readonly SymbolicTensor[] = isList ? x : [x as SymbolicTensor];
    if (isList !== this.takesList) {
      throw new ConfigError(
        this.takesList
          ? `${this.describe()} takes a list of tensors, e.g. apply([a, b]), but got one symbolic tensor`
          : `${this.describe()} takes one tensor, but got a list of ${inputs.length} symbolic tensors`,
      );
    }
    const shape: LayerShapes = isList ? inputs.map((t) => t.shape) : inputs[0]!.shape;
    this.checkInput(shape);
    // a layer applied again (shared weights) must fit the weights its first call will build
    const first = this.builtInputShape ?? this.inboundNodes[0]?.inputShapes() ?? null;
    if (first !== null && !isShapeList(first) && !isShapeList(shape)) this.checkFits(first, shape);
    const out = this.computeOutputShape(shape);
    const node = new Node(this, inputs, isList, options.training);
    const dtype = inputs[0]!.dtype;
    node.outputs = (isShapeList(out) ? out : [out]).map((s, i) => new SymbolicTensor(s, dtype, node, i));
    this.inboundNodes.push(node);
    return [...node.outputs];
  }

  /** Builds from `inputShape` if it was given and the layer is not built yet. */
  private ensureBuilt(): void {
    if (!this.built && this.batchInputShape !== null) this.build(this.batchInputShape);
  }

  /**
   * A built layer only accepts inputs whose sizes match the axes its build() kept (the non-null
   * entries of `builtInputShape`), aligned from the right: Dense built on [null, 4] takes [3, 5, 4]
   * (Keras InputSpec(min_ndim=2, axes={-1: 4})). A layer that needs a fixed rank says so in its
   * checkInput (Conv2D wants rank 4, BatchNormalization the rank it was built for).
   */
  private checkBuiltFor(shape: LayerShapes): void {
    const built = this.builtInputShape;
    if (built === null || isShapeList(shape)) return;
    this.checkFits(built, shape);
  }

  /** The rule of checkBuiltFor, also used for a second symbolic call of a shared layer. */
  private checkFits(built: LayerShape, shape: LayerShape): void {
    // a layer without weights (pooling, Flatten, Activation...) fits any input its checkInput accepts
    if (this.weightSpecs === Layer.prototype.weightSpecs && this.params.length === 0) return;
    const offset = shape.length - built.length;
    const ok = built.every((d, i) => i === 0 || d === null || (i + offset >= 1 && shape[i + offset] === d));
    if (!ok) {
      const got = shape.every((d) => d !== null) ? formatShape(shape as number[]) : formatLayerShape(shape);
      throw new ShapeError(`${this.describe()} was built for inputs ${formatLayerShape(built)}, but got ${got}`);
    }
  }

  /** Refuses an option that is not in `optionNames` or the base ones, suggesting the closest known one. */
  private checkOptionNames(options: object): void {
    const own = (this.constructor as typeof Layer).optionNames;
    if (own === null) return;
    checkOptionNames(this.describe(), options, [...BASE_OPTIONS, ...own]);
  }

  // ---- weights ------------------------------------------------------------------------------------

  /** Whether the optimizer updates this layer's weights (the `trainable` option, default true). */
  get trainable(): boolean {
    return this.isTrainable;
  }

  /** Freezing a layer freezes all its weights and the layers it holds (Keras `layer.trainable = False`). */
  set trainable(value: boolean) {
    this.isTrainable = value;
    this.params.forEach((p, i) => {
      p.trainable = value && this.paramsTrainable[i]!;
    });
    for (const layer of this.trackedLayers()) layer.trainable = value;
  }

  /**
   * The layers this layer holds, whose weights are its weights too: every property that is a Layer
   * or an array of Layers, in the order they were assigned (PyTorch registers submodules the same
   * way, on assignment; Keras tracks attributes). So a custom layer that keeps `this.conv = new
   * Conv2D(...)` and calls it in `call` has the conv's weights counted, saved and trained. Models
   * hold their layers this way.
   */
  protected trackedLayers(): Layer[] {
    const found: Layer[] = [];
    for (const value of Object.values(this)) {
      if (value instanceof Layer && value !== this) found.push(value);
      else if (Array.isArray(value)) for (const v of value) if (v instanceof Layer && v !== this) found.push(v);
    }
    return [...new Set(found)];
  }

  /**
   * Every weight in Keras order (kernel, then bias, then others), as the parameter tensors themselves,
   * then the weights of the layers it holds (see trackedLayers), each once however often it is shared.
   */
  get weights(): Parameter[] {
    this.ensureBuilt();
    const all = [...this.params];
    for (const layer of this.trackedLayers()) all.push(...layer.weights);
    return [...new Set(all)];
  }

  /** The weights the optimizer updates: `weights` less the frozen ones and the moving statistics. */
  get trainableWeights(): Parameter[] {
    return this.weights.filter((p) => p.trainable);
  }

  /** The weights the optimizer leaves alone: BatchNormalization's moving statistics, a frozen layer's weights. */
  get nonTrainableWeights(): Parameter[] {
    return this.weights.filter((p) => !p.trainable);
  }

  /**
   * The weight named `name` ('kernel', 'bias', ...); for use in `call`.
   * @throws ValueError naming the weights the layer has, for a name `weightSpecs` did not declare.
   */
  protected param(name: string): Parameter {
    const full = `${this.name}/${name}`;
    const p = this.params.find((q) => q.name === full);
    if (p === undefined) {
      const names = this.params.map((q) => q.name.slice(this.name.length + 1)).join(', ');
      const known = this.built ? names || 'none' : 'none yet: the first apply builds them';
      throw new ValueError(
        `${this.describe()}: param: the name must be one of the layer's weights (${known}), but got '${name}'`,
      );
    }
    return p;
  }

  /**
   * The weights this layer has, or would create for inputs of `inputShape`, as names, shapes and
   * trainable flags: what a model summary needs, without allocating anything. `inputShape` defaults
   * to the shape the layer was built for, or its `inputShape` option.
   */
  weightInfo(inputShape?: LayerShapes): WeightInfo[] {
    const shape =
      inputShape === undefined
        ? (this.inboundNodes[0]?.inputShapes() ?? this.batchInputShape)
        : withUnknownBatch(inputShape);
    // the layers a custom layer holds get their input shapes only inside its call: run it once
    // to build them (Keras builds a layer on its first call too)
    if (!this.built && shape !== null && this.trackedLayers().some((l) => !l.built)) this.runOnZeros(shape);
    const held = this.trackedLayers().flatMap((layer) => layer.weightInfo());
    // built: the weights themselves, which also covers ones a custom build() made with addWeight
    if (this.built) {
      const own = this.params.map((p) => ({ name: p.name, shape: p.shape, trainable: p.trainable }));
      return [...own, ...held];
    }
    // a layer that never declares weights (pooling, Flatten, Dropout...) needs no shape to say so
    if (shape === null && this.weightSpecs === Layer.prototype.weightSpecs) return held;
    if (shape === null) {
      throw new ConfigError(
        `${this.describe()}: countParams needs the input shape; call the layer on an input first or pass inputShape`,
      );
    }
    this.checkInput(shape);
    const own = this.weightSpecs(shape as LayerShape).map((spec) => ({
      name: `${this.name}/${spec.name}`,
      shape: spec.shape,
      trainable: this.isTrainable && (spec.trainable ?? true),
    }));
    return [...own, ...held];
  }

  /**
   * Number of scalars in the weights (for inputs of `inputShape`, see `weightInfo`). Allocates nothing.
   * 0 for a layer without weights, even before it knows its input shape.
   */
  countParams(inputShape?: LayerShapes): number {
    return this.weightInfo(inputShape).reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  }

  /** Copies of the weights' values, in Keras order. */
  getWeights(): Tensor[] {
    return this.weights.map((p) => p.clone().detach());
  }

  /** Overwrites the weights with these tensors (Keras order), checking their number and shapes. */
  setWeights(values: readonly Tensor[]): void {
    const params = this.weights;
    if (!this.built && values.length > 0) {
      throw new ShapeError(
        `${this.describe()}: setWeights: the layer has no weights yet; call it on an input first, or pass inputShape, then set them`,
      );
    }
    // its own weights by their short name (kernel), those of the layers it holds in full (conv1/kernel)
    const own = `${this.name}/`;
    checkWeightValues(`${this.describe()}: setWeights`, params, values, (p) =>
      p.name.startsWith(own) ? p.name.slice(own.length) : p.name,
    );
    params.forEach((p, i) => {
      p.assign(values[i]!.data);
    });
  }

  /** Sum of the regularization penalties of this layer's weights (a scalar), or null if none. */
  regularizationLoss(): Tensor | null {
    let total: Tensor | null = null;
    for (const p of this.weights) {
      if (p.regularizer === null || !p.trainable) continue;
      const penalty = p.regularizer.apply(p);
      total = total === null ? penalty : total.add(penalty);
    }
    return total;
  }

  // ---- serialization ------------------------------------------------------------------------------

  /** Plain JSON describing the layer; `fromConfig(getConfig())` rebuilds an identical one (weights aside). */
  getConfig(): LayerConfig {
    const config: LayerConfig = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.batchInputShape !== null) config.inputShape = this.batchInputShape.slice(1);
    return { ...config, ...this.options() };
  }

  /** Rebuilds a layer from `getConfig()` output (the registry finds the class by `className`). */
  static fromConfig<T extends Layer>(this: new (options: never) => T, config: LayerConfig): T {
    return new this(config as never);
  }

  /** `Conv2D(filters=6, kernelSize=[5,5], strides=[1,1], padding='valid', ...)` */
  toString(): string {
    const parts = Object.entries(this.options()).map(([k, v]) => `${k}=${formatOption(v)}`);
    return `${this.className}(${parts.join(', ')})`;
  }
}

/** The same shape(s) with the batch axis unknown: [32, 4] → [null, 4]. */
function withUnknownBatch(shape: LayerShapes): LayerShapes {
  const one = (s: LayerShape): LayerShape => [null, ...s.slice(1)];
  return isShapeList(shape) ? shape.map(one) : one(shape);
}

function formatOption(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (Array.isArray(v)) return `[${v.map(formatOption).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    if ('className' in v) {
      // a serialized initializer or regularizer: L2(l2=0.001), Constant(value=0.5), GlorotUniform
      const { className, config = {} } = v as { className: string; config?: Record<string, unknown> };
      const args = Object.entries(config).map(([k, x]) => `${k}=${formatOption(x)}`);
      return args.length > 0 ? `${className}(${args.join(', ')})` : className;
    }
    return JSON.stringify(v);
  }
  return String(v);
}
