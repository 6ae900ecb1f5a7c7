/**
 * A saved model is two things (the same split as TF.js's `model.json` + `*.bin` and Keras's
 * config + weights):
 *
 *   modelJson   { format: 'sinapse-model', formatVersion: 1, modelConfig, weightsManifest, weightsChecksum,
 *                 manifestChecksum, optimizer? }
 *   weightData  every weight's values back to back, little-endian, in the order of the manifest
 *
 * The manifest says where each weight lives: `{ name: 'conv1/kernel', shape: [5, 5, 1, 6],
 * dtype: 'float32', byteOffset: 0, byteLength: 600 }`. Optimizer tensors (momentum buffers, Adam's
 * moments) follow the model's weights in the same byte array, with their own manifest.
 *
 * Note [What loading checks]
 * The entries must tile the bytes exactly: each a valid shape and dtype with byteLength =
 * size · bytesPerElement, the first at byteOffset 0, each starting where the previous one ended,
 * the last ending at the end of weightData, and the names those of the model's weights in order.
 * weightsChecksum (CRC-32 of weightData) catches damaged bytes; manifestChecksum (CRC-32 of the
 * manifests' canonical JSON, see manifestCrc) catches an edited manifest that still tiles, such as
 * a shape [3, 4] turned into [4, 3]. manifestChecksum was added within formatVersion 1 and is
 * optional when reading, so files saved before it still load (with the structural checks only).
 *
 * Nothing here touches files: the browser keeps artifacts in memory or IndexedDB, and Node's
 * `save` / `loadModel` (src/node) write them to a directory.
 */

import type { Parameter } from '@sinapse/layers';
import { type DType, formatShape, Tensor, type TypedArray, ValueError } from '@sinapse/tensor';
import type { Sequential, SequentialConfig } from './Sequential';

/** The value of `modelJson.format`. */
export const MODEL_FORMAT = 'sinapse-model';
/** The only `modelJson.formatVersion` this version reads and writes. */
export const MODEL_FORMAT_VERSION = 1;

/**
 * An optimizer's state as models see it: opaque. Optimizers (in @sinapse/train) produce and consume
 * it; the model only stores it next to its weights so training can resume where it stopped.
 */
export interface OptimizerState {
  /** Plain JSON (learning rate, momentum, step count...). */
  config: Record<string, unknown>;
  /** Named tensors, e.g. { name: 'conv1/kernel/momentum', tensor }. */
  tensors: Array<{ name: string; tensor: Tensor }>;
}

/** Where one tensor lives in `weightData`. */
export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: DType;
  byteOffset: number;
  byteLength: number;
}

export interface ModelJson {
  format: typeof MODEL_FORMAT;
  formatVersion: typeof MODEL_FORMAT_VERSION;
  modelConfig: SequentialConfig;
  weightsManifest: WeightEntry[];
  /** CRC-32 of all of `weightData`, 8 hex digits. */
  weightsChecksum: string;
  /** CRC-32 of the manifests (see manifestCrc), 8 hex digits. Absent in files written before it existed. */
  manifestChecksum?: string;
  optimizer?: { config: Record<string, unknown>; weightsManifest: WeightEntry[] };
  /** Set by the Node adapter: the file holding `weightData`, relative to model.json ('weights-1a2b3c4d.bin'). */
  weightsFile?: string;
}

export interface ModelArtifacts {
  modelJson: ModelJson;
  weightData: Uint8Array;
}

/** How messages name the operation and the two halves ('loadModel', '/x/model.json', '/x/weights-ab12.bin'). */
export interface ArtifactLabels {
  op: string;
  jsonLabel: string;
  weightsLabel: string;
  /** How "has N bytes" names the weights: 'the file' on disk, 'it' in memory. */
  weightsHolder: string;
}

// ---- checksum --------------------------------------------------------------------------------

/**
 * CRC-32 (the polynomial of zip, PNG and Ethernet), one table lookup per byte. It catches every
 * burst of flipped bits up to 32 long, which is what a damaged or half-written file looks like.
 */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 of `bytes` as 8 lowercase hex digits: crc32(bytes of "123456789") = 'cbf43926'. */
export function crc32(bytes: Uint8Array): string {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return ((crc ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
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

// ---- writing ----------------------------------------------------------------------------------

/** Typed arrays use the machine's byte order; the format is little-endian, like every common CPU. */
function checkLittleEndian(op: string): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new ValueError(`${op}: this machine is big-endian; the weights format is little-endian`);
  }
}

/** Lays the tensors out back to back and builds the manifest. */
function pack(named: Array<{ name: string; tensor: Tensor }>, offset: number): { entries: WeightEntry[]; end: number } {
  const entries = named.map(({ name, tensor }) => {
    const byteLength = tensor.data.byteLength;
    const entry: WeightEntry = { name, shape: [...tensor.shape], dtype: tensor.dtype, byteOffset: offset, byteLength };
    offset += byteLength;
    return entry;
  });
  return { entries, end: offset };
}

/** Serializes a model's config and weights (plus optional optimizer state) to artifacts. */
export function writeArtifacts(
  modelConfig: SequentialConfig,
  weights: readonly Parameter[],
  optimizer: OptimizerState | undefined,
): ModelArtifacts {
  checkLittleEndian('toArtifacts');
  const model = pack(
    weights.map((p) => ({ name: p.name, tensor: p })),
    0,
  );
  const opt = optimizer === undefined ? null : pack(optimizer.tensors, model.end);
  const all = [...weights, ...(optimizer?.tensors.map((t) => t.tensor) ?? [])];
  const weightData = new Uint8Array(opt?.end ?? model.end);
  let offset = 0;
  for (const t of all) {
    weightData.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), offset);
    offset += t.data.byteLength;
  }
  const modelJson: ModelJson = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    modelConfig,
    weightsManifest: model.entries,
    weightsChecksum: crc32(weightData),
    manifestChecksum: manifestCrc(model.entries, opt?.entries),
  };
  if (optimizer !== undefined) {
    modelJson.optimizer = { config: optimizer.config, weightsManifest: opt!.entries };
  }
  return { modelJson, weightData };
}

// ---- reading ----------------------------------------------------------------------------------

/**
 * Checks `format` and `formatVersion`: the first thing a loader looks at, before it trusts anything else.
 * @throws ValueError naming the json and what is wrong.
 */
export function checkModelJson(json: unknown, labels: ArtifactLabels): asserts json is ModelJson {
  const { op, jsonLabel } = labels;
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
 * Checks one manifest's entries (Note [What loading checks]): each is well formed and starts where
 * the previous one ended, the first at `start`. Returns where the last one ends.
 * @throws ValueError naming the file, the manifest, the entry and what is wrong.
 */
function checkManifest(list: readonly unknown[], which: string, start: number, labels: ArtifactLabels): number {
  let offset = start;
  list.forEach((raw, i) => {
    const e = raw as Partial<WeightEntry> | null;
    const where = `${labels.op}: ${labels.jsonLabel}: ${which}[${i}]`;
    const bad = (rule: string) =>
      new ValueError(`${where}${typeof e?.name === 'string' ? ` ('${e.name}')` : ''} ${rule}`);
    if (e === null || typeof e !== 'object' || Array.isArray(e)) {
      throw new ValueError(
        `${where} must be an object { name, shape, dtype, byteOffset, byteLength }, but got ${JSON.stringify(raw)}`,
      );
    }
    if (typeof e.name !== 'string' || e.name === '')
      throw bad(`needs a name (a non-empty string), but got ${JSON.stringify(e.name)}`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw bad(`needs a shape of non-negative integers, but got ${JSON.stringify(e.shape)}`);
    }
    const itemSize = typeof e.dtype === 'string' ? BYTES_PER_ELEMENT[e.dtype] : undefined;
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

/** Copies one (checked) manifest entry out of the bytes (a copy, so a Float64Array needs no 8-byte alignment). */
function unpack(entry: WeightEntry, bytes: Uint8Array): Tensor {
  const copy = bytes.slice(entry.byteOffset, entry.byteOffset + entry.byteLength);
  const data: TypedArray = entry.dtype === 'float64' ? new Float64Array(copy.buffer) : new Float32Array(copy.buffer);
  return new Tensor(data, entry.shape);
}

/**
 * The inverse of `writeArtifacts`: checks the format, version, manifests, length and checksums
 * (Note [What loading checks]), rebuilds the model with `fromConfig`, and copies the weights in
 * after checking they match the model's.
 */
export function readArtifacts(
  artifacts: ModelArtifacts,
  fromConfig: (config: SequentialConfig) => Sequential,
  labels: ArtifactLabels,
): Sequential {
  const { op, jsonLabel, weightsLabel, weightsHolder } = labels;
  checkLittleEndian(op);
  const json: unknown = artifacts?.modelJson;
  checkModelJson(json, labels);
  const bytes = artifacts.weightData;
  if (!(bytes instanceof Uint8Array)) {
    throw new ValueError(`${op}: ${weightsLabel} must be a Uint8Array`);
  }
  const optimizerManifest: unknown = json.optimizer?.weightsManifest;
  if (json.optimizer !== undefined && !Array.isArray(optimizerManifest)) {
    throw new ValueError(
      `${op}: ${jsonLabel}: optimizer.weightsManifest must be an array, but got ${JSON.stringify(optimizerManifest)}`,
    );
  }
  let needed = checkManifest(json.weightsManifest, 'weightsManifest', 0, labels);
  needed = checkManifest(json.optimizer?.weightsManifest ?? [], 'optimizer.weightsManifest', needed, labels);
  if (bytes.length < needed) {
    throw new ValueError(
      `${op}: ${weightsLabel} is truncated: the manifest needs ${needed.toLocaleString('en-US')} bytes ` +
        `but ${weightsHolder} has ${bytes.length.toLocaleString('en-US')}`,
    );
  }
  if (bytes.length > needed) {
    throw new ValueError(
      `${op}: ${weightsLabel} has ${bytes.length.toLocaleString('en-US')} bytes, but the manifest in ${jsonLabel} ` +
        `accounts for ${needed.toLocaleString('en-US')}: they do not belong together`,
    );
  }
  const checksum = crc32(bytes);
  if (checksum !== json.weightsChecksum) {
    throw new ValueError(
      `${op}: ${weightsLabel} is corrupt: its CRC-32 is ${checksum}, but ${jsonLabel} records ${json.weightsChecksum}`,
    );
  }

  const model = fromConfig(json.modelConfig);
  const params = model.weights;
  const manifest = json.weightsManifest;
  const names = (list: Array<{ name: string }>) => list.map((w) => w.name).join(', ') || 'none';
  if (manifest.length !== params.length || manifest.some((e, i) => e.name !== params[i]!.name)) {
    throw new ValueError(
      `${op}: ${jsonLabel}: the weights manifest does not match the model: it lists [${names(manifest)}], ` +
        `but the model has [${names(params)}]`,
    );
  }
  // after the name check, whose message is more precise for the edit it catches
  if (json.manifestChecksum !== undefined) {
    const manifestChecksum = manifestCrc(json.weightsManifest, json.optimizer?.weightsManifest);
    if (manifestChecksum !== json.manifestChecksum) {
      throw new ValueError(
        `${op}: ${jsonLabel}: the weights manifest was modified: its CRC-32 is ${manifestChecksum}, ` +
          `but manifestChecksum records ${JSON.stringify(json.manifestChecksum)}`,
      );
    }
  }
  const values = manifest.map((e) => unpack(e, bytes));
  values.forEach((v, i) => {
    const p = params[i]!;
    if (v.dtype !== p.dtype) {
      throw new ValueError(
        `${op}: ${jsonLabel}: weight ${p.name} is ${v.dtype} in the file, but ${p.dtype} in the model`,
      );
    }
  });
  model.setWeights(values);
  if (json.optimizer !== undefined) {
    model.optimizerState = {
      config: json.optimizer.config,
      tensors: json.optimizer.weightsManifest.map((e) => ({ name: e.name, tensor: unpack(e, bytes) })),
    };
  }
  return model;
}
