/**
 * One layer between Keras's JSON and Sinapse's: `{ class_name: 'Conv2D', config: { kernel_size: [3, 3], … } }`
 * ⇄ `{ className: 'Conv2D', config: { kernelSize: [3, 3], … } }`.
 *
 * Most of it is renaming (snake_case ⇄ camelCase) by a table per class. What is not renaming:
 *
 *   - options Sinapse does not have must hold the one value Sinapse computes: `data_format` must be
 *     'channels_last' (Sinapse is NHWC), constraints and activity regularizers null, `groups` 1. Any
 *     other value is an error naming the layer, the option and the value, never silently dropped:
 *     the model would load and predict something else;
 *   - an option this table does not know is an error too, unless its value is null or false (the
 *     "feature off" value of the options Keras adds over the years: `lora_rank: null`, `renorm: false`);
 *   - initializers only decide fresh weights, which a loaded model replaces, so one Sinapse lacks
 *     (Orthogonal, say) becomes the layer's default instead of an error (Note [Initializers on import]);
 *   - layers with no Keras class travel under names of our own: 'Sinapse>L2Pooling2D' and
 *     'Sinapse>LocalResponseNormalization' (Keras 3 writes registered custom classes as 'package>Name').
 *     TF.js loads them once a class of that name is registered (docs/interop.md has the lines), and
 *     otherwise refuses, naming the class.
 *
 * Note [Initializers on import]
 * Keras names initializers two ways: by class (GlorotUniform, HeNormal) and as a VarianceScaling
 * config, which is how TF.js writes all of them (glorotNormal is VarianceScaling{scale 1, fan_avg,
 * normal}). Sinapse's are the variance-scaling family plus Zeros, Ones, Constant, RandomNormal and
 * RandomUniform; the VarianceScaling configs that are one of ours map to it, and export writes
 * VarianceScaling, which Keras and TF.js both read. ('normal' in TF.js and old Keras means the
 * truncated normal, as Sinapse's *Normal initializers are.)
 */
import type { LayerConfig, SerializedLayer } from '@sinapse/layers';
import { ConfigError } from '@sinapse/tensor';

/** A Keras layer as Keras's JSON has it (inside a model's config, with `name` and `inbound_nodes` beside). */
export interface KerasLayer {
  class_name: string;
  config: Record<string, unknown>;
  name?: string;
  inbound_nodes?: unknown[];
  [key: string]: unknown;
}

type Json = Record<string, unknown>;

/** How a value converts (both ways). */
type Kind = 'plain' | 'initializer' | 'regularizer' | 'activation';

interface Mapping {
  /** Keras class name ('Conv2D', 'Sinapse>L2Pooling2D'). */
  keras: string;
  /** Sinapse class name. */
  sinapse: string;
  /** [Keras option, Sinapse option, kind]: renamed and converted. */
  fields: ReadonlyArray<readonly [string, string, Kind?]>;
  /** Keras options Sinapse has no counterpart for, with the values it computes; the first is what export writes. */
  fixed?: Readonly<Record<string, readonly unknown[]>>;
  /** Keras options read on import only (export leaves them out, TF.js does not know them), with the accepted values. */
  accepted?: Readonly<Record<string, readonly unknown[]>>;
}

const CHANNELS_LAST = { data_format: ['channels_last'] } as const;
const KERNEL_BIAS = {
  kernel_constraint: [null],
  bias_constraint: [null],
  activity_regularizer: [null],
} as const;
const KERNEL_BIAS_FIELDS = [
  ['use_bias', 'useBias'],
  ['kernel_initializer', 'kernelInitializer', 'initializer'],
  ['bias_initializer', 'biasInitializer', 'initializer'],
  ['kernel_regularizer', 'kernelRegularizer', 'regularizer'],
  ['bias_regularizer', 'biasRegularizer', 'regularizer'],
] as const;
const POOLING: Mapping['fields'] = [
  ['pool_size', 'poolSize'],
  ['strides', 'strides'],
  ['padding', 'padding'],
];

/** The class name L2Pooling2D is exported under (TF.js needs a registered layer of this name to load it). */
export const L2_POOLING_CLASS = 'Sinapse>L2Pooling2D';
/** The class name LocalResponseNormalization is exported under. */
export const LRN_CLASS = 'Sinapse>LocalResponseNormalization';

const MAPPINGS: readonly Mapping[] = [
  {
    keras: 'Conv2D',
    sinapse: 'Conv2D',
    fields: [
      ['filters', 'filters'],
      ['kernel_size', 'kernelSize'],
      ['strides', 'strides'],
      ['padding', 'padding'],
      ['dilation_rate', 'dilationRate'],
      ['activation', 'activation', 'activation'],
      ...KERNEL_BIAS_FIELDS,
    ],
    fixed: { ...CHANNELS_LAST, ...KERNEL_BIAS },
    accepted: { groups: [1] },
  },
  {
    keras: 'Dense',
    sinapse: 'Dense',
    fields: [['units', 'units'], ['activation', 'activation', 'activation'], ...KERNEL_BIAS_FIELDS],
    fixed: KERNEL_BIAS,
  },
  { keras: 'MaxPooling2D', sinapse: 'MaxPooling2D', fields: POOLING, fixed: CHANNELS_LAST },
  { keras: 'AveragePooling2D', sinapse: 'AveragePooling2D', fields: POOLING, fixed: CHANNELS_LAST },
  { keras: L2_POOLING_CLASS, sinapse: 'L2Pooling2D', fields: POOLING, fixed: CHANNELS_LAST },
  {
    keras: 'GlobalMaxPooling2D',
    sinapse: 'GlobalMaxPooling2D',
    fields: [['keepdims', 'keepDims']],
    fixed: CHANNELS_LAST,
  },
  {
    keras: 'GlobalAveragePooling2D',
    sinapse: 'GlobalAveragePooling2D',
    fields: [['keepdims', 'keepDims']],
    fixed: CHANNELS_LAST,
  },
  {
    keras: 'BatchNormalization',
    sinapse: 'BatchNormalization',
    fields: [
      ['axis', 'axis'],
      ['momentum', 'momentum'],
      ['epsilon', 'epsilon'],
      ['center', 'center'],
      ['scale', 'scale'],
      ['beta_initializer', 'betaInitializer', 'initializer'],
      ['gamma_initializer', 'gammaInitializer', 'initializer'],
      ['moving_mean_initializer', 'movingMeanInitializer', 'initializer'],
      ['moving_variance_initializer', 'movingVarianceInitializer', 'initializer'],
      ['beta_regularizer', 'betaRegularizer', 'regularizer'],
      ['gamma_regularizer', 'gammaRegularizer', 'regularizer'],
    ],
    fixed: { beta_constraint: [null], gamma_constraint: [null] },
  },
  {
    keras: LRN_CLASS,
    sinapse: 'LocalResponseNormalization',
    fields: [
      ['depth_radius', 'depthRadius'],
      ['bias', 'bias'],
      ['alpha', 'alpha'],
      ['beta', 'beta'],
    ],
  },
  {
    keras: 'Dropout',
    sinapse: 'Dropout',
    fields: [
      ['rate', 'rate'],
      ['noise_shape', 'noiseShape'],
      ['seed', 'seed'],
    ],
  },
  { keras: 'Flatten', sinapse: 'Flatten', fields: [], fixed: CHANNELS_LAST },
  { keras: 'Reshape', sinapse: 'Reshape', fields: [['target_shape', 'targetShape']] },
  { keras: 'ZeroPadding2D', sinapse: 'ZeroPadding2D', fields: [['padding', 'padding']], fixed: CHANNELS_LAST },
  { keras: 'Activation', sinapse: 'Activation', fields: [['activation', 'activation', 'activation']] },
  {
    keras: 'ReLU',
    sinapse: 'ReLU',
    fields: [
      ['max_value', 'maxValue'],
      ['negative_slope', 'negativeSlope'],
      ['threshold', 'threshold'],
    ],
  },
  { keras: 'Add', sinapse: 'Add', fields: [] },
  { keras: 'Subtract', sinapse: 'Subtract', fields: [] },
  { keras: 'Multiply', sinapse: 'Multiply', fields: [] },
  { keras: 'Average', sinapse: 'Average', fields: [] },
  { keras: 'Maximum', sinapse: 'Maximum', fields: [] },
  { keras: 'Minimum', sinapse: 'Minimum', fields: [] },
  { keras: 'Concatenate', sinapse: 'Concatenate', fields: [['axis', 'axis']] },
];

const BY_KERAS = new Map(MAPPINGS.map((m) => [m.keras, m]));
const BY_SINAPSE = new Map(MAPPINGS.map((m) => [m.sinapse, m]));

/** The Keras class names this package reads (besides InputLayer, LeakyReLU and the model classes). */
export function kerasClassesRead(): string[] {
  return [...BY_KERAS.keys(), 'InputLayer', 'LeakyReLU'].sort();
}

// ---- Keras → Sinapse ------------------------------------------------------------------------------

/**
 * A Keras layer's `{ class_name, config }` as Sinapse's serialized form (models handled by topology.ts).
 * @param who "loadLayersModel: /m/model.json", first in messages
 * @throws ConfigError naming the layer for a class or an option value Sinapse cannot compute.
 */
export function layerFromKeras(who: string, layer: KerasLayer): SerializedLayer {
  if (layer === null || typeof layer !== 'object' || typeof layer.class_name !== 'string') {
    throw new ConfigError(`${who}: a layer must be { class_name, config }, but got ${describeJson(layer)}`);
  }
  const given = layer.config ?? {};
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw new ConfigError(
      `${who}: layer ${JSON.stringify(layer.name ?? '?')} (${layer.class_name}) config must be an object, but got ${describeJson(given)}`,
    );
  }
  const c = given as Json;
  const name = typeof c.name === 'string' ? c.name : typeof layer.name === 'string' ? layer.name : '?';
  const where = `${who}: layer '${name}' (${layer.class_name})`;
  const rest: Json = { ...c };
  const input = layer.class_name === 'InputLayer' ? inputLayerFromKeras(where, rest) : {};
  const config: LayerConfig = { name, ...baseFromKeras(where, rest), ...input };
  let mapping = BY_KERAS.get(layer.class_name);
  if (layer.class_name === 'InputLayer') {
    mapping = {
      keras: 'InputLayer',
      sinapse: 'InputLayer',
      fields: [],
      accepted: { sparse: [false], ragged: [false] },
    };
  } else if (layer.class_name === 'LeakyReLU') {
    // Keras 2 and TF.js call the slope alpha (default 0.3), Keras 3 negative_slope: Sinapse's ReLU has it
    const slope = take(rest, 'negative_slope') ?? take(rest, 'alpha') ?? 0.3;
    config.negativeSlope = slope;
    mapping = { keras: 'LeakyReLU', sinapse: 'ReLU', fields: [] };
  }
  if (mapping === undefined) {
    throw new ConfigError(
      `${where}: Sinapse has no layer for Keras class '${layer.class_name}'; it reads ${kerasClassesRead().join(', ')}, ` +
        'and Sequential / Model / Functional models of them',
    );
  }
  for (const [kerasKey, sinapseKey, kind] of mapping.fields) {
    if (!(kerasKey in rest)) continue;
    const value = take(rest, kerasKey);
    const converted = valueFromKeras(`${where} ${kerasKey}`, value, kind ?? 'plain');
    if (converted !== undefined) config[sinapseKey] = converted;
  }
  if (mapping.sinapse === 'BatchNormalization' && Array.isArray(config.axis)) {
    if (config.axis.length !== 1)
      throw new ConfigError(`${where}: axis must be one axis, but got [${config.axis.join(', ')}]`);
    config.axis = config.axis[0];
  }
  if (mapping.sinapse.endsWith('Pooling2D') && !mapping.sinapse.startsWith('Global') && config.strides === null) {
    delete config.strides; // Keras's strides None: the pool size
  }
  for (const [key, values] of Object.entries({ ...mapping.fixed, ...mapping.accepted })) {
    if (key in rest) {
      const value = take(rest, key);
      if (!values.some((v) => sameValue(v, value))) {
        throw new ConfigError(
          `${where}: ${key} ${describeJson(value)} is not supported; Sinapse computes only ${values.map((v) => JSON.stringify(v)).join(' or ')}` +
            (key === 'data_format' ? ' (its images are NHWC)' : ''),
        );
      }
    }
  }
  const unknown = Object.entries(rest).filter(([, v]) => v !== null && v !== false);
  if (unknown.length > 0) {
    throw new ConfigError(
      `${where}: option${unknown.length > 1 ? 's' : ''} ${unknown.map(([k, v]) => `${k}=${describeJson(v)}`).join(', ')} ` +
        `not supported (Sinapse's ${mapping.sinapse} reads ${[...mapping.fields.map((f) => f[0]), ...Object.keys(mapping.fixed ?? {})].join(', ') || 'no options'})`,
    );
  }
  return { className: mapping.sinapse, config };
}

/** name, trainable, dtype and the input shape keys every Keras layer may have; removes them from `rest`. */
function baseFromKeras(where: string, rest: Json): LayerConfig {
  const out: LayerConfig = {};
  delete rest.name;
  if ('trainable' in rest) out.trainable = take(rest, 'trainable') !== false;
  const dtype = dtypeName(take(rest, 'dtype'));
  if (dtype !== undefined && dtype !== null) {
    if (dtype !== 'float32' && dtype !== 'float64') {
      throw new ConfigError(
        `${where}: dtype '${dtype}' is not supported; Sinapse layers compute in float32 or float64`,
      );
    }
    out.dtype = dtype;
  }
  for (const key of ['batch_input_shape', 'batch_shape']) {
    const shape = take(rest, key);
    if (Array.isArray(shape)) out.inputShape = shape.slice(1);
  }
  const inputShape = take(rest, 'input_shape');
  if (Array.isArray(inputShape)) out.inputShape = inputShape;
  delete rest.batch_size; // only with a batch input shape, which Sinapse's layers do not fix
  return out;
}

/** Keras's dtype is a string, or (Keras 3) a DTypePolicy `{ class_name, config: { name: 'float32' } }`. */
function dtypeName(value: unknown): unknown {
  if (value !== null && typeof value === 'object') {
    const config = (value as Json).config as Json | undefined;
    return config?.name;
  }
  return value;
}

/** The InputLayer's shape with its batch axis (Keras 2 and TF.js: batch_input_shape, Keras 3: batch_shape). */
function inputLayerFromKeras(where: string, rest: Json): LayerConfig {
  const batch = take(rest, 'batch_input_shape') ?? take(rest, 'batch_shape');
  if (!Array.isArray(batch)) {
    throw new ConfigError(`${where}: an InputLayer needs batch_input_shape (or Keras 3's batch_shape), but has none`);
  }
  delete rest.input_shape;
  return { batchInputShape: batch };
}

function valueFromKeras(where: string, value: unknown, kind: Kind): unknown {
  switch (kind) {
    case 'plain':
      return value ?? undefined; // Keras's None is the default (strides None: the pool size)
    case 'activation':
      return activationFromKeras(where, value);
    case 'initializer':
      return initializerFromKeras(where, value);
    case 'regularizer':
      return regularizerFromKeras(where, value);
  }
}

const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu'];

function activationFromKeras(where: string, value: unknown): string {
  const name = value === null ? 'linear' : value;
  if (typeof name !== 'string' || !ACTIVATIONS.includes(name)) {
    throw new ConfigError(
      `${where}: activation ${describeJson(value)} is not one Sinapse has; it has ${ACTIVATIONS.join(', ')}`,
    );
  }
  return name;
}

/**
 * Note [Initializers on import]: undefined (the layer's default) for one Sinapse does not have. Its
 * `config` may be missing or null (Keras writes `config: {}`, hand-edited files do not); numbers that
 * Sinapse's initializers take must be finite.
 */
function initializerFromKeras(where: string, value: unknown): { className: string; config: Json } | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { class_name: cls, config: given } = value as { class_name?: unknown; config?: unknown };
  const config = (given !== null && typeof given === 'object' ? given : {}) as Json;
  const num = (key: string, fallback: number): number => {
    const v = config[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ConfigError(
        `${where}: initializer ${String(cls)} ${key} must be a finite number, but got ${describeJson(v)}`,
      );
    }
    return v;
  };
  switch (cls) {
    case 'Zeros':
    case 'Ones':
    case 'GlorotUniform':
    case 'GlorotNormal':
    case 'HeNormal':
    case 'HeUniform':
    case 'LecunNormal':
      return { className: cls, config: {} };
    case 'LeCunNormal': // TF.js's spelling
      return { className: 'LecunNormal', config: {} };
    case 'Constant':
      return { className: 'Constant', config: { value: num('value', 0) } };
    case 'RandomNormal':
      return { className: 'RandomNormal', config: { mean: num('mean', 0), stddev: num('stddev', 0.05) } };
    case 'RandomUniform':
      return { className: 'RandomUniform', config: { minval: num('minval', -0.05), maxval: num('maxval', 0.05) } };
    case 'VarianceScaling': {
      // 'normal' (TF.js, old Keras) and 'truncated_normal' are both the truncated normal
      const d = String(config.distribution ?? 'truncated_normal');
      const distribution = d === 'uniform' ? 'uniform' : /^(normal|truncated_?[nN]ormal)$/.test(d) ? 'normal' : d;
      const mode = String(config.mode ?? 'fan_in').replace(/([a-z])([A-Z])/, (_, a, b) => `${a}_${b.toLowerCase()}`);
      const name = VARIANCE_SCALING[`${String(config.scale ?? 1)} ${mode} ${distribution}`];
      return name === undefined ? undefined : { className: name, config: {} };
    }
    default:
      return undefined;
  }
}

/** VarianceScaling configs (scale, mode, normal or uniform) that are one of Sinapse's initializers. */
const VARIANCE_SCALING: Record<string, string> = {
  '1 fan_avg uniform': 'GlorotUniform',
  '1 fan_avg normal': 'GlorotNormal',
  '2 fan_in normal': 'HeNormal',
  '2 fan_in uniform': 'HeUniform',
  '1 fan_in normal': 'LecunNormal',
};

/** Keras L1 / L2 / L1L2 (TF.js writes L1L2) as Sinapse's one-penalty regularizers. */
function regularizerFromKeras(where: string, value: unknown): { className: string; config: Json } | null {
  if (value === null || value === undefined) return null;
  const refuse = (why: string) =>
    new ConfigError(
      `${where}: regularizer ${describeJson(value)} is not supported; Sinapse has L1 or L2 alone (l1 or l2 zero in L1L2)${why}`,
    );
  if (typeof value !== 'object') throw refuse('');
  const { class_name: cls, config: given } = value as { class_name?: unknown; config?: unknown };
  const config = (given !== null && typeof given === 'object' ? given : {}) as Json;
  const factor = (key: string): number => {
    const v = config[key] ?? 0;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw refuse(`: ${key} must be a number ≥ 0`);
    return v;
  };
  if (cls !== 'L1' && cls !== 'L2' && cls !== 'L1L2') throw refuse('');
  const l1 = cls === 'L2' ? 0 : factor('l1');
  const l2 = cls === 'L1' ? 0 : factor('l2');
  if (l1 !== 0 && l2 !== 0) throw refuse('');
  if (l1 === 0 && l2 === 0) return null;
  return l1 !== 0 ? { className: 'L1', config: { l1 } } : { className: 'L2', config: { l2 } };
}

/** A JSON value for a message, cut at 80 characters. */
function describeJson(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function take(rest: Json, key: string): unknown {
  const v = rest[key];
  delete rest[key];
  return v;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// ---- Sinapse → Keras ------------------------------------------------------------------------------

/**
 * A Sinapse layer's serialized form as Keras's `{ class_name, config }`.
 * @throws ConfigError naming the layer for a class or option Keras / TF.js cannot represent.
 */
export function layerToKeras(who: string, layer: SerializedLayer): { class_name: string; config: Json } {
  const c = layer.config;
  const where = `${who}: layer '${String(c.name)}' (${layer.className})`;
  const config: Json = { name: c.name, trainable: c.trainable ?? true };
  if (c.dtype !== undefined && c.dtype !== 'float32') {
    throw new ConfigError(
      `${where}: dtype ${c.dtype}: TF.js layers compute in float32 only; build the model in float32`,
    );
  }
  config.dtype = 'float32';
  if (layer.className === 'InputLayer') {
    const shape = c.inputShape as number[];
    return {
      class_name: 'InputLayer',
      config: { batch_input_shape: [c.batchSize ?? null, ...shape], dtype: 'float32', sparse: false, name: c.name },
    };
  }
  if (Array.isArray(c.inputShape)) config.batch_input_shape = [null, ...c.inputShape];
  if (layer.className === 'ReLU') return reluToKeras(where, c, config);
  const mapping = BY_SINAPSE.get(layer.className);
  if (mapping === undefined) {
    throw new ConfigError(
      `${where}: no Keras class for Sinapse's ${layer.className}; the Layers format takes ${[...BY_SINAPSE.keys(), 'InputLayer'].sort().join(', ')}`,
    );
  }
  for (const [kerasKey, sinapseKey, kind] of mapping.fields) {
    if (!(sinapseKey in c)) continue;
    const value = c[sinapseKey];
    if (kerasKey === 'keepdims' && value === false) continue; // TF.js's global poolings have no keepdims
    config[kerasKey] = valueToKeras(`${where} ${sinapseKey}`, value, kind ?? 'plain');
  }
  for (const [key, values] of Object.entries(mapping.fixed ?? {})) config[key] = values[0];
  return { class_name: mapping.keras, config };
}

/** ReLU with a max value only is Keras's ReLU; with a negative slope only, LeakyReLU; TF.js has nothing else. */
function reluToKeras(where: string, c: LayerConfig, config: Json): { class_name: string; config: Json } {
  const slope = (c.negativeSlope as number | undefined) ?? 0;
  const threshold = (c.threshold as number | undefined) ?? 0;
  const maxValue = (c.maxValue as number | null | undefined) ?? null;
  if (threshold === 0 && slope === 0) return { class_name: 'ReLU', config: { ...config, max_value: maxValue } };
  if (threshold === 0 && maxValue === null) return { class_name: 'LeakyReLU', config: { ...config, alpha: slope } };
  throw new ConfigError(
    `${where}: TF.js has ReLU with max_value and LeakyReLU with a slope, but not maxValue ${maxValue}, ` +
      `negativeSlope ${slope}, threshold ${threshold} together`,
  );
}

function valueToKeras(where: string, value: unknown, kind: Kind): unknown {
  switch (kind) {
    case 'plain':
      return value;
    case 'activation':
      if (typeof value !== 'string' || !ACTIVATIONS.includes(value)) {
        throw new ConfigError(
          `${where}: activation ${JSON.stringify(value)} has no Keras name; the Layers format takes ${ACTIVATIONS.join(', ')}`,
        );
      }
      return value;
    case 'initializer':
      return initializerToKeras(value as { className: string; config: Json });
    case 'regularizer': {
      if (value === null || value === undefined) return null;
      const r = value as { className: string; config: Record<string, number> };
      return { class_name: 'L1L2', config: { l1: r.config.l1 ?? 0, l2: r.config.l2 ?? 0 } };
    }
  }
}

function initializerToKeras(init: { className: string; config: Json }): { class_name: string; config: Json } {
  const scaling = Object.entries(VARIANCE_SCALING).find(([, name]) => name === init.className);
  if (scaling !== undefined) {
    const [scale, mode, distribution] = scaling[0].split(' ');
    return {
      class_name: 'VarianceScaling',
      config: {
        scale: Number(scale),
        mode,
        distribution: distribution === 'normal' ? 'truncated_normal' : distribution,
        seed: null,
      },
    };
  }
  return {
    class_name: init.className,
    config: { ...init.config, ...(init.className.startsWith('Random') ? { seed: null } : {}) },
  };
}
