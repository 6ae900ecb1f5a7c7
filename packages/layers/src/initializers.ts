/**
 * Weight initializers, named as in Keras / TF.js. A good initial scale keeps the variance of the
 * activations (forward) and of the gradients (backward) roughly constant from layer to layer, so a
 * deep network neither explodes nor fades out at the start of training.
 *
 * Fans (Keras's rule): for a Dense kernel [inUnits, units], fanIn = inUnits, fanOut = units; for a
 * conv kernel [kh, kw, inChannels, filters], receptive field r = kh·kw, fanIn = inChannels·r,
 * fanOut = filters·r.
 *
 * | name          | distribution                                  | from                       |
 * | glorotUniform | U(−l, l), l = √(6 / (fanIn + fanOut))          | Glorot & Bengio 2010        |
 * | glorotNormal  | truncated N(0, σ), σ = √(2 / (fanIn + fanOut)) | Glorot & Bengio 2010        |
 * | heNormal      | truncated N(0, σ), σ = √(2 / fanIn)            | He et al. 2015, for ReLU     |
 * | heUniform     | U(−l, l), l = √(6 / fanIn)                      | He et al. 2015              |
 * | lecunNormal   | truncated N(0, σ), σ = √(1 / fanIn)            | LeCun et al. 1998           |
 * Truncated normals redraw values beyond two standard deviations; σ is divided by 0.8796…, the std
 * of a unit normal truncated at ±2, so the result has the std in the table.
 */
import { allocate, ConfigError, type DType, type Generator, getGenerator, type TypedArray } from '@sinapse/tensor';

/** How a weight's values start: fresh values for a shape, plus its Keras name and config for saving. */
export interface Initializer {
  /** Keras class name, e.g. 'GlorotUniform' (for getConfig). */
  readonly className: string;
  /** Fresh values for a weight of this shape. */
  init(shape: readonly number[], dtype: DType, generator?: Generator): TypedArray;
  /** Its parameters as plain JSON (`{}` for the variance-scaling ones; `{ value }` for constant), for saving. */
  getConfig(): Record<string, unknown>;
}

/** What an initializer option takes: one of the names in the table above, or an {@link Initializer}. */
export type InitializerIdentifier =
  | 'glorotUniform'
  | 'glorotNormal'
  | 'heNormal'
  | 'heUniform'
  | 'lecunNormal'
  | 'zeros'
  | 'ones'
  | Initializer;

/** fanIn and fanOut of a weight shape (see the module comment). */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  let receptive = 1;
  for (let i = 0; i < shape.length - 2; i++) receptive *= shape[i]!;
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

const TRUNCATED_STD = 0.8796256610342398;

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function uniformFill(out: TypedArray, limit: number, g: Generator): TypedArray {
  for (let i = 0; i < out.length; i++) out[i] = (2 * g.uniform() - 1) * limit;
  return out;
}

function truncatedNormalFill(out: TypedArray, std: number, g: Generator): TypedArray {
  const s = std / TRUNCATED_STD;
  for (let i = 0; i < out.length; i++) {
    let z = g.normal();
    while (Math.abs(z) > 2) z = g.normal();
    out[i] = z * s;
  }
  return out;
}

type Scale = (fanIn: number, fanOut: number) => number;

/** A variance-scaling initializer: the family all the named ones above belong to. */
function varianceScaling(className: string, distribution: 'uniform' | 'truncatedNormal', scale: Scale): Initializer {
  return {
    className,
    init(shape, dtype, generator = getGenerator()) {
      const { fanIn, fanOut } = computeFans(shape);
      const out = allocate(dtype, size(shape));
      const v = scale(fanIn, fanOut);
      return distribution === 'uniform'
        ? uniformFill(out, Math.sqrt(3 * v), generator) // U(−l, l) has variance l²/3
        : truncatedNormalFill(out, Math.sqrt(v), generator);
    },
    getConfig: () => ({}),
  };
}

/** Glorot (Xavier) uniform: U(−l, l), l = √(6 / (fanIn + fanOut)). Keras's default for kernels. */
export const glorotUniform = (): Initializer => varianceScaling('GlorotUniform', 'uniform', (i, o) => 2 / (i + o));
/** Glorot (Xavier) normal: truncated N(0, σ), σ = √(2 / (fanIn + fanOut)). */
export const glorotNormal = (): Initializer =>
  varianceScaling('GlorotNormal', 'truncatedNormal', (i, o) => 2 / (i + o));
/** He normal: truncated N(0, σ), σ = √(2 / fanIn); keeps the variance through ReLUs, which zero half the inputs. */
export const heNormal = (): Initializer => varianceScaling('HeNormal', 'truncatedNormal', (i) => 2 / i);
/** He uniform: U(−l, l), l = √(6 / fanIn). */
export const heUniform = (): Initializer => varianceScaling('HeUniform', 'uniform', (i) => 2 / i);
/** LeCun normal: truncated N(0, σ), σ = √(1 / fanIn); the one SELU needs to self-normalize. */
export const lecunNormal = (): Initializer => varianceScaling('LecunNormal', 'truncatedNormal', (i) => 1 / i);

/** Every value equal to `value`. */
export function constant(value: number): Initializer {
  return {
    className: 'Constant',
    init: (shape, dtype) => allocate(dtype, size(shape)).fill(value),
    getConfig: () => ({ value }),
  };
}

/** All zeros: Keras's default for biases and BatchNormalization's beta. */
export const zeros = (): Initializer => ({ ...constant(0), className: 'Zeros', getConfig: () => ({}) });
/** All ones: BatchNormalization's default gamma and moving variance. */
export const ones = (): Initializer => ({ ...constant(1), className: 'Ones', getConfig: () => ({}) });

/** N(mean, stddev), not truncated. Keras defaults: mean 0, stddev 0.05. */
export function randomNormal({ mean = 0, stddev = 0.05 } = {}): Initializer {
  return {
    className: 'RandomNormal',
    init(shape, dtype, g = getGenerator()) {
      const out = allocate(dtype, size(shape));
      for (let i = 0; i < out.length; i++) out[i] = mean + stddev * g.normal();
      return out;
    },
    getConfig: () => ({ mean, stddev }),
  };
}

/** U(minval, maxval). Keras defaults: [−0.05, 0.05). */
export function randomUniform({ minval = -0.05, maxval = 0.05 } = {}): Initializer {
  return {
    className: 'RandomUniform',
    init(shape, dtype, g = getGenerator()) {
      const out = allocate(dtype, size(shape));
      for (let i = 0; i < out.length; i++) out[i] = minval + (maxval - minval) * g.uniform();
      return out;
    },
    getConfig: () => ({ minval, maxval }),
  };
}

const byName: Record<string, () => Initializer> = {
  glorotUniform,
  glorotNormal,
  heNormal,
  heUniform,
  lecunNormal,
  zeros,
  ones,
};

/**
 * Resolves a name, an initializer, or a serialized `{ className, config }`. The serialized form
 * usually comes from a model.json, which may have been edited or damaged, so it is checked field
 * by field before it is used.
 * @param who how messages start ("Dense 'fc1'").
 * @param option the option being resolved ('kernelInitializer'), for the messages. Default 'initializer'.
 * @throws ConfigError for an unknown name or class, or a serialized form that is not one.
 */
export function getInitializer(
  who: string,
  id: InitializerIdentifier | SerializedInitializer,
  option = 'initializer',
): Initializer {
  if (typeof id === 'string') {
    // own keys only: a config's 'constructor' or '__proto__' must not find Object's
    const make = Object.hasOwn(byName, id) ? byName[id] : undefined;
    if (make === undefined) {
      throw new ConfigError(
        `${who}: unknown initializer '${id}' for ${option}; known: ${Object.keys(byName).join(', ')}`,
      );
    }
    return make();
  }
  if (id === null || typeof id !== 'object' || Array.isArray(id)) {
    throw new ConfigError(
      `${who}: ${option} must be an initializer's name ('glorotUniform'), an initializer, or ` +
        `{ className, config }, but got ${JSON.stringify(id) ?? String(id)}`,
    );
  }
  if ('init' in id && typeof id.init === 'function') return id as Initializer;
  return deserializeInitializer(`${who}: ${option}`, id as SerializedInitializer);
}

/** An initializer as saved in a layer's config, Keras's form: `{ className: 'GlorotUniform', config: {} }`. */
export interface SerializedInitializer {
  /** Keras's class name: 'GlorotUniform', 'HeNormal', 'Zeros', 'Constant', 'RandomNormal'... */
  className: string;
  /** The initializer's parameters (`{ value: 0.1 }` for Constant). */
  config: Record<string, unknown>;
}

/** The saved form of an initializer, for getConfig: `{ className, config }`. */
export function serializeInitializer(init: Initializer): SerializedInitializer {
  return { className: init.className, config: init.getConfig() };
}

/** The parameters each class with parameters reads from its config, all finite numbers. */
const PARAMETERS: Record<string, readonly string[]> = {
  Constant: ['value'],
  RandomNormal: ['mean', 'stddev'],
  RandomUniform: ['minval', 'maxval'],
};

/** `{ className: 'Constant', config: { value: 0.5 } }` → the initializer; `where` names the option. */
function deserializeInitializer(where: string, s: SerializedInitializer): Initializer {
  const { className, config = {} } = s as { className?: unknown; config?: unknown };
  const known = [...Object.keys(PARAMETERS), ...Object.keys(byName).map((n) => n.charAt(0).toUpperCase() + n.slice(1))];
  if (typeof className !== 'string' || className === '') {
    throw new ConfigError(
      `${where}: a serialized initializer needs a className (one of ${known.join(', ')}), but got ${JSON.stringify(className) ?? 'none'}`,
    );
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new ConfigError(
      `${where}: the config of initializer ${className} must be an object, but got ${JSON.stringify(config)}`,
    );
  }
  const c = config as Record<string, unknown>;
  for (const key of Object.hasOwn(PARAMETERS, className) ? PARAMETERS[className]! : []) {
    const v = c[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) {
      throw new ConfigError(`${where}: ${className}'s ${key} must be a finite number, but got ${JSON.stringify(v)}`);
    }
  }
  const n = c as Record<string, number>;
  switch (className) {
    case 'Constant':
      return constant(n.value ?? 0);
    case 'RandomNormal':
      if (n.stddev !== undefined && n.stddev < 0) {
        throw new ConfigError(`${where}: RandomNormal's stddev must be ≥ 0, but got ${n.stddev}`);
      }
      return randomNormal(n);
    case 'RandomUniform':
      return randomUniform(n);
    default: {
      // 'GlorotUniform' → glorotUniform, the name getConfig's className was made from
      const name = className.charAt(0).toLowerCase() + className.slice(1);
      const make = Object.hasOwn(byName, name) ? byName[name] : undefined;
      if (make === undefined || !/^[A-Z]/.test(className)) {
        throw new ConfigError(`${where}: unknown initializer class '${className}'; known: ${known.join(', ')}`);
      }
      return make();
    }
  }
}
