/**
 * The checks fromOnnx makes on a decoded ONNX model before it builds or allocates anything: an .onnx file
 * is untrusted input (a web page's file input, a download), so every field it reads is checked for its type
 * and range, and every tensor's dims against the data it holds.
 *
 * Note [Limits of an ONNX graph]
 * Decoding is linear in the bytes, so the decoded lists are as long as the file allows, and nothing here
 * loops over one list per element of another: a node's consumers come from one map, names from one set.
 * The lists are still capped (ONNX_LIMITS) far above any CNN (ResNet-152 has about 500 nodes), so that a
 * small file of a million empty nodes is refused at once instead of becoming a million layers. Every dim
 * is an integer from 0 to 2^31 − 1 (ONNX Runtime's limit), and a tensor's dims must multiply to exactly
 * the number of values its raw_data or float_data / int64_data hold; the values are read after that, and only
 * when a node uses them, so a constant costs at most its bytes in the file again (float32 from raw bytes).
 * A graph is read in the order its nodes come (ONNX's is topological): a node may only use values
 * computed before it, so a cycle is an error naming the input, never a loop.
 */
import { ConfigError, ValueError } from '@sinapse/tensor';
import { AttributeType, DataType } from './proto';

/** Note [Limits of an ONNX graph]. */
export const ONNX_LIMITS = {
  nodes: 10_000,
  initializers: 10_000,
  graphInputs: 64,
  graphOutputs: 64,
  nodeInputs: 1_024,
  nodeOutputs: 16,
  attributes: 64,
  attributeValues: 64,
  rank: 8,
  /** The largest dim (ONNX Runtime's int32 limit). */
  dim: 2 ** 31 - 1,
} as const;

type Json = Record<string, unknown>;

/** An ONNX TensorProto as protobufjs decodes it (toObject: longs as numbers, arrays always present). */
export interface OnnxTensor {
  name?: string;
  dims?: number[];
  dataType?: number;
  rawData?: Uint8Array;
  floatData?: number[];
  int64Data?: number[];
  int32Data?: number[];
}

export interface OnnxAttribute {
  name?: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  ints?: number[];
  floats?: number[];
  t?: OnnxTensor;
}

export interface OnnxNode {
  opType?: string;
  name?: string;
  input: string[];
  output: string[];
  attribute: OnnxAttribute[];
}

export interface OnnxGraph {
  name?: string;
  node: OnnxNode[];
  initializer: OnnxTensor[];
  input: Json[];
  output: Json[];
}

/** A constant: an initializer or a Constant node's value, its values read after its dims were checked. */
export interface Const {
  dims: number[];
  /** The element count (the product of dims), known before the values are read. */
  size: number;
  /** Read on first use. */
  readonly values: Float32Array | number[];
}

/** A name from the file for a message, cut at 100 characters (a hostile one can be megabytes). */
export function short(name: unknown): string {
  const s = String(name);
  return s.length > 100 ? `${s.slice(0, 97)}...` : s;
}

/** A list's length against its limit (Note [Limits of an ONNX graph]). */
export function checkCount(who: string, field: string, list: readonly unknown[], limit: number): void {
  if (list.length > limit) {
    throw new ValueError(
      `${who}: ${field} has ${list.length.toLocaleString('en-US')} entries, more than the ${limit.toLocaleString('en-US')} a model may have here`,
    );
  }
}

/** dims: at most ONNX_LIMITS.rank integers from 0 to 2^31 − 1; returns their product. */
export function checkDims(who: string, field: string, dims: readonly unknown[]): number {
  if (dims.length > ONNX_LIMITS.rank) {
    throw new ValueError(`${who}: ${field} has rank ${dims.length}, more than ${ONNX_LIMITS.rank}`);
  }
  let n = 1;
  dims.forEach((d, k) => {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > ONNX_LIMITS.dim) {
      throw new ValueError(`${who}: ${field}[${k}] must be an integer from 0 to 2^31 − 1, but got ${String(d)}`);
    }
    n *= d;
  });
  return n;
}

/**
 * A constant's values, after checking its dims against the data it holds (Note [Limits of an ONNX graph]).
 * `field` names it: "graph.initializer[3] 'conv1.weight'".
 */
export function readTensor(who: string, field: string, t: OnnxTensor): Const {
  if (t === null || typeof t !== 'object') throw new ValueError(`${who}: ${field} is not a tensor`);
  const dims = t.dims ?? [];
  const n = checkDims(who, `${field} dims`, dims);
  const shape = `dims [${dims.join(', ')}]`;
  const float = t.dataType === DataType.FLOAT;
  if (!float && t.dataType !== DataType.INT64) {
    throw new ConfigError(`${who}: ${field} has data_type ${String(t.dataType)}; float32 (1) and int64 (7) are read`);
  }
  const per = float ? 4 : 8;
  const raw = t.rawData;
  if (raw !== undefined && raw.byteLength > 0) {
    if (raw.byteLength !== n * per) {
      throw new ValueError(
        `${who}: ${field} raw_data holds ${raw.byteLength.toLocaleString('en-US')} bytes, but ${shape} of ${float ? 'float32' : 'int64'} take ${(n * per).toLocaleString('en-US')}`,
      );
    }
    return lazy(dims, n, () => {
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      if (float) {
        const values = new Float32Array(n);
        for (let i = 0; i < n; i++) values[i] = view.getFloat32(i * 4, true);
        return values;
      }
      const values: number[] = new Array(n);
      for (let i = 0; i < n; i++) values[i] = Number(view.getBigInt64(i * 8, true));
      return values;
    });
  }
  const list = (float ? t.floatData : t.int64Data) ?? [];
  if (list.length !== n) {
    throw new ValueError(
      `${who}: ${field} ${float ? 'float_data' : 'int64_data'} has ${list.length.toLocaleString('en-US')} values, but ${shape} need ${n.toLocaleString('en-US')}`,
    );
  }
  return lazy(dims, n, () => (float ? Float32Array.from(list) : [...list]));
}

/** A constant whose values are read when a node first uses them: a graph refused later allocates nothing for them. */
function lazy(dims: number[], size: number, read: () => Float32Array | number[]): Const {
  let values: Float32Array | number[] | undefined;
  return {
    dims,
    size,
    get values() {
      values ??= read();
      return values;
    },
  };
}

/** What kind of value an attribute holds, by the field that carries it. */
const FIELD_OF_TYPE: Record<number, keyof OnnxAttribute> = {
  [AttributeType.FLOAT]: 'f',
  [AttributeType.INT]: 'i',
  [AttributeType.STRING]: 's',
  [AttributeType.TENSOR]: 't',
  [AttributeType.FLOATS]: 'floats',
  [AttributeType.INTS]: 'ints',
};
const TYPE_NAMES: Record<number, string> = {
  [AttributeType.FLOAT]: 'a float',
  [AttributeType.INT]: 'an int',
  [AttributeType.STRING]: 'a string',
  [AttributeType.TENSOR]: 'a tensor',
  [AttributeType.FLOATS]: 'floats',
  [AttributeType.INTS]: 'ints',
};

/**
 * A node's attributes, read with their types and ranges checked. `where` names the node
 * ("fromOnnx: model.onnx: graph.node[4] 'conv1' (Conv)").
 */
export class Attributes {
  private readonly byName = new Map<string, OnnxAttribute>();

  constructor(
    private readonly where: string,
    list: readonly OnnxAttribute[],
  ) {
    checkCount(where, 'attribute', list, ONNX_LIMITS.attributes);
    for (const [k, a] of list.entries()) {
      if (typeof a.name !== 'string' || a.name === '') throw new ValueError(`${where}: attribute ${k} has no name`);
      if (this.byName.has(a.name)) throw new ValueError(`${where}: attribute '${a.name}' is given twice`);
      this.byName.set(a.name, a);
    }
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The attribute's value field, after checking its declared type (protobuf leaves a zero value out). */
  private field(name: string, type: number): OnnxAttribute | undefined {
    const a = this.byName.get(name);
    if (a === undefined) return undefined;
    const declared = a.type ?? 0;
    const present = Object.entries(FIELD_OF_TYPE).filter(([, f]) => {
      const v = a[f];
      return v !== undefined && !(Array.isArray(v) && v.length === 0);
    });
    const ok = declared === 0 ? present.every(([t]) => Number(t) === type) : declared === type;
    if (!ok) {
      const got =
        declared !== 0
          ? (TYPE_NAMES[declared] ?? `type ${declared}`)
          : present.map(([t]) => TYPE_NAMES[Number(t)]).join(' and ');
      throw new ConfigError(`${this.where}: attribute '${name}' must be ${TYPE_NAMES[type]}, but it is ${got}`);
    }
    return a;
  }

  int(name: string, fallback: number, min = -ONNX_LIMITS.dim, max = ONNX_LIMITS.dim): number {
    const a = this.field(name, AttributeType.INT);
    if (a === undefined) return fallback;
    const v = a.i ?? 0;
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new ConfigError(
        `${this.where}: attribute '${name}' must be an integer from ${min} to ${max}, but got ${v}`,
      );
    }
    return v;
  }

  /** A list of `length` integers (any length when undefined), each from min to max. */
  ints(name: string, fallback: number[], length?: number, min = -ONNX_LIMITS.dim, max = ONNX_LIMITS.dim): number[] {
    const a = this.field(name, AttributeType.INTS);
    if (a === undefined) return fallback;
    const v = a.ints ?? [];
    checkCount(`${this.where}: attribute '${name}'`, 'ints', v, ONNX_LIMITS.attributeValues);
    if ((length !== undefined && v.length !== length) || v.some((x) => !Number.isInteger(x) || x < min || x > max)) {
      throw new ConfigError(
        `${this.where}: attribute '${name}' must be ${length ?? 'a list of'} integers from ${min} to ${max}, but got [${v.join(', ')}]`,
      );
    }
    return v;
  }

  /** A finite float. */
  float(name: string, fallback: number): number {
    const a = this.field(name, AttributeType.FLOAT);
    if (a === undefined) return fallback;
    const v = a.f ?? 0;
    if (!Number.isFinite(v)) throw new ConfigError(`${this.where}: attribute '${name}' must be finite, but got ${v}`);
    return v;
  }

  string(name: string, fallback: string): string {
    const a = this.field(name, AttributeType.STRING);
    if (a === undefined) return fallback;
    return new TextDecoder().decode(a.s ?? new Uint8Array(0));
  }

  tensor(name: string): OnnxTensor | undefined {
    return this.field(name, AttributeType.TENSOR)?.t;
  }
}
