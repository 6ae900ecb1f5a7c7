/**
 * The weights half of the TF.js Layers format: a manifest of named tensors and the bytes they live in.
 *
 *   weightsManifest  [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'],
 *                       weights: [{ name: 'conv1/kernel', shape: [5, 5, 1, 6], dtype: 'float32' }, …] }, …]
 *
 * Each group's shards, read in order and joined, hold its tensors back to back, little-endian, in
 * the order listed; a shard boundary may fall inside a tensor (tensorflowjs_converter cuts at 4 MB).
 * Nothing says where a tensor starts: its offset is the sum of the sizes before it. So the sizes must
 * be right, and Note [Check before allocating] checks them first.
 *
 * Note [Quantized weights]
 * tensorflowjs_converter --quantize_uint8 / --quantize_uint16 / --quantize_float16 stores a float32
 * tensor in fewer bits, and says so in the entry: `quantization: { dtype: 'uint8', scale, min }`.
 * The stored integers q map back affinely, one scale and one min per tensor:
 *
 *   w = q · scale + min        q ∈ [0, 255] (uint8) or [0, 65535] (uint16)
 *
 * computed in float64 and rounded to float32 once, as TF.js's decodeWeights does, so both give the same
 * float32 bits. float16 stores IEEE half floats (1 sign, 5 exponent, 10 mantissa bits), which float32
 * holds exactly. Dequantizing is lossless from the stored values, but quantizing lost precision
 * (uint8 keeps about 2 significant digits): a quantized model predicts close to, not equal to, the original.
 *
 * Note [Check before allocating]
 * A manifest is untrusted input: a shape of [1e9, 1e9] must be an error, not an attempt at 4 EB. So
 * every entry is checked (name, shape of at most 8 integers from 0 to 2^31 − 1 whose product fits a
 * tensor, a dtype we read, the quantization fields) and the byte count it implies is added up per group and compared with the bytes the group's
 * shards hold, all before a single typed array is made.
 */
import { MAX_ELEMENTS, ValueError } from '@sinapse/tensor';

/** The largest dim of a manifest entry (as ONNX's: a 32-bit signed size), and the largest rank. */
const MAX_DIM = 2 ** 31 - 1;
const MAX_RANK = 8;

/** A value (a shape, an entry) for a message, cut at 80 characters (a hostile one can be long). */
function describeShape(shape: unknown): string {
  const s = JSON.stringify(shape) ?? String(shape);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** The dtypes a Layers-format entry may have (what TF.js writes for layer weights). */
export type LayersWeightDType = 'float32' | 'int32';

/** How a quantized entry is stored (Note [Quantized weights]). */
export interface Quantization {
  /** How each value is stored: an 8- or 16-bit integer q (affine, below), or an IEEE half float. */
  dtype: 'uint8' | 'uint16' | 'float16';
  /** For uint8 / uint16: w = q · scale + min. */
  scale?: number;
  /** For uint8 / uint16: the value q = 0 stands for, the tensor's minimum. */
  min?: number;
}

/** One tensor of a manifest group (TF.js's `WeightsManifestEntry`). */
export interface LayersWeightSpec {
  /** Keras's weight name, `<layer>/<weight>` ('conv2d_1/kernel'); TF.js may add a scope prefix. */
  name: string;
  /** Its shape, in Keras's layout (`[kh, kw, inChannels, filters]` for a conv kernel). */
  shape: number[];
  /** The dtype after dequantizing. */
  dtype: LayersWeightDType;
  /** How it is stored when quantized (Note [Quantized weights]); absent: plain float32 or int32. */
  quantization?: Quantization;
}

/** A group of a model.json's weightsManifest: the shard files and the tensors they hold, in order. */
export interface WeightsManifestGroup {
  /** The group's shard files, relative to model.json, read in order and joined. */
  paths: string[];
  /** The tensors those bytes hold, back to back, in order. */
  weights: LayersWeightSpec[];
}

/** A decoded tensor: its name, shape and float32 (or int32) values. */
export interface DecodedWeight {
  name: string;
  shape: number[];
  values: Float32Array | Int32Array;
}

/** Where the bytes came from, for messages: "loadLayersModel: /m/model.json: …". */
export interface WeightsSource {
  /** First in every message. */
  who: string;
  /** How the bytes of group g are named in messages ('weightData', or the shard files). */
  describeGroup?: (group: number) => string;
}

const STORED_BYTES = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 } as const;

/** Bytes one entry takes in its group: its element count times the stored element size. */
function storedBytes(spec: LayersWeightSpec): number {
  const per = STORED_BYTES[spec.quantization?.dtype ?? spec.dtype];
  return spec.shape.reduce((a, b) => a * b, 1) * per;
}

/** Checks one entry's fields (Note [Check before allocating]); `where` names it in messages. */
function checkSpec(who: string, spec: LayersWeightSpec, where: string): void {
  if (spec === null || typeof spec !== 'object' || typeof spec.name !== 'string' || spec.name === '') {
    throw new ValueError(`${who}: ${where} must be { name, shape, dtype }, but got ${describeShape(spec)}`);
  }
  const what = `${where} ('${spec.name}')`;
  if (
    !Array.isArray(spec.shape) ||
    spec.shape.length > MAX_RANK ||
    spec.shape.some((d) => !Number.isInteger(d) || d < 0 || d > MAX_DIM)
  ) {
    throw new ValueError(
      `${who}: ${what} shape must be a list of at most ${MAX_RANK} integers from 0 to 2^31 − 1, but got ${describeShape(spec.shape)}`,
    );
  }
  const size = spec.shape.reduce((a, b) => a * b, 1);
  if (size > MAX_ELEMENTS) {
    throw new ValueError(
      `${who}: ${what} has shape [${spec.shape.join(', ')}], ${size} elements, more than a tensor can hold (${MAX_ELEMENTS})`,
    );
  }
  if (spec.dtype !== 'float32' && spec.dtype !== 'int32') {
    throw new ValueError(
      `${who}: ${what} dtype must be 'float32' or 'int32' (the dtypes of layer weights), but got ${describeShape(spec.dtype)}`,
    );
  }
  const q = spec.quantization;
  if (q === undefined) return;
  if (q === null || typeof q !== 'object' || !['uint8', 'uint16', 'float16'].includes(q.dtype)) {
    throw new ValueError(
      `${who}: ${what} quantization must be { dtype: 'uint8' | 'uint16' | 'float16', scale?, min? }, but got ${describeShape(q)}`,
    );
  }
  if (q.dtype === 'float16') {
    if (spec.dtype !== 'float32') {
      throw new ValueError(
        `${who}: ${what} is float16-quantized, which only float32 weights can be, but it is ${spec.dtype}`,
      );
    }
  } else if (!Number.isFinite(q.scale) || !Number.isFinite(q.min)) {
    throw new ValueError(
      `${who}: ${what} is ${q.dtype}-quantized and needs finite scale and min numbers, but got scale ${q.scale}, min ${q.min}`,
    );
  }
}

/**
 * Checks a list of groups against the byte counts of their data (Note [Check before allocating]):
 * every entry valid, names unique over all groups, and each group's entries adding up exactly to its bytes.
 * @throws ValueError naming the entry, or the group and both byte counts.
 */
export function checkManifest(
  groups: readonly LayersWeightSpec[][],
  byteCounts: readonly number[],
  source: WeightsSource,
): void {
  const { who } = source;
  const describe =
    source.describeGroup ?? ((g: number) => (groups.length === 1 ? 'weightData' : `weights group ${g + 1}`));
  const seen = new Set<string>();
  groups.forEach((specs, g) => {
    if (!Array.isArray(specs))
      throw new ValueError(`${who}: weights group ${g + 1} must list its weights, but got ${describeShape(specs)}`);
    let total = 0;
    specs.forEach((spec, i) => {
      checkSpec(who, spec, groups.length === 1 ? `weight ${i}` : `weight ${i} of group ${g + 1}`);
      if (seen.has(spec.name)) throw new ValueError(`${who}: the manifest lists weight '${spec.name}' twice`);
      seen.add(spec.name);
      total += storedBytes(spec);
    });
    if (total !== byteCounts[g]) {
      const dir = total > byteCounts[g]! ? 'is truncated' : 'has bytes no weight accounts for';
      const listed = specs
        .slice(0, 3)
        .map((s) => `${s.name} [${s.shape.join(', ')}] ${s.quantization?.dtype ?? s.dtype}`);
      if (specs.length > 3) listed.push(`… ${specs.length - 3} more`);
      throw new ValueError(
        `${who}: ${describe(g)} ${dir}: its ${specs.length} manifest entr${specs.length === 1 ? 'y' : 'ies'} (${listed.join(', ') || 'none'}) ` +
          `take${specs.length === 1 ? 's' : ''} ${total.toLocaleString('en-US')} bytes, but it holds ${byteCounts[g]!.toLocaleString('en-US')}`,
      );
    }
  });
}

/** The bytes of several chunks as one: copied only when there is more than one. */
export function joinBytes(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * The tensors of one group from its joined bytes, dequantized (Note [Quantized weights]).
 * The group must have passed checkManifest.
 */
export function decodeGroup(specs: readonly LayersWeightSpec[], bytes: Uint8Array): DecodedWeight[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  return specs.map((spec) => {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const values = spec.dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
    const q = spec.quantization;
    if (q === undefined && spec.dtype === 'int32') {
      for (let i = 0; i < n; i++, at += 4) values[i] = view.getInt32(at, true);
    } else if (q === undefined) {
      for (let i = 0; i < n; i++, at += 4) values[i] = view.getFloat32(at, true);
    } else if (q.dtype === 'float16') {
      for (let i = 0; i < n; i++, at += 2) values[i] = halfToFloat(view.getUint16(at, true));
    } else {
      const scale = q.scale!;
      const min = q.min!;
      if (q.dtype === 'uint8') for (let i = 0; i < n; i++, at += 1) values[i] = bytes[at]! * scale + min;
      else for (let i = 0; i < n; i++, at += 2) values[i] = view.getUint16(at, true) * scale + min;
    }
    return { name: spec.name, shape: [...spec.shape], values };
  });
}

/** A float32 tensor to store, and how (optional quantization). */
export interface WeightToEncode {
  name: string;
  shape: readonly number[];
  values: ArrayLike<number>;
}

/**
 * The manifest entries and bytes for these weights, stored as float32 or quantized
 * (the inverse of decodeGroup; Note [Quantized weights]). Quantization to uint8/uint16 picks
 * min = the smallest value and scale = (max − min) / (2^bits − 1), so both ends are stored exactly.
 */
export function encodeGroup(
  weights: readonly WeightToEncode[],
  quantize?: Quantization['dtype'],
): { specs: LayersWeightSpec[]; bytes: Uint8Array } {
  const specs: LayersWeightSpec[] = [];
  const sizes = weights.map((w) => w.values.length * STORED_BYTES[quantize ?? 'float32']);
  const bytes = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const w of weights) {
    const spec: LayersWeightSpec = { name: w.name, shape: [...w.shape], dtype: 'float32' };
    const v = w.values;
    if (quantize === undefined) {
      for (let i = 0; i < v.length; i++, at += 4) view.setFloat32(at, v[i]!, true);
    } else if (quantize === 'float16') {
      spec.quantization = { dtype: 'float16' };
      for (let i = 0; i < v.length; i++, at += 2) view.setUint16(at, floatToHalf(v[i]!), true);
    } else {
      const levels = quantize === 'uint8' ? 255 : 65535;
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < v.length; i++) {
        if (v[i]! < min) min = v[i]!;
        if (v[i]! > max) max = v[i]!;
      }
      if (v.length === 0) min = max = 0;
      const scale = max > min ? (max - min) / levels : 1;
      spec.quantization = { dtype: quantize, scale, min };
      for (let i = 0; i < v.length; i++) {
        const q = Math.min(levels, Math.max(0, Math.round((v[i]! - min) / scale)));
        if (quantize === 'uint8') bytes[at++] = q;
        else {
          view.setUint16(at, q, true);
          at += 2;
        }
      }
    }
    specs.push(spec);
  }
  return { specs, bytes };
}

// ---- half floats (IEEE 754 binary16) --------------------------------------------------------------

/** A binary16 bit pattern as a number: ±2^(e−15) · 1.m for normal e, ±2^−14 · 0.m for e = 0, ±∞ / NaN for e = 31. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24; // subnormal: 0.m · 2^−14 = m · 2^−24
  if (e === 31) return m === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The nearest binary16 (ties to even) of a float32 value, as its bit pattern; overflow gives ±∞. */
export function floatToHalf(x: number): number {
  f32[0] = x;
  const bits = u32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const e = (bits >>> 23) & 0xff;
  const m = bits & 0x7fffff;
  if (e === 0xff) return sign | 0x7c00 | (m !== 0 ? 0x200 : 0); // ∞ or NaN
  const exp = e - 127 + 15; // the binary16 exponent field
  if (exp >= 31) return sign | 0x7c00; // too large: ∞
  if (exp <= 0) {
    // subnormal (or zero) in binary16: value = M · 2^−24 with M = round(1.m · 2^(e−127+24))
    if (exp < -10) return sign; // below half the smallest subnormal: ±0
    const full = m | 0x800000; // 1.m as a 24-bit integer
    const shift = 14 - exp; // 23 − 10 + (1 − exp)
    return sign | roundShift(full, shift);
  }
  // normal: keep 10 of the 23 mantissa bits, rounding; a carry out of the mantissa bumps the exponent, as it should
  return sign | ((exp << 10) + roundShift(m, 13));
}

/** `v / 2^shift` rounded to the nearest integer, ties to even. */
function roundShift(v: number, shift: number): number {
  const q = v >>> shift;
  const rest = v - q * 2 ** shift;
  const half = 2 ** (shift - 1);
  return rest > half || (rest === half && (q & 1) === 1) ? q + 1 : q;
}
