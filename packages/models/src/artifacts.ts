/**
 * The Sinapse model format, as a codec: plain data in, artifacts out, and back (what TF.js's `tf.io`
 * does for its format). It knows nothing of models: `modelConfig` is opaque JSON and weights are
 * named tensors. Rebuilding a model from the decoded data is fromArtifacts.ts's job.
 *
 *   encodeArtifacts({ modelConfig, weights, optimizer? })  →  { modelJson, weightData }
 *   decodeArtifacts({ modelJson, weightData })             →  { modelConfig, weights, optimizer? }
 *
 * The artifacts are two things (the same split as TF.js's `model.json` + `*.bin` and Keras's
 * config + weights):
 *
 *   modelJson   { format: 'sinapse-model', formatVersion: 1, modelConfig, weightsManifest, weightsChecksum,
 *                 manifestChecksum, optimizer? }
 *   weightData  every tensor's values back to back, little-endian, in the order of the manifest
 *
 * The manifest says where each tensor lives: `{ name: 'conv1/kernel', shape: [5, 5, 1, 6],
 * dtype: 'float32', byteOffset: 0, byteLength: 600 }`. Optimizer tensors (momentum buffers, Adam's
 * moments) follow the weights in the same bytes, with their own manifest. The bytes may be stored
 * as several shards (files of a bounded size, say): decode reads a list of shards as their
 * concatenation in order, as TF.js reads the files of a weightsManifest group, and a shard boundary
 * may fall anywhere, even inside a tensor.
 *
 * Note [What loading checks]
 * The entries must tile the bytes exactly: each a valid shape and dtype with byteLength =
 * size · bytesPerElement, the first at byteOffset 0, each starting where the previous one ended,
 * the last ending at the end of weightData, the names unique within each manifest.
 * weightsChecksum (CRC-32 of weightData) catches damaged bytes; manifestChecksum (CRC-32 of the
 * manifests' canonical JSON, see manifestCrc) catches an edited manifest that still tiles, such as
 * a shape [3, 4] turned into [4, 3]. manifestChecksum was added within formatVersion 1 and is
 * optional when reading, so files saved before it still load (with the structural checks only).
 * The model side then checks that the names are those of the model's weights, with their shapes
 * and dtypes (fromArtifacts.ts).
 *
 * Nothing here touches files: the browser keeps artifacts in memory or IndexedDB, and Node's
 * `save` / `loadModel` (src/node) write them to a directory.
 */

import { type DType, formatShape, Tensor, type TypedArray, ValueError } from '@sinapse/tensor';
import { crc32 } from './crc32';

/** The value of `modelJson.format`. */
export const MODEL_FORMAT = 'sinapse-model';
/** The only `modelJson.formatVersion` this version reads and writes. */
export const MODEL_FORMAT_VERSION = 1;

/** A tensor and the name it is stored under ('conv1/kernel', 'conv1/kernel/momentum'). */
export interface NamedTensor {
  /** Unique within its list: `<layer>/<weight>`, and `<layer>/<weight>/<slot>` for optimizer state. */
  name: string;
  /** The values. */
  tensor: Tensor;
}

/**
 * An optimizer's state as models see it: opaque. Optimizers (in @sinapse/train) produce and consume
 * it; the model only stores it next to its weights so training can resume where it stopped.
 */
export interface OptimizerState {
  /** Plain JSON (learning rate, momentum, step count...). */
  config: Record<string, unknown>;
  /** Named tensors, e.g. { name: 'conv1/kernel/momentum', tensor }. */
  tensors: NamedTensor[];
}

/** A model as plain data: what encodeArtifacts takes and decodeArtifacts gives back. */
export interface ModelData {
  /** Plain JSON the model is rebuilt from (a Sequential's `getConfig()`); the codec does not look inside. */
  modelConfig: unknown;
  /** The weights, in the order they are stored; names are unique. */
  weights: NamedTensor[];
  /** The optimizer's state, to resume training where it stopped. Default: none. */
  optimizer?: OptimizerState;
}

/** Where one tensor lives in `weightData`. */
export interface WeightEntry {
  /** The tensor's name ('conv1/kernel'). */
  name: string;
  /** Its shape, `[5, 5, 1, 6]` for LeNet's first kernel. */
  shape: number[];
  /** 'float32' (4 bytes an element) or 'float64' (8). */
  dtype: DType;
  /** Where its bytes start in weightData: the previous entry's end (0 for the first). */
  byteOffset: number;
  /** size · bytes per element. */
  byteLength: number;
}

/** model.json, the part of the artifacts that is JSON: the config and where each tensor's bytes are. */
export interface ModelJson {
  /** Always 'sinapse-model' ({@link MODEL_FORMAT}): what tells a Sinapse file from a TF.js one. */
  format: typeof MODEL_FORMAT;
  /** 1 ({@link MODEL_FORMAT_VERSION}); another number is refused. */
  formatVersion: typeof MODEL_FORMAT_VERSION;
  /** The model's `getConfig()`, as given to encodeArtifacts. */
  modelConfig: unknown;
  /** The weights' entries, tiling the start of weightData (Note [What loading checks]). */
  weightsManifest: WeightEntry[];
  /** CRC-32 of all of `weightData` (every shard, in order), 8 hex digits. */
  weightsChecksum: string;
  /** CRC-32 of the manifests (see manifestCrc), 8 hex digits. Absent in files written before it existed. */
  manifestChecksum?: string;
  /** The optimizer's state when one was saved: its JSON config, and its tensors' entries, after the weights'. */
  optimizer?: {
    /** The optimizer's plain JSON state (learning rate, step count...). */
    config: Record<string, unknown>;
    /** Its tensors (momentum buffers, Adam's moments), in the bytes after the weights. */
    weightsManifest: WeightEntry[];
  };
  /** Set by the Node adapter: the file holding `weightData`, relative to model.json ('weights-1a2b3c4d.bin'). */
  weightsFile?: string;
  /** Set by the Node adapter instead of `weightsFile` when the bytes are in several files: the shards, in order. */
  weightsFiles?: string[];
}

/** What encodeArtifacts produces: the json and the bytes in one array. */
export interface ModelArtifacts {
  /** The JSON half. */
  modelJson: ModelJson;
  /** Every tensor's values back to back, little-endian, in the manifests' order. */
  weightData: Uint8Array;
}

/** What decodeArtifacts reads: the bytes in one array, or in shards read in order as one. */
export interface ShardedArtifacts {
  /** The JSON half. */
  modelJson: ModelJson;
  /** The bytes, whole or as shards read in order as one (a boundary may fall inside a tensor). */
  weightData: Uint8Array | readonly Uint8Array[];
}

/**
 * Where decodeArtifacts' input came from, for its messages. In memory (no files) they name the
 * fields: "fromArtifacts: weightData is truncated: … but it has 100". An adapter that read files
 * gives their paths: "loadModel: /x/weights-1a2b3c4d.bin is truncated: … but the file has 1,000".
 */
export interface ArtifactsSource {
  /** The operation that reads, first in every message ('fromArtifacts', 'loadModel'). Default 'decodeArtifacts'. */
  op?: string;
  /** The path modelJson was read from. */
  jsonFile?: string;
  /** The paths weightData was read from, one per shard, in order. */
  weightsFiles?: readonly string[];
}

/**
 * The CRC-32 of the manifests in a canonical form: each entry as the array
 * [name, shape, dtype, byteOffset, byteLength], so the order of keys in model.json does not matter.
 */
export function manifestCrc(weights: readonly WeightEntry[], optimizer: readonly WeightEntry[] | undefined): string {
  const canonical = (list: readonly WeightEntry[]) =>
    list.map((e) => [e.name, e.shape, e.dtype, e.byteOffset, e.byteLength]);
  const text = JSON.stringify({ weights: canonical(weights), optimizer: canonical(optimizer ?? []) });
  return crc32(new TextEncoder().encode(text));
}

/** Typed arrays use the machine's byte order; the format is little-endian, like every common CPU. */
function checkLittleEndian(op: string): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new ValueError(`${op}: this machine is big-endian; the weights format is little-endian`);
  }
}

// ---- encoding -------------------------------------------------------------------------------------

/** Names must be unique within a manifest: they are how the model side finds its weights. */
function checkUniqueNames(op: string, which: string, named: readonly NamedTensor[]): void {
  const seen = new Map<string, number>();
  named.forEach(({ name }, i) => {
    if (typeof name !== 'string' || name === '') {
      throw new ValueError(`${op}: ${which}[${i}] needs a name (a non-empty string), but got ${JSON.stringify(name)}`);
    }
    const first = seen.get(name);
    if (first !== undefined) {
      throw new ValueError(
        `${op}: ${which}[${i}] and ${which}[${first}] are both named '${name}'; names must be unique`,
      );
    }
    seen.set(name, i);
  });
}

/** Lays the tensors out back to back from `offset` and builds their manifest. */
function pack(named: readonly NamedTensor[], offset: number): { entries: WeightEntry[]; end: number } {
  const entries = named.map(({ name, tensor }) => {
    const byteLength = tensor.data.byteLength;
    const entry: WeightEntry = { name, shape: [...tensor.shape], dtype: tensor.dtype, byteOffset: offset, byteLength };
    offset += byteLength;
    return entry;
  });
  return { entries, end: offset };
}

/**
 * Serializes a model's config, weights and (optional) optimizer state to artifacts: one byte
 * array of every tensor back to back, and the json that describes it.
 * @throws ValueError for a missing modelConfig, or a name that is empty or used twice in a list.
 * @example
 * const a = encodeArtifacts({ modelConfig: { name: 'm' }, weights: [{ name: 'w', tensor: tensor([1, 2]) }] });
 * a.weightData.length; // 8: two float32s
 * a.modelJson.weightsManifest; // [{ name: 'w', shape: [2], dtype: 'float32', byteOffset: 0, byteLength: 8 }]
 */
export function encodeArtifacts(data: ModelData): ModelArtifacts {
  const op = 'encodeArtifacts';
  checkLittleEndian(op);
  if (data.modelConfig === undefined) {
    throw new ValueError(`${op}: needs a modelConfig (the plain JSON the model is rebuilt from)`);
  }
  const optimizer = data.optimizer;
  checkUniqueNames(op, 'weights', data.weights);
  if (optimizer !== undefined) checkUniqueNames(op, 'optimizer.tensors', optimizer.tensors);
  const model = pack(data.weights, 0);
  const opt = optimizer === undefined ? null : pack(optimizer.tensors, model.end);
  const weightData = new Uint8Array(opt?.end ?? model.end);
  let offset = 0;
  for (const { tensor } of [...data.weights, ...(optimizer?.tensors ?? [])]) {
    const d = tensor.data;
    weightData.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), offset);
    offset += d.byteLength;
  }
  const modelJson: ModelJson = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    modelConfig: data.modelConfig,
    weightsManifest: model.entries,
    weightsChecksum: crc32(weightData),
    manifestChecksum: manifestCrc(model.entries, opt?.entries),
  };
  if (optimizer !== undefined) {
    modelJson.optimizer = { config: optimizer.config, weightsManifest: opt!.entries };
  }
  return { modelJson, weightData };
}

/**
 * Cuts `bytes` into shards of `shardBytes` bytes (the last one shorter), for storage that limits a
 * file's size; decodeArtifacts reads the list back as one. The shards are views, not copies.
 * @throws ValueError for a shardBytes that is not a positive integer.
 */
export function splitShards(bytes: Uint8Array, shardBytes: number, op = 'splitShards'): Uint8Array[] {
  if (!Number.isSafeInteger(shardBytes) || shardBytes < 1) {
    throw new ValueError(`${op}: shardBytes must be a positive integer, but got ${JSON.stringify(shardBytes)}`);
  }
  const shards: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += shardBytes) {
    shards.push(bytes.subarray(start, Math.min(start + shardBytes, bytes.length)));
  }
  return shards.length > 0 ? shards : [bytes]; // a model without weights still has its (empty) shard
}

// ---- decoding -------------------------------------------------------------------------------------

/** How messages name the json and the weights, in memory or on disk (see ArtifactsSource). */
interface Names {
  op: string;
  json: string;
  weights: string;
  /** Verbs and pronouns for `weights`: a single file or array is "it", several files are "they". */
  is: string;
  has: string;
  its: string;
  holder: string;
}

function namesOf(source: ArtifactsSource, shardCount: number): Names {
  const op = source.op ?? 'decodeArtifacts';
  const json = source.jsonFile ?? 'modelJson';
  const files = source.weightsFiles;
  if (files === undefined) {
    const weights = shardCount === 1 ? 'weightData' : `weightData (${shardCount} shards)`;
    return { op, json, weights, is: 'is', has: 'has', its: 'its', holder: 'it' };
  }
  if (files.length === 1) return { op, json, weights: files[0]!, is: 'is', has: 'has', its: 'its', holder: 'the file' };
  return { op, json, weights: files.join(', '), is: 'are', has: 'have', its: 'their', holder: 'the files' };
}

/**
 * Checks `format` and `formatVersion`: the first thing a loader looks at, before it trusts anything
 * else; then that the three required fields are there.
 * @throws ValueError naming the json and what is wrong.
 */
export function checkModelJson(json: unknown, source: ArtifactsSource = {}): asserts json is ModelJson {
  const { op, json: jsonLabel } = namesOf(source, 1);
  if (json === null || typeof json !== 'object' || (json as { format?: unknown }).format !== MODEL_FORMAT) {
    const format = json !== null && typeof json === 'object' ? (json as { format?: unknown }).format : undefined;
    throw new ValueError(
      `${op}: ${jsonLabel} is not a Sinapse model: expected format '${MODEL_FORMAT}', but got ${JSON.stringify(format) ?? 'none'}`,
    );
  }
  const version = (json as { formatVersion?: unknown }).formatVersion;
  if (version !== MODEL_FORMAT_VERSION) {
    throw new ValueError(
      `${op}: ${jsonLabel} has formatVersion ${JSON.stringify(version)}, but this version of @sinapse/models reads version ${MODEL_FORMAT_VERSION}`,
    );
  }
  const m = json as ModelJson;
  if (!Array.isArray(m.weightsManifest) || typeof m.weightsChecksum !== 'string' || m.modelConfig === undefined) {
    throw new ValueError(
      `${op}: ${jsonLabel} is incomplete: it needs modelConfig, weightsManifest and weightsChecksum`,
    );
  }
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, float64: 8 };

/**
 * Checks one manifest's entries (Note [What loading checks]): each is well formed, has a name not
 * used before in the list, and starts where the previous one ended, the first at `start`.
 * Returns where the last one ends.
 * @throws ValueError naming the file, the manifest, the entry and what is wrong.
 */
function checkManifest(list: readonly unknown[], which: string, start: number, names: Names): number {
  let offset = start;
  const seen = new Map<string, number>();
  list.forEach((raw, i) => {
    const e = raw as Partial<WeightEntry> | null;
    const where = `${names.op}: ${names.json}: ${which}[${i}]`;
    const bad = (rule: string) =>
      new ValueError(`${where}${typeof e?.name === 'string' ? ` ('${e.name}')` : ''} ${rule}`);
    if (e === null || typeof e !== 'object' || Array.isArray(e)) {
      throw new ValueError(
        `${where} must be an object { name, shape, dtype, byteOffset, byteLength }, but got ${JSON.stringify(raw)}`,
      );
    }
    if (typeof e.name !== 'string' || e.name === '')
      throw bad(`needs a name (a non-empty string), but got ${JSON.stringify(e.name)}`);
    if (seen.has(e.name)) throw bad(`has the name of ${which}[${seen.get(e.name)}]; names must be unique`);
    seen.set(e.name, i);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw bad(`needs a shape of non-negative integers, but got ${JSON.stringify(e.shape)}`);
    }
    const itemSize =
      typeof e.dtype === 'string' && Object.hasOwn(BYTES_PER_ELEMENT, e.dtype) ? BYTES_PER_ELEMENT[e.dtype] : undefined;
    if (itemSize === undefined)
      throw bad(`has dtype ${JSON.stringify(e.dtype)}, but only 'float32' and 'float64' are known`);
    for (const key of ['byteOffset', 'byteLength'] as const) {
      const v = e[key];
      if (!Number.isSafeInteger(v) || v! < 0)
        throw bad(`needs ${key} a non-negative integer, but got ${JSON.stringify(v)}`);
    }
    const size = e.shape.reduce((a, b) => a * b, 1);
    if (e.byteLength !== size * itemSize) {
      throw bad(
        `is inconsistent: shape ${formatShape(e.shape)} of ${e.dtype} needs ${size * itemSize} bytes, but byteLength is ${e.byteLength}`,
      );
    }
    if (e.byteOffset !== offset) {
      throw bad(
        `starts at byteOffset ${e.byteOffset}, but the entries must be back to back in order, so it must start at ${offset}`,
      );
    }
    offset += e.byteLength;
  });
  return offset;
}

/** `weightData` as a list of shards, checking that it is bytes. */
function shardsOf(weightData: unknown, op: string): readonly Uint8Array[] {
  if (weightData instanceof Uint8Array) return [weightData];
  if (Array.isArray(weightData) && weightData.every((s) => s instanceof Uint8Array)) return weightData;
  throw new ValueError(`${op}: weightData must be a Uint8Array or an array of Uint8Array shards`);
}

/**
 * Copies bytes [start, start + length) of the shards laid end to end: one `set` per shard the
 * range overlaps, so a tensor cut by a shard boundary comes out whole. A copy also means a
 * Float64Array needs no 8-byte alignment of the input.
 */
function copyRange(shards: readonly Uint8Array[], start: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let base = 0; // where the current shard starts in the whole
  for (const shard of shards) {
    const from = Math.max(start, base);
    const to = Math.min(start + length, base + shard.length);
    if (from < to) out.set(shard.subarray(from - base, to - base), from - start);
    base += shard.length;
    if (base >= start + length) break;
  }
  return out;
}

/** The tensor of one (checked) manifest entry. */
function unpack(entry: WeightEntry, shards: readonly Uint8Array[]): NamedTensor {
  const bytes = copyRange(shards, entry.byteOffset, entry.byteLength);
  const data: TypedArray = entry.dtype === 'float64' ? new Float64Array(bytes.buffer) : new Float32Array(bytes.buffer);
  return { name: entry.name, tensor: new Tensor(data, entry.shape) };
}

/** What checkArtifacts found valid: the json's parts, and the bytes, not yet copied into tensors. */
export interface CheckedArtifacts {
  /** The model's config, still opaque JSON (fromArtifacts checks it against the manifest). */
  modelConfig: unknown;
  /** The weights manifest: every entry well formed, back to back, covered by the bytes and their checksum. */
  weightsManifest: WeightEntry[];
  /** The optimizer's state, when the model was saved with one: its config and its own manifest. */
  optimizer?: {
    /** The optimizer's config (className, learning rate, ...), still opaque JSON. */
    config: Record<string, unknown>;
    /** Its tensors (momenta and the like), checked as the model's weights are; after them in the bytes. */
    weightsManifest: WeightEntry[];
  };
  /** The bytes, as the shards they came in. */
  shards: readonly Uint8Array[];
}

/**
 * Everything decodeArtifacts checks, without copying any tensor out (Note [What loading checks]):
 * the format, the version, the manifests, the length and the checksums. It allocates nothing that
 * grows with the input, so a reader can check a model.json from anywhere before it trusts it.
 * @param source where the artifacts came from, for the messages (see ArtifactsSource).
 * @throws ValueError naming the json or the weights and what is wrong with them.
 */
export function checkArtifacts(artifacts: ShardedArtifacts, source: ArtifactsSource = {}): CheckedArtifacts {
  const op = source.op ?? 'decodeArtifacts';
  checkLittleEndian(op);
  const json: unknown = artifacts?.modelJson;
  checkModelJson(json, source);
  const shards = shardsOf(artifacts.weightData, op);
  const names = namesOf(source, shards.length);
  const { json: jsonLabel, weights, is, has, its, holder } = names;
  const optimizer: unknown = json.optimizer;
  if (optimizer !== undefined) {
    const o = optimizer as { config?: unknown; weightsManifest?: unknown } | null;
    if (!Array.isArray(o?.weightsManifest)) {
      throw new ValueError(
        `${op}: ${jsonLabel}: optimizer.weightsManifest must be an array, but got ${JSON.stringify(o?.weightsManifest)}`,
      );
    }
    if (o.config === null || typeof o.config !== 'object' || Array.isArray(o.config)) {
      throw new ValueError(
        `${op}: ${jsonLabel}: optimizer.config must be an object, but got ${JSON.stringify(o.config)}`,
      );
    }
  }
  let needed = checkManifest(json.weightsManifest, 'weightsManifest', 0, names);
  needed = checkManifest(json.optimizer?.weightsManifest ?? [], 'optimizer.weightsManifest', needed, names);
  const length = shards.reduce((n, s) => n + s.length, 0);
  const count = (n: number) => n.toLocaleString('en-US');
  if (length < needed) {
    throw new ValueError(
      `${op}: ${weights} ${is} truncated: the manifest needs ${count(needed)} bytes but ${holder} ${has} ${count(length)}`,
    );
  }
  if (length > needed) {
    throw new ValueError(
      `${op}: ${weights} ${has} ${count(length)} bytes, but the manifest in ${jsonLabel} ` +
        `accounts for ${count(needed)}: they do not belong together`,
    );
  }
  const checksum = crc32(shards);
  if (checksum !== json.weightsChecksum) {
    throw new ValueError(
      `${op}: ${weights} ${is} corrupt: ${its} CRC-32 is ${checksum}, but ${jsonLabel} records ${json.weightsChecksum}`,
    );
  }
  if (json.manifestChecksum !== undefined) {
    const manifestChecksum = manifestCrc(json.weightsManifest, json.optimizer?.weightsManifest);
    if (manifestChecksum !== json.manifestChecksum) {
      throw new ValueError(
        `${op}: ${jsonLabel}: the weights manifest was modified: its CRC-32 is ${manifestChecksum}, ` +
          `but manifestChecksum records ${JSON.stringify(json.manifestChecksum)}`,
      );
    }
  }
  const checked: CheckedArtifacts = { modelConfig: json.modelConfig, weightsManifest: json.weightsManifest, shards };
  if (json.optimizer !== undefined) checked.optimizer = json.optimizer;
  return checked;
}

/**
 * The tensors of artifacts checkArtifacts accepted, copied out of the bytes: the second half of
 * decodeArtifacts, for a reader that checks more (fromArtifacts: the config against the manifest)
 * between the two.
 */
export function unpackArtifacts(checked: CheckedArtifacts): ModelData {
  const { shards } = checked;
  const data: ModelData = {
    modelConfig: checked.modelConfig,
    weights: checked.weightsManifest.map((e) => unpack(e, shards)),
  };
  if (checked.optimizer !== undefined) {
    data.optimizer = {
      config: checked.optimizer.config,
      tensors: checked.optimizer.weightsManifest.map((e) => unpack(e, shards)),
    };
  }
  return data;
}

/**
 * The inverse of encodeArtifacts: checks the format, version, manifests, length and checksums
 * (Note [What loading checks], checkArtifacts), then copies each tensor out of the bytes (unpackArtifacts).
 * @param source where the artifacts came from, for the messages (see ArtifactsSource).
 * @throws ValueError naming the json or the weights and what is wrong with them.
 */
export function decodeArtifacts(artifacts: ShardedArtifacts, source: ArtifactsSource = {}): ModelData {
  return unpackArtifacts(checkArtifacts(artifacts, source));
}
