/**
 * The TF.js Layers format (what `tf.loadLayersModel` reads and `model.save` writes, and what
 * `tensorflowjs_converter --input_format keras` makes of a Keras .h5 / .keras model), in memory:
 *
 *   model.json   { format: 'layers-model', modelTopology: <Keras model JSON>,
 *                  weightsManifest: [{ paths: [shard files], weights: [{ name, shape, dtype, quantization? }] }] }
 *   *.bin        the weights of each group, back to back, cut into shards
 *
 * and the same with the bytes in hand: TF.js's `ModelArtifacts`, `{ modelTopology, weightSpecs,
 * weightData }`, which `tf.io.withSaveHandler` gives and `tf.io.fromMemory` takes. Both directions
 * here work on bytes and JSON only (they run in a browser); `@sinapse/interop/node` reads and writes files.
 *
 *   fromLayersArtifacts(artifacts)   → a Sinapse Sequential or functional Model, its weights set
 *   toLayersArtifacts(model)         → artifacts for tf.io.fromMemory(…) / tf.loadLayersModel
 *   fromLayersModelJson(json, read)  → the model, reading each shard by its path through `read`
 *   toLayersModelJson(model)         → { modelJson, files }: what to write beside each other
 *
 * Weights are matched to the model by name, as TF.js and Keras match them ('conv1/kernel'), after
 * checking the manifest against the bytes (Note [Check before allocating] in weights.ts) and the
 * names and shapes against the model's, all before any tensor is made.
 */
import { serializeLayer, type WeightInfo } from '@sinapse/layers';
import { Model, Sequential } from '@sinapse/models';
import { ConfigError, checkOptionNames, formatShape, type Tensor, ValueError } from '@sinapse/tensor';
import { inContext } from '../context';
import { type KerasModelTopology, modelFromKeras, modelToKeras } from './topology';
import {
  checkManifest,
  decodeGroup,
  encodeGroup,
  joinBytes,
  type LayersWeightSpec,
  type Quantization,
  type WeightsManifestGroup,
} from './weights';

/** `format` of a Layers model's model.json. */
export const LAYERS_MODEL_FORMAT = 'layers-model';

/** Bytes as TF.js passes them: one buffer, or several (TF.js 4's `WeightData`), or Uint8Arrays. */
export type WeightBytes = ArrayBuffer | Uint8Array | ReadonlyArray<ArrayBuffer | Uint8Array>;

/** A Layers model with its bytes in hand: TF.js's `io.ModelArtifacts` (the fields this format uses). */
export interface LayersModelArtifacts {
  /** The Keras model's JSON: `{ class_name: 'Sequential', config: { layers: [...] } }`. */
  modelTopology: KerasModelTopology;
  /** Every tensor, in the order of its bytes in weightData (all the manifest groups' entries, joined). */
  weightSpecs: LayersWeightSpec[];
  /** The tensors' bytes back to back, little-endian: one buffer or the shards in order. */
  weightData: WeightBytes;
  /** 'layers-model' ({@link LAYERS_MODEL_FORMAT}); absent in older files. */
  format?: string;
  /** Who wrote it: 'keras v2.15.0', 'TensorFlow.js tfjs-layers v4.22.0', 'Sinapse (@sinapse/interop)'. */
  generatedBy?: string;
  /** The converter, e.g. 'TensorFlow.js Converter v4.22.0'; null when written directly. */
  convertedBy?: string | null;
  [key: string]: unknown;
}

/** A Layers model's model.json. */
export interface LayersModelJson {
  /** 'layers-model' ({@link LAYERS_MODEL_FORMAT}); absent in older files. */
  format?: string;
  /** Who wrote the model: Keras, TF.js or Sinapse, with a version. */
  generatedBy?: string;
  /** The converter that wrote model.json, or null. */
  convertedBy?: string | null;
  /** The Keras model's JSON. */
  modelTopology: KerasModelTopology;
  /** The shard files and the tensors they hold, group by group. */
  weightsManifest: WeightsManifestGroup[];
  [key: string]: unknown;
}

/** Where the data came from, for messages. */
export interface LayersSource {
  /** The function first in messages. Default 'fromLayersArtifacts' / 'fromLayersModelJson'. */
  op?: string;
  /** The model.json file, when there was one. */
  file?: string;
}

/** Options of toLayersArtifacts and toLayersModelJson. */
export interface ToLayersOptions {
  /**
   * Store the weights in fewer bits, as tensorflowjs_converter's --quantize_* flags do (Note
   * [Quantized weights] in weights.ts): 'float16' keeps about 3 significant digits, 'uint16' about 4
   * to 5 over each tensor's range, 'uint8' about 2. Default: none (float32, exact).
   */
  quantize?: Quantization['dtype'];
}

/** Options of toLayersModelJson. */
export interface ToLayersModelJsonOptions extends ToLayersOptions {
  /** Cut the weights into files of at most this many bytes. Default 4 MiB, as tensorflowjs_converter. */
  shardBytes?: number;
}

// ---- in ----------------------------------------------------------------------------------------

/**
 * A Sinapse model from a Layers model's artifacts (`tf.io.withSaveHandler`'s, or an IOHandler's
 * `load()`), with the same weights: a Sequential for a Sequential, a functional Model for a Model.
 * @throws ConfigError naming the layer for a layer or option Sinapse does not have.
 * @throws ValueError for a manifest that does not fit the bytes or the model (names, shapes).
 * @example
 * let artifacts; await tfModel.save(tf.io.withSaveHandler(async (a) => { artifacts = a; return { modelArtifactsInfo: {} }; }));
 * const model = fromLayersArtifacts(artifacts); // model.predict(x) ≈ tfModel.predict(x)
 */
export function fromLayersArtifacts<Out extends Tensor | Tensor[] = Tensor>(
  artifacts: LayersModelArtifacts,
  source: LayersSource = {},
): Model<Out> {
  const op = source.op ?? 'fromLayersArtifacts';
  const who = `${op}: ${source.file ?? 'artifacts'}`;
  if (artifacts === null || typeof artifacts !== 'object') {
    throw new ValueError(`${who}: expects { modelTopology, weightSpecs, weightData }, but got ${String(artifacts)}`);
  }
  checkFormat(who, artifacts.format);
  const specs = artifacts.weightSpecs ?? [];
  const bytes = toBytes(who, artifacts.weightData ?? new Uint8Array(0));
  checkManifest([specs], [bytes.byteLength], { who });
  const model = buildModel(who, artifacts.modelTopology);
  setWeights(who, model, specs, () => decodeGroup(specs, bytes));
  return model as Model<Out>;
}

/**
 * A Sinapse model from a model.json (the object, or its text or bytes) and its shard files: `read(path)`
 * gives the bytes of each path in the manifest (fetched, or read from disk), or undefined for a missing one. Every group is checked against the sizes of its
 * shards before any weight is decoded.
 * @throws as fromLayersArtifacts, and ValueError for a model.json that is not a Layers model.
 */
export function fromLayersModelJson<Out extends Tensor | Tensor[] = Tensor>(
  modelJson: LayersModelJson | string | Uint8Array,
  read: (path: string) => Uint8Array | ArrayBuffer | undefined,
  source: LayersSource = {},
): Model<Out> {
  const op = source.op ?? 'fromLayersModelJson';
  const file = source.file ?? 'model.json';
  const who = `${op}: ${file}`;
  const json = parseModelJson(who, modelJson);
  const groups = checkModelJson(who, json);
  const shards = groups.map((g, i) =>
    g.paths.map((p, k) => {
      const bytes = read(p);
      if (bytes instanceof Uint8Array) return bytes;
      if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
      throw new ValueError(
        `${who}: weightsManifest[${i}].paths[${k}] ${JSON.stringify(p.length > 200 ? `${p.slice(0, 197)}...` : p)} ${bytes === undefined ? 'is missing' : 'did not read as bytes'}`,
      );
    }),
  );
  checkManifest(
    groups.map((g) => g.weights),
    shards.map((s) => s.reduce((n, b) => n + b.byteLength, 0)),
    { who, describeGroup: (g) => describeShards(groups[g]!.paths) },
  );
  const model = buildModel(who, json.modelTopology);
  const specs = groups.flatMap((g) => g.weights);
  setWeights(who, model, specs, () => groups.flatMap((g, i) => decodeGroup(g.weights, joinBytes(shards[i]!))));
  return model as Model<Out>;
}

/** model.json as an object: given as one, or as its text or bytes (a file input's, a fetch's). */
function parseModelJson(who: string, modelJson: LayersModelJson | string | Uint8Array): LayersModelJson {
  if (typeof modelJson !== 'string' && !(modelJson instanceof Uint8Array)) return modelJson;
  try {
    const text =
      typeof modelJson === 'string' ? modelJson : new TextDecoder('utf-8', { fatal: true }).decode(modelJson);
    return JSON.parse(text) as LayersModelJson;
  } catch (err) {
    throw new ValueError(`${who}: is not valid JSON (${(err as Error).message})`);
  }
}

/**
 * Checks that a model.json is a Layers model and returns its weightsManifest groups.
 * @throws ValueError saying what it is instead (a graph model, a Sinapse model) or what is missing.
 */
export function checkModelJson(who: string, json: LayersModelJson): WeightsManifestGroup[] {
  if (json === null || typeof json !== 'object')
    throw new ValueError(`${who}: model.json must be an object, but got ${String(json)}`);
  checkFormat(who, json.format);
  if (json.modelTopology === undefined)
    throw new ValueError(`${who}: has no modelTopology, so it is not a Layers model`);
  const groups = json.weightsManifest ?? [];
  if (!Array.isArray(groups))
    throw new ValueError(`${who}: weightsManifest must be a list of groups, but got ${describeValue(groups)}`);
  groups.forEach((g, i) => {
    if (
      g === null ||
      typeof g !== 'object' ||
      !Array.isArray(g.paths) ||
      !Array.isArray(g.weights) ||
      g.paths.some((p) => typeof p !== 'string')
    ) {
      throw new ValueError(`${who}: weightsManifest group ${i + 1} must be { paths: [file names], weights: [...] }`);
    }
  });
  return groups;
}

/** The message part naming a group's shards: "group1-shard1of1.bin" or "the 3 shards group1-shard1of3.bin …". */
export function describeShards(paths: readonly string[]): string {
  if (paths.length === 1) return paths[0]!;
  return `the ${paths.length} shards ${paths[0]} … ${paths.at(-1)}`;
}

function checkFormat(who: string, format: unknown): void {
  if (format === undefined || format === LAYERS_MODEL_FORMAT) return;
  const hints: Record<string, string> = {
    'graph-model':
      'a TF.js graph model (a TensorFlow SavedModel converted) is a graph of ops, not of layers; convert the Keras model with --input_format keras instead',
    'sinapse-model': "it is Sinapse's own format: load it with loadModel from @sinapse/models/node, or fromArtifacts",
  };
  throw new ValueError(
    `${who}: format '${String(format)}' is not '${LAYERS_MODEL_FORMAT}'${hints[String(format)] ? `: ${hints[String(format)]}` : ''}`,
  );
}

function toBytes(who: string, data: WeightBytes): Uint8Array {
  const one = (b: unknown, where: string): Uint8Array => {
    if (b instanceof Uint8Array) return b;
    if (b instanceof ArrayBuffer) return new Uint8Array(b);
    // never new Uint8Array(b) of anything else: of a number, it would allocate that many bytes
    throw new ValueError(`${who}: ${where} must be an ArrayBuffer or a Uint8Array, but got ${describeValue(b)}`);
  };
  if (Array.isArray(data)) return joinBytes(data.map((b, i) => one(b, `weightData[${i}]`)));
  return one(data, 'weightData (or a list of them)');
}

function describeValue(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? String(v);
  return Object.getPrototypeOf(v)?.constructor?.name ?? 'an object';
}

function buildModel(who: string, topology: KerasModelTopology): Model<Tensor | Tensor[]> {
  const serialized = modelFromKeras(who, topology);
  // Sequential.fromConfig / Model.fromConfig by name: importing @sinapse/models also registers both
  // classes, so models nested as layers deserialize too
  const cls = serialized.className === 'Sequential' ? Sequential : Model;
  return inContext(who, () => cls.fromConfig(serialized.config) as Model<Tensor | Tensor[]>);
}

/**
 * The stored name of each model weight: the same name ('conv1/kernel'), or one that ends with it after
 * a scope ('model/conv1/kernel', as Keras names the variables of nested models), Keras's ':0' dropped.
 */
function matchNames(who: string, infos: readonly WeightInfo[], specs: readonly LayersWeightSpec[]): LayersWeightSpec[] {
  const stored = new Map(specs.map((s) => [s.name.replace(/:0$/, ''), s]));
  // the names a stored one ends with after a '/' (its last 16 scopes), in manifest order: one lookup per
  // model weight instead of a scan of the manifest for each
  const bySuffix = new Map<string, LayersWeightSpec[]>();
  for (const [name, s] of stored) {
    let at = name.lastIndexOf('/', name.length - 2);
    for (let level = 0; at >= 0 && level < 16; level++, at = at > 0 ? name.lastIndexOf('/', at - 1) : -1) {
      const suffix = name.slice(at + 1);
      const list = bySuffix.get(suffix);
      if (list === undefined) bySuffix.set(suffix, [s]);
      else list.push(s);
    }
  }
  const used = new Set<LayersWeightSpec>();
  const missing: WeightInfo[] = [];
  const matched = infos.map((info) => {
    let spec = stored.get(info.name);
    if (spec === undefined || used.has(spec)) spec = bySuffix.get(info.name)?.find((s) => !used.has(s));
    if (spec === undefined) missing.push(info);
    else used.add(spec);
    return spec!;
  });
  const extra = specs.filter((s) => !used.has(s));
  if (missing.length > 0 || extra.length > 0) {
    // at most 10 names each: a hostile manifest may list thousands
    const list = (named: ReadonlyArray<{ name: string }>) =>
      named.length === 0
        ? 'none'
        : named
            .slice(0, 10)
            .map((w) => (w.name.length > 100 ? `${w.name.slice(0, 97)}...` : w.name))
            .join(', ') + (named.length > 10 ? `, … ${named.length - 10} more` : '');
    throw new ValueError(
      `${who}: the weights manifest does not match the model: the model has [${list(infos)}], the manifest [${list(specs)}] ` +
        `(missing: ${list(missing)}; not in the model: ${list(extra)})`,
    );
  }
  matched.forEach((spec, i) => {
    const info = infos[i]!;
    if (spec.shape.length !== info.shape.length || spec.shape.some((d, k) => d !== info.shape[k])) {
      throw new ValueError(
        `${who}: weight ${info.name} has shape ${formatShape(info.shape)} in the model, but ${formatShape(spec.shape)} in the manifest (as '${spec.name}')`,
      );
    }
    if (spec.dtype !== 'float32')
      throw new ValueError(
        `${who}: weight ${info.name} is ${spec.dtype} in the manifest, but layer weights are float32`,
      );
  });
  return matched;
}

/** Checks names and shapes against the model without allocating, then decodes and assigns. */
function setWeights(
  who: string,
  model: Model<Tensor | Tensor[]>,
  specs: readonly LayersWeightSpec[],
  decode: () => ReturnType<typeof decodeGroup>,
): void {
  const infos = inContext(who, () => model.weightInfo());
  const matched = matchNames(who, infos, specs);
  const specOf = new Map(infos.map((info, i) => [info.name, matched[i]!]));
  const decoded = new Map(decode().map((w) => [w.name, w]));
  for (const p of model.weights) p.assign(decoded.get(specOf.get(p.name)!.name)!.values);
}

// ---- out ---------------------------------------------------------------------------------------

/**
 * A Sinapse model as Layers-model artifacts, for `tf.loadLayersModel(tf.io.fromMemory(artifacts))`.
 * L2Pooling2D and LocalResponseNormalization are written as 'Sinapse>L2Pooling2D' and
 * 'Sinapse>LocalResponseNormalization', which TF.js loads once those classes are registered (docs/interop.md).
 * @throws ConfigError naming the layer for a layer or option TF.js cannot represent, or for a
 *   subclassed model or one whose input shape is unknown.
 */
export function toLayersArtifacts(
  model: Model<Tensor | Tensor[]>,
  options: ToLayersOptions = {},
): LayersModelArtifacts {
  checkOptionNames('toLayersArtifacts', options, ['quantize']);
  const { modelTopology, specs, bytes } = encodeModel('toLayersArtifacts', model, options.quantize);
  return {
    format: LAYERS_MODEL_FORMAT,
    generatedBy: 'Sinapse (@sinapse/interop)',
    convertedBy: null,
    modelTopology,
    weightSpecs: specs,
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  };
}

/**
 * A Sinapse model as a model.json and its shard files ('group1-shard1of2.bin', …), the files
 * tensorflowjs_converter writes, for a host to serve or `saveLayersModel` to write.
 * @throws as toLayersArtifacts, and ConfigError for a shardBytes that is not a positive integer.
 */
export function toLayersModelJson(
  model: Model<Tensor | Tensor[]>,
  options: ToLayersModelJsonOptions = {},
): {
  /** The model.json to write or serve. */
  modelJson: LayersModelJson;
  /** The shard files its weightsManifest names, in order. */
  files: {
    /** The file name, relative to model.json ('group1-shard1of2.bin'). */
    path: string;
    /** Its bytes. */
    bytes: Uint8Array;
  }[];
} {
  checkOptionNames('toLayersModelJson', options, ['quantize', 'shardBytes']);
  const shardBytes = options.shardBytes ?? 4 * 1024 * 1024;
  if (!Number.isInteger(shardBytes) || shardBytes < 1) {
    throw new ConfigError(`toLayersModelJson: shardBytes must be a positive integer, but got ${shardBytes}`);
  }
  const { modelTopology, specs, bytes } = encodeModel('toLayersModelJson', model, options.quantize);
  const count = Math.max(1, Math.ceil(bytes.byteLength / shardBytes));
  const files = Array.from({ length: count }, (_, i) => ({
    path: `group1-shard${i + 1}of${count}.bin`,
    bytes: bytes.subarray(i * shardBytes, Math.min(bytes.byteLength, (i + 1) * shardBytes)),
  }));
  return {
    modelJson: {
      format: LAYERS_MODEL_FORMAT,
      generatedBy: 'Sinapse (@sinapse/interop)',
      convertedBy: null,
      modelTopology,
      weightsManifest: [{ paths: files.map((f) => f.path), weights: specs }],
    },
    files,
  };
}

function encodeModel(
  op: string,
  model: Model<Tensor | Tensor[]>,
  quantize: Quantization['dtype'] | undefined,
): { modelTopology: KerasModelTopology; specs: LayersWeightSpec[]; bytes: Uint8Array } {
  if (quantize !== undefined && !['uint8', 'uint16', 'float16'].includes(quantize)) {
    throw new ConfigError(
      `${op}: quantize must be 'uint8', 'uint16' or 'float16', but got ${JSON.stringify(quantize)}`,
    );
  }
  const modelTopology = {
    ...modelToKeras(op, serializeLayer(model)),
    keras_version: 'sinapse-interop',
    backend: 'tensor_flow.js',
  };
  const weights = model.weights.map((p) => ({ name: p.name, shape: p.shape, values: p.data }));
  const { specs, bytes } = encodeGroup(weights, quantize);
  return { modelTopology, specs, bytes };
}
