/**
 * The base of every layer, with Keras's life cycle:
 *
 *   const conv = new Conv2D({ filters: 6, kernelSize: 5 });  // options checked here, no weights yet
 *   const y = conv.apply(x);                                   // first call: build weights from x's shape
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
  type DType,
  formatShape,
  type Generator,
  ShapeError,
  type Tensor,
  ValueError,
} from '@sinapse/tensor';
import type { Initializer } from './initializers';
import { Parameter } from './Parameter';
import type { Regularizer } from './regularizers';
import type { NoneUnlisted, UnlistedOptions } from './util/optionNames';
import { checkWeightValues } from './util/weights';

/** A shape whose batch axis (the first) may be unknown. */
export type LayerShape = readonly (number | null)[];

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

export interface CallOptions {
  /** Training mode: Dropout drops and BatchNormalization uses batch statistics. Default false. */
  training?: boolean;
}

/** What a weight is before it is allocated: enough to count parameters without allocating them. */
export interface WeightSpec {
  name: string;
  shape: readonly number[];
  initializer: Initializer;
  trainable?: boolean;
  regularizer?: Regularizer | null;
}

/** A weight as `weightInfo` describes it: no values, just what it would be. */
export interface WeightInfo {
  /** `<layer name>/<weight name>`, as the Parameter will be named. */
  name: string;
  shape: readonly number[];
  /** False for frozen layers and for weights that never train (BatchNormalization's moving statistics). */
  trainable: boolean;
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

  readonly name: string;
  readonly dtype: DType;
  /** [null, ...inputShape] when `inputShape` was given. */
  readonly batchInputShape: LayerShape | null;
  /** The input shape the weights were built for (batch axis null), once built. */
  protected builtInputShape: LayerShape | null = null;
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
    this.isTrainable = options.trainable ?? true;
    this.dtype = options.dtype ?? 'float32';
    if (this.dtype !== 'float32' && this.dtype !== 'float64') {
      throw new ConfigError(
        `${this.describe()}: dtype must be 'float32' or 'float64', but got ${JSON.stringify(options.dtype)}`,
      );
    }
    if (options.inputShape !== undefined) {
      const s = options.inputShape;
      if (!Array.isArray(s) || !s.every((d) => Number.isInteger(d) && d > 0)) {
        throw new ConfigError(
          `${this.describe()}: inputShape must be positive integers (one example, without the batch axis), but got ${JSON.stringify(s)}`,
        );
      }
      this.batchInputShape = [null, ...s];
    } else {
      this.batchInputShape = null;
    }
  }

  get className(): string {
    return (this.constructor as typeof Layer).className;
  }

  /** "Conv2D 'conv1'", the way every message names a layer. */
  describe(): string {
    return `${this.className} '${this.name}'`;
  }

  // ---- what subclasses provide ------------------------------------------------------------------

  /** The forward pass, made of ops. `x` has been checked by `checkInput` and the weights are built. */
  protected abstract call(x: Tensor, options: Required<CallOptions>): Tensor;

  /** The output shape for an input shape (batch axis included, may be null). Default: unchanged. */
  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  /** The weights this layer needs for an input of this shape, in Keras order. Default: none. */
  protected weightSpecs(_inputShape: LayerShape): WeightSpec[] {
    return [];
  }

  /**
   * Checks an input shape before building or calling; throws a ShapeError naming the layer, what it
   * expects and what it got. Default: accepts anything.
   */
  protected checkInput(_inputShape: LayerShape): void {}

  /** The layer-specific options, for getConfig (name/trainable/dtype/inputShape are added by the base). */
  protected abstract options(): LayerConfig;

  // ---- life cycle -------------------------------------------------------------------------------

  get built(): boolean {
    return this.builtInputShape !== null;
  }

  /** Creates the weights for inputs of this shape (called by the first `apply`). */
  build(inputShape: LayerShape): void {
    if (this.built) return;
    const shape = [null, ...inputShape.slice(1)];
    this.checkInput(shape);
    const specs = this.weightSpecs(shape);
    this.paramsTrainable = specs.map((spec) => spec.trainable ?? true);
    this.params = specs.map(
      (spec) =>
        new Parameter(
          spec.initializer.init(spec.shape, this.dtype, this.generator),
          spec.shape,
          `${this.name}/${spec.name}`,
          this.isTrainable && (spec.trainable ?? true),
          spec.regularizer ?? null,
        ),
    );
    this.builtInputShape = shape;
  }

  /**
   * The differentiable forward pass: checks the input, builds the weights on the first call, and
   * runs `call`. Gradients reach the weights through the ops `call` uses.
   */
  apply(x: Tensor, options: CallOptions = {}): Tensor {
    // weights declared by `inputShape` come first, so x is checked against them, not built from x
    this.ensureBuilt();
    this.checkInput(x.shape);
    if (!this.built) this.build(x.shape);
    else this.checkBuiltFor(x.shape);
    return this.call(x, { training: options.training ?? false });
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
  private checkBuiltFor(shape: readonly number[]): void {
    // a layer without weights (pooling, Flatten, Activation...) fits any input its checkInput accepts
    if (this.params.length === 0) return;
    const built = this.builtInputShape!;
    const offset = shape.length - built.length;
    const ok = built.every((d, i) => i === 0 || d === null || (i + offset >= 1 && shape[i + offset] === d));
    if (!ok) {
      throw new ShapeError(
        `${this.describe()} was built for inputs ${formatLayerShape(built)}, but got ${formatShape(shape)}`,
      );
    }
  }

  /** Refuses an option that is not in `optionNames` or the base ones, suggesting the closest known one. */
  private checkOptionNames(options: object): void {
    const own = (this.constructor as typeof Layer).optionNames;
    if (own === null) return;
    checkOptionNames(this.describe(), options, [...BASE_OPTIONS, ...own]);
  }

  // ---- weights ------------------------------------------------------------------------------------

  get trainable(): boolean {
    return this.isTrainable;
  }

  /** Freezing a layer freezes all its weights (Keras `layer.trainable = False`). */
  set trainable(value: boolean) {
    this.isTrainable = value;
    this.params.forEach((p, i) => {
      p.trainable = value && this.paramsTrainable[i]!;
    });
  }

  /** Every weight in Keras order (kernel, then bias, then others), as the parameter tensors themselves. */
  get weights(): Parameter[] {
    this.ensureBuilt();
    return [...this.params];
  }

  get trainableWeights(): Parameter[] {
    return this.weights.filter((p) => p.trainable);
  }

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
  weightInfo(inputShape?: LayerShape): WeightInfo[] {
    const given = inputShape === undefined ? null : [null, ...inputShape.slice(1)];
    const shape = given ?? this.builtInputShape ?? this.batchInputShape;
    // a layer that never declares weights (pooling, Flatten, Dropout...) needs no shape to say so
    if (shape === null && this.weightSpecs === Layer.prototype.weightSpecs) return [];
    if (shape === null) {
      throw new ConfigError(
        `${this.describe()}: countParams needs the input shape; call the layer on an input first or pass inputShape`,
      );
    }
    this.checkInput(shape);
    return this.weightSpecs(shape).map((spec) => ({
      name: `${this.name}/${spec.name}`,
      shape: spec.shape,
      trainable: this.isTrainable && (spec.trainable ?? true),
    }));
  }

  /**
   * Number of scalars in the weights (for inputs of `inputShape`, see `weightInfo`). Allocates nothing.
   * 0 for a layer without weights, even before it knows its input shape.
   */
  countParams(inputShape?: LayerShape): number {
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
    checkWeightValues(`${this.describe()}: setWeights`, params, values, (p) => p.name.split('/').pop()!);
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

/** `[null, 28, 28, 1]` */
export function formatLayerShape(shape: LayerShape): string {
  return `[${shape.map((d) => d ?? 'null').join(', ')}]`;
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
