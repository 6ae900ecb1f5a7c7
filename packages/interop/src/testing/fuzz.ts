/**
 * @sinapse/interop/testing: the readers of this package under fuzz, for the harness in tests/fuzz and the
 * seeded test beside this file. Browser-safe: the inputs are made in memory by this package's own
 * exporters (LeNet-5 and a small functional model, as a Layers model.json with shards and as ONNX) and
 * from a PyTorch export embedded as base64, then mutated with structure in mind:
 *
 *   tfjs-layers   model.json edited as JSON (a field deleted, or set to an inflated, negative, fractional,
 *                 string, null or NaN number; an unknown class; manifest entries edited, dropped,
 *                 duplicated), or as bytes (truncated, a byte flipped); shards truncated, extended,
 *                 emptied, deleted or bit-flipped;
 *   onnx          the protobuf decoded with the package's schema, a field mutated (dims, data lengths and
 *                 types, node inputs and outputs, attributes, op types, graph inputs and outputs, huge
 *                 repeated fields) and re-encoded; or the bytes truncated, flipped, spliced.
 *
 * A FuzzTarget's `run` feeds a case to the public reader and throws what the reader threw; the harness
 * decides what is clean (a ConfigError / ValueError / ShapeError naming the file or the field).
 */
import {
  Add,
  BatchNormalization,
  Concatenate,
  Conv2D,
  Dense,
  Flatten,
  GlobalAveragePooling2D,
  input,
  MaxPooling2D,
} from '@sinapse/layers';
import { lenet5, type Model, model } from '@sinapse/models';
import type { Tensor } from '@sinapse/tensor';
import fc from 'fast-check';
import {
  fromLayersArtifacts,
  fromLayersModelJson,
  type LayersModelArtifacts,
  toLayersArtifacts,
  toLayersModelJson,
} from '../layersModel/artifacts';
import { encodeGroup } from '../layersModel/weights';
import { toOnnx } from '../onnx/export';
import { fromOnnx } from '../onnx/import';
import { ModelProto } from '../onnx/proto';
import { PYTORCH_RESNET_SMALL_ONNX } from './pytorchResnetSmall';

/** One input for a reader: a set of files (name → bytes). */
export interface FuzzCase {
  readonly files: Readonly<Record<string, Uint8Array>>;
  /** What was mutated, for the report and the saved fixture. */
  readonly description: string;
}

/** One reader under fuzz. */
export interface FuzzTarget {
  /** 'tfjs-layers' | 'onnx'. */
  readonly name: string;
  /** A valid input (from real models), then structure-aware mutations of it. */
  readonly arbitrary: fc.Arbitrary<FuzzCase>;
  /** Feeds the case to the reader; resolves if it accepted it, throws what it threw. */
  run(input: FuzzCase): Promise<void>;
}

type Json = Record<string, unknown>;
type Path = (string | number)[];

// ---- the seeds ------------------------------------------------------------------------------------

/** Weights set to a fixed pattern, so the seeds are the same on every run without touching the global seed. */
function fixWeights<M extends Model<Tensor | Tensor[]>>(m: M): M {
  m.weights.forEach((p, k) => {
    const variance = p.name.endsWith('moving_variance');
    p.assign(Float32Array.from({ length: p.size }, (_, i) => (variance ? 1 : 0) + 0.5 * Math.sin(i * 0.7 + k)));
  });
  return m;
}

/** Two inputs, a residual add, batch norm, poolings, a concatenation: the graph paths LeNet-5 lacks. */
function smallFunctional(): Model<Tensor | Tensor[]> {
  const image = input({ shape: [6, 6, 3], name: 'image' });
  const extra = input({ shape: [4], name: 'extra' });
  const a = new Conv2D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'a' }).apply(image);
  const b = new Conv2D({ filters: 4, kernelSize: 1, name: 'b' }).apply(image);
  const sum = new Add({ name: 'sum' }).apply([a, b]);
  const norm = new BatchNormalization({ name: 'norm' }).apply(sum);
  const pooled = new MaxPooling2D({ poolSize: 2, name: 'pool' }).apply(norm);
  const gap = new GlobalAveragePooling2D({ name: 'gap' }).apply(pooled);
  const flat = new Flatten({ name: 'flat' }).apply(pooled);
  const e = new Dense({ units: 5, activation: 'tanh', name: 'from_extra' }).apply(extra);
  const f = new Dense({ units: 4, name: 'from_flat' }).apply(flat);
  const all = new Concatenate({ name: 'all' }).apply([gap, e, f]);
  const out = new Dense({ units: 3, activation: 'softmax', name: 'out' }).apply(all);
  return fixWeights(model({ inputs: [image, extra], outputs: out, name: 'small' }) as Model<Tensor | Tensor[]>);
}

const encoder = new TextEncoder();
const jsonBytes = (v: unknown) => encoder.encode(JSON.stringify(v));

interface Seed {
  readonly name: string;
  readonly files: Record<string, Uint8Array>;
}

/** Layers-format seeds: model.json + shards (float32 in 3 shards, uint8, float16), and artifacts in memory (uint16). */
function layersSeeds(): Seed[] {
  const lenet = fixWeights(lenet5() as Model<Tensor | Tensor[]>);
  const small = smallFunctional();
  const asFiles = (name: string, m: Model<Tensor | Tensor[]>, options: Parameters<typeof toLayersModelJson>[1]) => {
    const { modelJson, files } = toLayersModelJson(m, options);
    return {
      name,
      files: { 'model.json': jsonBytes(modelJson), ...Object.fromEntries(files.map((f) => [f.path, f.bytes])) },
    };
  };
  const artifacts = toLayersArtifacts(small, { quantize: 'uint16' });
  const keras3 = keras3Functional();
  const { weightData, ...rest } = artifacts;
  return [
    keras2(asFiles('LeNet-5 float32', lenet, {})),
    asFiles('LeNet-5 float32 in 3 shards', lenet, { shardBytes: 100_000 }),
    asFiles('LeNet-5 uint8', lenet, { quantize: 'uint8' }),
    asFiles('small functional float16', small, { quantize: 'float16' }),
    {
      name: 'Keras 3 functional (hand-written JSON, scoped weight names)',
      files: { 'model.json': jsonBytes(keras3.modelJson), 'group1-shard1of1.bin': keras3.bytes },
    },
    {
      name: 'small functional artifacts uint16',
      files: { 'artifacts.json': jsonBytes(rest), 'weights.bin': new Uint8Array(weightData as ArrayBuffer) },
    },
  ];
}

/**
 * A seed in the form tensorflowjs_converter makes of a Keras 2 .h5 Sequential: an InputLayer first, and the
 * model under model_config beside its training_config.
 */
function keras2(seed: Seed): Seed {
  const json = JSON.parse(new TextDecoder().decode(seed.files['model.json']!)) as Json;
  const topology = json.modelTopology as { class_name: string; config: { name: string; layers: Json[] } };
  const [first, ...rest] = topology.config.layers as { config: Json }[];
  const inputLayer = {
    class_name: 'InputLayer',
    config: { batch_input_shape: first!.config.batch_input_shape, dtype: 'float32', sparse: false, name: 'input_1' },
  };
  delete first!.config.batch_input_shape;
  json.modelTopology = {
    keras_version: '2.15.0',
    backend: 'tensorflow',
    model_config: {
      class_name: 'Sequential',
      config: { name: topology.config.name, layers: [inputLayer, first, ...rest] },
    },
    training_config: { loss: 'categorical_crossentropy', metrics: ['accuracy'] },
  };
  return {
    name: 'Keras 2 Sequential (InputLayer, model_config)',
    files: { ...seed.files, 'model.json': jsonBytes(json) },
  };
}

/**
 * The forms Keras 3 writes (an InputLayer with batch_shape, { args, kwargs } calls of __keras_tensor__s,
 * DTypePolicy dtypes, weights under the model's scope with ':0'), as tensorflowjs_converter copies them.
 */
function keras3Functional(): { modelJson: Json; bytes: Uint8Array } {
  const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
  const tensor = (layer: string, shape: (number | null)[]) => ({
    class_name: '__keras_tensor__',
    config: { shape, dtype: 'float32', keras_history: [layer, 0, 0] },
  });
  const dense = (name: string, units: number, from: string, inUnits: number) => ({
    module: 'keras.layers',
    class_name: 'Dense',
    config: {
      name,
      trainable: true,
      dtype: policy,
      units,
      activation: 'relu',
      use_bias: true,
      kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null } },
      bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
      lora_rank: null,
    },
    registered_name: null,
    build_config: { input_shape: [null, inUnits] },
    name,
    inbound_nodes: [{ args: [tensor(from, [null, inUnits])], kwargs: {} }],
  });
  const layers = [
    {
      module: 'keras.layers',
      class_name: 'InputLayer',
      config: { batch_shape: [null, 4], dtype: 'float32', sparse: false, name: 'input_layer' },
      registered_name: null,
      name: 'input_layer',
      inbound_nodes: [],
    },
    dense('left', 3, 'input_layer', 4),
    dense('right', 3, 'input_layer', 4),
    {
      module: 'keras.layers',
      class_name: 'Subtract',
      config: { name: 'subtract', trainable: true, dtype: policy },
      registered_name: null,
      name: 'subtract',
      inbound_nodes: [{ args: [[tensor('left', [null, 3]), tensor('right', [null, 3])]], kwargs: {} }],
    },
  ];
  const weights = [
    { name: 'functional/left/kernel:0', shape: [4, 3] },
    { name: 'left/bias', shape: [3] },
    { name: 'right/kernel', shape: [4, 3] },
    { name: 'right/bias', shape: [3] },
  ];
  const { specs, bytes } = encodeGroup(
    weights.map((w, k) => ({
      ...w,
      values: Float32Array.from({ length: w.shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i + k)),
    })),
  );
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'keras v3.6.0',
    convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: {
      keras_version: '3.6.0',
      backend: 'tensorflow',
      model_config: undefined,
      module: 'keras',
      class_name: 'Functional',
      config: {
        name: 'functional',
        trainable: true,
        layers,
        input_layers: ['input_layer', 0, 0],
        output_layers: ['subtract', 0, 0],
      },
      registered_name: 'Functional',
      build_config: { input_shape: null },
      compile_config: null,
    },
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: specs }],
  };
  return { modelJson, bytes };
}

/** ONNX seeds: toOnnx of LeNet-5 and of the small model, PyTorch's small ResNet, and any given. */
function onnxSeeds(extra: readonly { name: string; bytes: Uint8Array }[]): Seed[] {
  const seeds = [
    { name: 'toOnnx(LeNet-5)', bytes: toOnnx(fixWeights(lenet5() as Model<Tensor | Tensor[]>)) },
    { name: 'toOnnx(small functional)', bytes: toOnnx(smallFunctional()) },
    { name: 'PyTorch resnet_small.onnx', bytes: base64Bytes(PYTORCH_RESNET_SMALL_ONNX) },
    ...extra,
  ];
  return seeds.map((s) => ({ name: s.name, files: { 'model.onnx': s.bytes } }));
}

function base64Bytes(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

// ---- JSON paths -----------------------------------------------------------------------------------

/** Every path into a JSON value (containers and leaves), in document order; a loop, not a recursion (nesting mutations go 5,000 deep). */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [];
  const stack: [unknown, Path][] = [[value, prefix]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (path.length > prefix.length) out.push(path);
    const children: [unknown, Path][] = [];
    if (Array.isArray(v)) for (const [i, c] of v.entries()) children.push([c, [...path, i]]);
    else if (v !== null && typeof v === 'object')
      for (const [k, c] of Object.entries(v)) children.push([c, [...path, k]]);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}

function getAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const k of path) v = (v as Json)?.[k as string];
  return v;
}

/** Sets (or, for undefined, deletes) the value at path; an array element deleted is spliced out. */
function setAt(root: unknown, path: Path, value: unknown): void {
  const parent = getAt(root, path.slice(0, -1)) as Json | unknown[];
  const key = path.at(-1)!;
  if (parent === null || typeof parent !== 'object') return;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete (parent as Json)[key as string];
  } else (parent as Json)[key as string] = value;
}

const showPath = (path: Path) =>
  path
    .map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`))
    .join('')
    .slice(1);

/** A JSON text with NaN and Infinity written where the sentinels are (JSON has neither: parsing must fail cleanly). */
const NAN = '__fuzz_NaN__';
const INF = '__fuzz_Infinity__';
const toText = (v: unknown) => JSON.stringify(v).replaceAll(`"${NAN}"`, 'NaN').replaceAll(`"${INF}"`, 'Infinity');

// ---- mutations: values ----------------------------------------------------------------------------

const NUMBERS = [-1, 0, 1, 2, 3, 0.5, 1e8, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 + 2, 1e308, -1e9] as const;
const arbNumber = fc.constantFrom(...NUMBERS);
const CLASS_NAMES = [
  'Conv3D',
  'NoSuchLayer',
  'Sequential',
  'Model',
  'Functional',
  'InputLayer',
  'Dense',
  'Conv2D',
  '__proto__',
  'constructor',
  'toString',
  '',
  'Sinapse>L2Pooling2D',
] as const;

/** A replacement for a JSON value: a number, a wrong type, a Keras-shaped object with a null or odd config. */
const arbJsonValue: fc.Arbitrary<{ value: unknown; what: string }> = fc.oneof(
  arbNumber.map((n) => ({ value: n, what: String(n) })),
  fc.constantFrom(
    { value: undefined, what: 'deleted' },
    { value: null, what: 'null' },
    { value: NAN, what: 'NaN' },
    { value: INF, what: 'Infinity' },
    { value: 'x', what: '"x"' },
    { value: '', what: '""' },
    { value: true, what: 'true' },
    { value: {}, what: '{}' },
    { value: [], what: '[]' },
    { value: [null], what: '[null]' },
    { value: [1e8, 1e8], what: '[1e8, 1e8]' },
    { value: [-1, 2], what: '[-1, 2]' },
    { value: [[1, 2]], what: '[[1, 2]]' },
    { value: { class_name: 'Constant', config: null }, what: "{ class_name: 'Constant', config: null }" },
    { value: { class_name: 'RandomNormal', config: 'x' }, what: "{ class_name: 'RandomNormal', config: 'x' }" },
    { value: { class_name: 'VarianceScaling', config: null }, what: "{ class_name: 'VarianceScaling', config: null }" },
    { value: { class_name: 'L1L2', config: null }, what: "{ class_name: 'L1L2', config: null }" },
    { value: { class_name: 'L2', config: { l2: 'x' } }, what: "{ class_name: 'L2', config: { l2: 'x' } }" },
    { value: { class_name: 'L1', config: { l1: -1 } }, what: "{ class_name: 'L1', config: { l1: -1 } }" },
    { value: { class_name: null, config: {} }, what: '{ class_name: null, config: {} }' },
    { value: { class_name: 'Dense' }, what: "{ class_name: 'Dense' }" },
  ),
  fc.constantFrom(...CLASS_NAMES).map((n) => ({ value: n, what: JSON.stringify(n) })),
);

/** A byte-level edit of a file: truncate, flip a bit, set a byte, append bytes, empty it, delete it. */
type ByteEdit =
  | { op: 'truncate'; at: number }
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; value: number }
  | { op: 'append'; count: number }
  | { op: 'empty' }
  | { op: 'delete' };

const arbFraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const arbByteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: arbFraction }),
  fc.record({ op: fc.constant('flip' as const), at: arbFraction, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('set' as const), at: arbFraction, value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('append' as const), count: fc.integer({ min: 1, max: 16 }) }),
  fc.constant({ op: 'empty' as const }),
  fc.constant({ op: 'delete' as const }),
);

/** The file after the edit (undefined: deleted), and what was done. */
function editBytes(bytes: Uint8Array, e: ByteEdit, name: string): { bytes?: Uint8Array; what: string } {
  const at = 'at' in e ? Math.floor(e.at * bytes.byteLength) : 0;
  switch (e.op) {
    case 'truncate':
      return { bytes: bytes.slice(0, at), what: `${name} truncated at byte ${at} of ${bytes.byteLength}` };
    case 'flip': {
      if (bytes.byteLength === 0) return { bytes, what: `${name} (empty) left as is` };
      const out = bytes.slice();
      out[at] = out[at]! ^ (1 << e.bit);
      return { bytes: out, what: `${name} bit ${e.bit} of byte ${at} flipped` };
    }
    case 'set': {
      if (bytes.byteLength === 0) return { bytes, what: `${name} (empty) left as is` };
      const out = bytes.slice();
      out[at] = e.value;
      return { bytes: out, what: `${name} byte ${at} set to ${e.value}` };
    }
    case 'append': {
      const out = new Uint8Array(bytes.byteLength + e.count);
      out.set(bytes);
      out.fill(0x41, bytes.byteLength);
      return { bytes: out, what: `${e.count} bytes appended to ${name}` };
    }
    case 'empty':
      return { bytes: new Uint8Array(0), what: `${name} emptied` };
    case 'delete':
      return { what: `${name} deleted` };
  }
}

// ---- mutations: the Layers format -----------------------------------------------------------------

type LayersEdit =
  | { kind: 'field'; pick: number; value: { value: unknown; what: string } }
  | { kind: 'layerOption'; pick: number; key: string; value: { value: unknown; what: string } }
  | { kind: 'className'; pick: number; name: string }
  | { kind: 'manifest'; pick: number; edit: ManifestEdit }
  | { kind: 'shard'; pick: number; edit: ByteEdit }
  | { kind: 'json'; edit: ByteEdit }
  | { kind: 'nest'; depth: number }
  | { kind: 'huge'; what: 'layers' | 'manifest' | 'rank' | 'name'; count: number };

type ManifestEdit =
  | { op: 'dim'; k: number; value: number }
  | { op: 'rank'; grow: boolean }
  | { op: 'dtype'; value: unknown }
  | { op: 'quantization'; value: unknown }
  | { op: 'drop' }
  | { op: 'duplicate' }
  | { op: 'swap'; with: number }
  | { op: 'rename'; to: string }
  | { op: 'paths'; value: unknown };

const LAYER_OPTIONS = [
  'units',
  'filters',
  'kernel_size',
  'strides',
  'pool_size',
  'padding',
  'activation',
  'kernel_initializer',
  'bias_initializer',
  'kernel_regularizer',
  'bias_regularizer',
  'dilation_rate',
  'use_bias',
  'batch_input_shape',
  'target_shape',
  'axis',
  'rate',
  'name',
  'dtype',
  'epsilon',
  'momentum',
  'keepdims',
  'trainable',
  'inbound_nodes',
  'data_format',
  'groups',
  'unknown_option',
] as const;

const arbManifestEdit: fc.Arbitrary<ManifestEdit> = fc.oneof(
  fc.record({ op: fc.constant('dim' as const), k: fc.nat(3), value: arbNumber }),
  fc.record({ op: fc.constant('rank' as const), grow: fc.boolean() }),
  fc.record({
    op: fc.constant('dtype' as const),
    value: fc.constantFrom('int32', 'float16', 'uint8', 'string', 'complex64', null, 7),
  }),
  fc.record({
    op: fc.constant('quantization' as const),
    value: fc.constantFrom(
      { dtype: 'uint8', scale: 0.01, min: -1 },
      { dtype: 'uint8' },
      { dtype: 'uint8', scale: null, min: 0 },
      { dtype: 'uint16', scale: 1e308, min: -1e308 },
      { dtype: 'float16' },
      { dtype: 'uint4', scale: 1, min: 0 },
      { dtype: 'int8', scale: 1, min: 0 },
      null,
      'uint8',
    ),
  }),
  fc.constant({ op: 'drop' as const }),
  fc.constant({ op: 'duplicate' as const }),
  fc.record({ op: fc.constant('swap' as const), with: fc.nat(40) }),
  fc.record({ op: fc.constant('rename' as const), to: fc.constantFrom('conv1/kernel', 'nope/kernel', '', 'x:0') }),
  fc.record({
    op: fc.constant('paths' as const),
    value: fc.constantFrom([], ['missing.bin'], [null], 'group1-shard1of1.bin', ['../model.json'], null),
  }),
);

const arbLayersEdit: fc.Arbitrary<LayersEdit> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('field' as const), pick: fc.nat(), value: arbJsonValue }), weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constant('layerOption' as const),
      pick: fc.nat(),
      key: fc.constantFrom(...LAYER_OPTIONS),
      value: arbJsonValue,
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('className' as const),
      pick: fc.nat(),
      name: fc.constantFrom(...CLASS_NAMES),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('manifest' as const), pick: fc.nat(), edit: arbManifestEdit }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('shard' as const), pick: fc.nat(), edit: arbByteEdit }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('json' as const), edit: arbByteEdit }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('nest' as const), depth: fc.constantFrom(1, 3, 40, 5_000) }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('huge' as const),
      what: fc.constantFrom('layers' as const, 'manifest' as const, 'rank' as const, 'name' as const),
      count: fc.constantFrom(100, 3_000, 20_000),
    }),
    weight: 1,
  },
);

/** The layers of a Keras topology, nested models included, as paths into the JSON. */
function layerPaths(json: unknown, root: Path): Path[] {
  return pathsOf(getAt(json, root), root).filter((p) => {
    const v = getAt(json, p) as Json;
    return p.at(-2) === 'layers' && v !== null && typeof v === 'object' && 'class_name' in v;
  });
}

/** The JSON text, its modelTopology inside `depth` Sequentials (each the only layer of the next). */
function nested(json: Json, depth: number, text = toText): string {
  if (depth === 0 || json.modelTopology === undefined) return text(json);
  const mark = '"__fuzz_topology__"';
  const open = Array.from(
    { length: depth },
    (_, i) => `{"class_name":"Sequential","config":{"name":"nest${i}","layers":[`,
  );
  const outer = text({ ...json, modelTopology: '__fuzz_topology__' });
  return outer.replace(mark, () => `${open.join('')}${text(json.modelTopology)}${']}}'.repeat(depth)}`);
}

/** Applies the edits to a copy of the seed's files. */
function mutateLayers(seed: Seed, edits: readonly LayersEdit[]): FuzzCase {
  const files: Record<string, Uint8Array | undefined> = { ...seed.files };
  const jsonName = 'artifacts.json' in files ? 'artifacts.json' : 'model.json';
  const json = JSON.parse(new TextDecoder().decode(files[jsonName]!)) as Json;
  let raw: Uint8Array | undefined; // model.json edited as bytes: later JSON edits are skipped
  let nest = 0;
  const done: string[] = [];
  const specsPath: Path = jsonName === 'artifacts.json' ? ['weightSpecs'] : ['weightsManifest', 0, 'weights'];
  for (const e of edits) {
    if (raw !== undefined && e.kind !== 'shard') continue;
    switch (e.kind) {
      case 'field': {
        const paths = pathsOf(json);
        const path = paths[e.pick % paths.length]!;
        setAt(json, path, structuredClone(e.value.value));
        done.push(`${jsonName} ${showPath(path)} = ${e.value.what}`);
        break;
      }
      case 'layerOption': {
        const layers = layerPaths(json, ['modelTopology']);
        if (layers.length === 0) break;
        const path = [...layers[e.pick % layers.length]!, e.key === 'inbound_nodes' ? e.key : 'config'];
        if (e.key !== 'inbound_nodes') path.push(e.key);
        setAt(json, path, structuredClone(e.value.value));
        done.push(`${jsonName} ${showPath(path)} = ${e.value.what}`);
        break;
      }
      case 'className': {
        const layers = layerPaths(json, ['modelTopology']);
        const path = [...(layers[e.pick % Math.max(1, layers.length)] ?? ['modelTopology']), 'class_name'];
        setAt(json, path, e.name);
        done.push(`${jsonName} ${showPath(path)} = ${JSON.stringify(e.name)}`);
        break;
      }
      case 'manifest': {
        const specs = getAt(json, specsPath) as Json[] | undefined;
        if (!Array.isArray(specs) || specs.length === 0) break;
        const i = e.pick % specs.length;
        const spec = specs[i] as Json;
        const where = `${jsonName} ${showPath([...specsPath, i])}`;
        const m = e.edit;
        if (spec === null || typeof spec !== 'object') break;
        if (m.op === 'dim' && Array.isArray(spec.shape) && spec.shape.length > 0) {
          const k = m.k % spec.shape.length;
          spec.shape[k] = m.value;
          done.push(`${where}.shape[${k}] = ${m.value}`);
        } else if (m.op === 'rank' && Array.isArray(spec.shape)) {
          if (m.grow) spec.shape.push(1);
          else spec.shape.pop();
          done.push(`${where}.shape ${m.grow ? 'grown' : 'shrunk'} to [${spec.shape.join(', ')}]`);
        } else if (m.op === 'dtype') {
          spec.dtype = m.value;
          done.push(`${where}.dtype = ${JSON.stringify(m.value)}`);
        } else if (m.op === 'quantization') {
          spec.quantization = structuredClone(m.value);
          done.push(`${where}.quantization = ${JSON.stringify(m.value)}`);
        } else if (m.op === 'drop') {
          specs.splice(i, 1);
          done.push(`${where} dropped`);
        } else if (m.op === 'duplicate') {
          specs.splice(i, 0, structuredClone(spec));
          done.push(`${where} duplicated`);
        } else if (m.op === 'swap') {
          const j = m.with % specs.length;
          [specs[i], specs[j]] = [specs[j]!, specs[i]!];
          done.push(`${where} swapped with entry ${j}`);
        } else if (m.op === 'rename') {
          spec.name = m.to;
          done.push(`${where}.name = ${JSON.stringify(m.to)}`);
        } else if (m.op === 'paths' && jsonName === 'model.json') {
          setAt(json, ['weightsManifest', 0, 'paths'], structuredClone(m.value));
          done.push(`model.json weightsManifest[0].paths = ${JSON.stringify(m.value)}`);
        }
        break;
      }
      case 'shard': {
        const shards = Object.keys(files).filter((f) => f.endsWith('.bin') && files[f] !== undefined);
        if (shards.length === 0) break;
        const name = shards[e.pick % shards.length]!;
        const r = editBytes(files[name]!, e.edit, name);
        files[name] = r.bytes;
        done.push(r.what);
        break;
      }
      case 'nest':
        // written as text at the end: JSON.stringify itself would overflow the stack 5,000 deep
        nest += e.depth;
        done.push(`modelTopology nested in ${e.depth} Sequentials`);
        break;
      case 'huge': {
        const layers = layerPaths(json, ['modelTopology']);
        const specs = getAt(json, specsPath) as Json[] | undefined;
        if (e.what === 'layers' && layers.length > 0) {
          const list = getAt(json, layers[0]!.slice(0, -1)) as unknown[];
          const copy = list.at(-1);
          for (let i = 0; i < e.count; i++) list.push(structuredClone(copy));
        } else if (e.what === 'manifest' && Array.isArray(specs) && specs.length > 0) {
          for (let i = 0; i < e.count; i++)
            specs.push({ ...structuredClone(specs[0] as Json), name: `extra_${i}/kernel` });
        } else if (e.what === 'rank' && Array.isArray(specs) && specs.length > 0) {
          const shape = (specs[0] as Json).shape;
          if (Array.isArray(shape)) for (let i = 0; i < e.count; i++) shape.push(1);
        } else if (e.what === 'name' && layers.length > 0) {
          const config = (getAt(json, layers[0]!) as Json).config as Json;
          if (config !== null && typeof config === 'object') config.name = 'n/'.repeat(e.count);
        }
        done.push(`${e.count} more ${e.what}`);
        break;
      }
      case 'json': {
        if (jsonName !== 'model.json') break; // artifacts come as objects, not text
        let text: string;
        try {
          text = nested(json, nest);
        } catch {
          break; // too long to write (see below)
        }
        const r = editBytes(encoder.encode(text), e.edit, 'model.json');
        raw = r.bytes ?? new Uint8Array(0);
        done.push(r.what);
        break;
      }
    }
  }
  // artifacts are objects in memory, where NaN exists: the sentinels stay strings, and runLayers revives them
  let text: string | undefined;
  try {
    text = raw === undefined ? nested(json, nest, jsonName === 'model.json' ? toText : JSON.stringify) : undefined;
  } catch {
    // several huge edits together can outgrow a JavaScript string (2^29 characters): then the seed as it is
    return { files: seed.files, description: `${seed.name}: unchanged (the edits made a JSON too long to write)` };
  }
  files[jsonName] = raw ?? encoder.encode(text!);
  const out = Object.fromEntries(Object.entries(files).filter(([, b]) => b !== undefined)) as Record<
    string,
    Uint8Array
  >;
  return { files: out, description: `${seed.name}: ${done.join('; ') || 'unchanged'}` };
}

// ---- mutations: ONNX ------------------------------------------------------------------------------

type OnnxEdit =
  | { kind: 'opType'; node: number; to: string }
  | { kind: 'nodeInput'; node: number; k: number; to: 'missing' | 'initializer' | 'later' | 'empty' | 'drop' | 'add' }
  | { kind: 'nodeOutput'; node: number; to: 'duplicate' | 'empty' | 'drop' | 'input' }
  | { kind: 'node'; node: number; op: 'delete' | 'duplicate' | 'moveFirst' | 'moveLast' }
  | { kind: 'attribute'; node: number; k: number; edit: AttributeEdit }
  | { kind: 'initializer'; pick: number; edit: TensorEdit }
  | {
      kind: 'graphInput';
      k: number;
      edit: 'dim' | 'dropDim' | 'addDim' | 'elemType' | 'delete' | 'rename';
      value: number;
    }
  | { kind: 'graphOutput'; edit: 'rename' | 'delete' | 'add' }
  | { kind: 'huge'; what: 'nodes' | 'inputs' | 'attributes' | 'dims'; count: number }
  | { kind: 'bytes'; edit: ByteEdit };

type AttributeEdit =
  | { op: 'int'; value: number }
  | { op: 'ints'; values: number[] }
  | { op: 'float'; value: number }
  | { op: 'type'; value: number }
  | { op: 'string'; value: string }
  | { op: 'delete' }
  | { op: 'add'; name: string; value: number[] };

type TensorEdit =
  | { op: 'dim'; k: number; value: number }
  | { op: 'rank'; grow: boolean }
  | { op: 'truncateData'; at: number }
  | { op: 'toFloatData'; extra: number }
  | { op: 'dataType'; value: number }
  | { op: 'name'; to: 'empty' | 'duplicate' }
  | { op: 'delete' };

const ONNX_OPS = [
  'Conv',
  'Gemm',
  'MaxPool',
  'AveragePool',
  'LpPool',
  'GlobalAveragePool',
  'BatchNormalization',
  'LRN',
  'Pad',
  'Relu',
  'Clip',
  'Softmax',
  'Flatten',
  'Reshape',
  'Transpose',
  'Add',
  'Concat',
  'Sum',
  'Identity',
  'Constant',
  'MatMul',
  '',
  'constructor',
] as const;
const ATTRIBUTE_NAMES = [
  'strides',
  'pads',
  'kernel_shape',
  'dilations',
  'group',
  'axis',
  'perm',
  'transB',
  'size',
  'auto_pad',
];
const arbInt = fc.constantFrom(-1, 0, 1, 2, 3, 5, 2 ** 31 - 1, 2 ** 31, 2 ** 40, -(2 ** 40));

const arbAttributeEdit: fc.Arbitrary<AttributeEdit> = fc.oneof(
  fc.record({ op: fc.constant('int' as const), value: arbInt }),
  fc.record({ op: fc.constant('ints' as const), values: fc.array(arbInt, { maxLength: 9 }) }),
  fc.record({
    op: fc.constant('float' as const),
    value: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 0, -1, 1e30),
  }),
  fc.record({ op: fc.constant('type' as const), value: fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 99) }),
  fc.record({
    op: fc.constant('string' as const),
    value: fc.constantFrom('SAME_LOWER', 'VALID', 'SAME_UPPER', 'reflect', '\u0000'),
  }),
  fc.constant({ op: 'delete' as const }),
  fc.record({
    op: fc.constant('add' as const),
    name: fc.constantFrom(...ATTRIBUTE_NAMES),
    value: fc.array(arbInt, { maxLength: 5 }),
  }),
);

const arbTensorEdit: fc.Arbitrary<TensorEdit> = fc.oneof(
  fc.record({ op: fc.constant('dim' as const), k: fc.nat(3), value: arbInt }),
  fc.record({ op: fc.constant('rank' as const), grow: fc.boolean() }),
  fc.record({ op: fc.constant('truncateData' as const), at: arbFraction }),
  fc.record({ op: fc.constant('toFloatData' as const), extra: fc.integer({ min: -2, max: 2 }) }),
  fc.record({ op: fc.constant('dataType' as const), value: fc.constantFrom(0, 2, 6, 7, 10, 11, 16) }),
  fc.record({ op: fc.constant('name' as const), to: fc.constantFrom('empty' as const, 'duplicate' as const) }),
  fc.constant({ op: 'delete' as const }),
);

const arbOnnxEdit: fc.Arbitrary<OnnxEdit> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('opType' as const), node: fc.nat(), to: fc.constantFrom(...ONNX_OPS) }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('nodeInput' as const),
      node: fc.nat(),
      k: fc.nat(4),
      to: fc.constantFrom(
        'missing' as const,
        'initializer' as const,
        'later' as const,
        'empty' as const,
        'drop' as const,
        'add' as const,
      ),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('nodeOutput' as const),
      node: fc.nat(),
      to: fc.constantFrom('duplicate' as const, 'empty' as const, 'drop' as const, 'input' as const),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('node' as const),
      node: fc.nat(),
      op: fc.constantFrom('delete' as const, 'duplicate' as const, 'moveFirst' as const, 'moveLast' as const),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('attribute' as const),
      node: fc.nat(),
      k: fc.nat(),
      edit: arbAttributeEdit,
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('initializer' as const), pick: fc.nat(), edit: arbTensorEdit }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('graphInput' as const),
      k: fc.nat(3),
      edit: fc.constantFrom(
        'dim' as const,
        'dropDim' as const,
        'addDim' as const,
        'elemType' as const,
        'delete' as const,
        'rename' as const,
      ),
      value: arbInt,
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('graphOutput' as const),
      edit: fc.constantFrom('rename' as const, 'delete' as const, 'add' as const),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('huge' as const),
      what: fc.constantFrom('nodes' as const, 'inputs' as const, 'attributes' as const, 'dims' as const),
      count: fc.constantFrom(100, 2_000, 20_000),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('bytes' as const), edit: arbByteEdit }), weight: 2 },
);

interface OnnxObject {
  graph?: { node?: Json[]; initializer?: Json[]; input?: Json[]; output?: Json[] };
  [key: string]: unknown;
}

const decodeOnnx = (bytes: Uint8Array) =>
  ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, arrays: true, bytes: Uint8Array }) as OnnxObject;

function mutateOnnx(seed: Seed, edits: readonly OnnxEdit[]): FuzzCase {
  const m = decodeOnnx(seed.files['model.onnx']!);
  const g = m.graph!;
  const nodes = g.node!;
  const inits = g.initializer!;
  const done: string[] = [];
  let raw: Uint8Array | undefined;
  const nodeAt = (i: number) =>
    nodes.length === 0 ? undefined : ([i % nodes.length, nodes[i % nodes.length]!] as const);
  for (const e of edits) {
    if (raw !== undefined) {
      if (e.kind !== 'bytes') continue;
      const r = editBytes(raw, e.edit, 'model.onnx');
      raw = r.bytes ?? new Uint8Array(0);
      done.push(r.what);
      continue;
    }
    switch (e.kind) {
      case 'opType': {
        const at = nodeAt(e.node);
        if (!at) break;
        at[1].opType = e.to;
        done.push(`graph.node[${at[0]}].op_type = ${JSON.stringify(e.to)}`);
        break;
      }
      case 'nodeInput': {
        const at = nodeAt(e.node);
        if (!at) break;
        const ins = at[1].input as string[];
        const k = ins.length === 0 ? 0 : e.k % ins.length;
        const later = nodes.at(-1)?.output as string[] | undefined;
        const value = {
          missing: 'no_such_value',
          initializer: String(inits[0]?.name ?? ''),
          later: later?.[0] ?? '',
          empty: '',
          drop: undefined,
          add: String(ins[0] ?? 'x'),
        }[e.to];
        if (e.to === 'drop') ins.splice(k, 1);
        else if (e.to === 'add') ins.push(value!);
        else ins[k] = value!;
        done.push(`graph.node[${at[0]}].input[${k}] ${e.to === 'drop' ? 'dropped' : `= ${JSON.stringify(value)}`}`);
        break;
      }
      case 'nodeOutput': {
        const at = nodeAt(e.node);
        if (!at) break;
        const outs = at[1].output as string[];
        if (e.to === 'drop') outs.length = 0;
        else
          outs[0] = {
            duplicate: String((nodes[0]!.output as string[])[0]),
            empty: '',
            input: String(g.input![0]?.name),
          }[e.to];
        done.push(`graph.node[${at[0]}].output ${e.to}`);
        break;
      }
      case 'node': {
        const at = nodeAt(e.node);
        if (!at) break;
        const [i, n] = at;
        if (e.op === 'delete') nodes.splice(i, 1);
        else if (e.op === 'duplicate') nodes.splice(i, 0, structuredClone(n));
        else {
          nodes.splice(i, 1);
          if (e.op === 'moveFirst') nodes.unshift(n);
          else nodes.push(n);
        }
        done.push(`graph.node[${i}] ${e.op}`);
        break;
      }
      case 'attribute': {
        const at = nodeAt(e.node);
        if (!at) break;
        const attrs = at[1].attribute as Json[];
        const a = e.edit;
        if (a.op === 'add') {
          attrs.push({ name: a.name, type: 7, ints: a.value });
          done.push(`graph.node[${at[0]}] attribute '${a.name}' added = [${a.value.join(', ')}]`);
          break;
        }
        if (attrs.length === 0) break;
        const k = e.k % attrs.length;
        const attr = attrs[k]!;
        const where = `graph.node[${at[0]}].attribute '${String(attr.name)}'`;
        if (a.op === 'delete') attrs.splice(k, 1);
        else if (a.op === 'int') attr.i = a.value;
        else if (a.op === 'ints') attr.ints = a.values;
        else if (a.op === 'float') attr.f = a.value;
        else if (a.op === 'type') attr.type = a.value;
        else attr.s = encoder.encode(a.value);
        done.push(
          `${where} ${a.op === 'delete' ? 'deleted' : `${a.op} = ${JSON.stringify('value' in a ? a.value : a.values)}`}`,
        );
        break;
      }
      case 'initializer': {
        if (inits.length === 0) break;
        const i = e.pick % inits.length;
        const t = inits[i]!;
        const where = `graph.initializer[${i}] '${String(t.name)}'`;
        const dims = (t.dims ?? []) as number[];
        const x = e.edit;
        if (x.op === 'dim') {
          if (dims.length === 0) break;
          dims[x.k % dims.length] = x.value;
          done.push(`${where}.dims[${x.k % dims.length}] = ${x.value}`);
        } else if (x.op === 'rank') {
          if (x.grow) dims.push(1);
          else dims.pop();
          done.push(`${where}.dims = [${dims.join(', ')}]`);
        } else if (x.op === 'truncateData') {
          const data = t.rawData as Uint8Array | undefined;
          if (data !== undefined) t.rawData = data.slice(0, Math.floor(x.at * data.byteLength));
          done.push(`${where}.raw_data truncated`);
        } else if (x.op === 'toFloatData') {
          const n = Math.max(0, dims.reduce((a, b) => a * b, 1) + x.extra);
          delete t.rawData;
          if (n <= 1_000_000) t.floatData = new Array(n).fill(0.25);
          done.push(`${where} as float_data of ${n} values`);
        } else if (x.op === 'dataType') {
          t.dataType = x.value;
          done.push(`${where}.data_type = ${x.value}`);
        } else if (x.op === 'name') {
          t.name = x.to === 'empty' ? '' : String(inits[(i + 1) % inits.length]!.name);
          done.push(`${where}.name ${x.to}`);
        } else {
          inits.splice(i, 1);
          done.push(`${where} deleted`);
        }
        break;
      }
      case 'graphInput': {
        const inputs = g.input!;
        if (inputs.length === 0) break;
        const k = e.k % inputs.length;
        const i = inputs[k]!;
        const dim = ((((i.type as Json)?.tensorType as Json)?.shape as Json)?.dim ?? []) as Json[];
        const where = `graph.input[${k}]`;
        if (e.edit === 'delete') inputs.splice(k, 1);
        else if (e.edit === 'rename') i.name = 'renamed';
        else if (e.edit === 'elemType') ((i.type as Json).tensorType as Json).elemType = e.value;
        else if (e.edit === 'dropDim') dim.pop();
        else if (e.edit === 'addDim') dim.push({ dimValue: e.value });
        else if (dim.length > 1) dim[1 + (Math.abs(e.value) % (dim.length - 1))] = { dimValue: e.value };
        done.push(`${where} ${e.edit} ${e.value}`);
        break;
      }
      case 'graphOutput': {
        const outputs = g.output!;
        if (e.edit === 'delete') outputs.splice(0, 1);
        else if (e.edit === 'rename' && outputs[0]) outputs[0].name = 'nowhere';
        else outputs.push({ name: String((nodes[0]?.output as string[] | undefined)?.[0] ?? 'x') });
        done.push(`graph.output ${e.edit}`);
        break;
      }
      case 'huge': {
        const n = e.count;
        if (e.what === 'nodes') {
          const first = String((g.input![0]?.name as string | undefined) ?? 'x');
          for (let i = 0; i < n; i++) nodes.push({ opType: 'Relu', input: [first], output: [`r${i}`], attribute: [] });
        } else if (e.what === 'inputs' && nodes.length > 0) {
          const inp = nodes.at(-1)!.input as string[];
          for (let i = 0; i < n; i++) inp.push(inp[0] ?? 'x');
        } else if (e.what === 'attributes' && nodes.length > 0) {
          const attrs = nodes[0]!.attribute as Json[];
          for (let i = 0; i < n; i++) attrs.push({ name: `a${i}`, type: 2, i: 1 });
        } else if (e.what === 'dims' && inits.length > 0) {
          const dims = inits[0]!.dims as number[];
          for (let i = 0; i < n; i++) dims.push(1);
        }
        done.push(`${n} more ${e.what}`);
        break;
      }
      case 'bytes': {
        const r = editBytes(ModelProto.encode(ModelProto.fromObject(m)).finish(), e.edit, 'model.onnx');
        raw = r.bytes ?? new Uint8Array(0);
        done.push(r.what);
        break;
      }
    }
  }
  const bytes = raw ?? ModelProto.encode(ModelProto.fromObject(m)).finish();
  return { files: { 'model.onnx': bytes }, description: `${seed.name}: ${done.join('; ') || 'unchanged'}` };
}

// ---- the targets ----------------------------------------------------------------------------------

/** A seed, then zero to three edits of it (the seed alone once in a while: it must load). */
function cases<E>(seeds: () => Seed[], edit: fc.Arbitrary<E>, apply: (s: Seed, e: readonly E[]) => FuzzCase) {
  return fc.record({ seed: fc.nat(), edits: fc.array(edit, { minLength: 0, maxLength: 3 }) }).map(({ seed, edits }) => {
    const list = seeds();
    return apply(list[seed % list.length]!, edits);
  });
}

/** The seeds, made once, on first use. */
function once(make: () => Seed[]): () => Seed[] {
  let made: Seed[] | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

/** The NaN and Infinity sentinels as numbers, in a loop (a JSON.parse reviver recurses, and cases nest 5,000 deep). */
function revive(root: unknown): unknown {
  const stack = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    for (const [k, c] of Object.entries(v)) {
      if (c === NAN) (v as Json)[k] = Number.NaN;
      else if (c === INF) (v as Json)[k] = Number.POSITIVE_INFINITY;
      else stack.push(c);
    }
  }
  return root;
}

/** The arguments of run() for the Layers format: model.json + shards, or artifacts.json + weights.bin. */
async function runLayers(input: FuzzCase): Promise<void> {
  const { files } = input;
  if (files['artifacts.json'] !== undefined) {
    const parsed = revive(JSON.parse(new TextDecoder().decode(files['artifacts.json']))) as LayersModelArtifacts;
    const weightData = files['weights.bin'];
    fromLayersArtifacts(weightData === undefined ? parsed : { ...parsed, weightData });
    return;
  }
  const modelJson = files['model.json'];
  if (modelJson === undefined) throw new Error('fuzz: a Layers case has no model.json');
  fromLayersModelJson(modelJson, (path) => files[path]);
}

/**
 * The targets, with more ONNX seeds if given (the tests add the PyTorch LeNet-5 fixture, which is too
 * big to embed here).
 */
export function createFuzzTargets(
  options: { onnxSeeds?: readonly { name: string; bytes: Uint8Array }[] } = {},
): InteropFuzzTarget[] {
  const layers = once(layersSeeds);
  const onnx = once(() => onnxSeeds(options.onnxSeeds ?? []));
  const asCases = (seeds: () => Seed[]) => () => seeds().map((s) => ({ files: s.files, description: s.name }));
  return [
    {
      name: 'tfjs-layers',
      arbitrary: cases(layers, arbLayersEdit, mutateLayers),
      run: runLayers,
      seeds: asCases(layers),
    },
    {
      name: 'onnx',
      arbitrary: cases(onnx, arbOnnxEdit, mutateOnnx),
      run: async (input) => {
        const bytes = input.files['model.onnx'];
        if (bytes === undefined) throw new Error('fuzz: an ONNX case has no model.onnx');
        fromOnnx(bytes, { file: 'model.onnx' });
      },
      seeds: asCases(onnx),
    },
  ];
}

/** A FuzzTarget with its unmutated inputs, which must all load. */
export interface InteropFuzzTarget extends FuzzTarget {
  seeds(): FuzzCase[];
}

/** The readers of @sinapse/interop under fuzz: 'tfjs-layers' and 'onnx'. */
export const fuzzTargets: InteropFuzzTarget[] = createFuzzTargets();
