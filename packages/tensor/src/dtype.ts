/**
 * Element types. float32 is the default, as in every deep-learning framework; float64 exists so
 * that gradient checks and teaching examples can be exact (JS numbers are doubles already).
 */
import { ValueError } from './errors';

/** A tensor's element type: 32-bit floats (the default, stored in a Float32Array) or 64-bit (Float64Array). */
export type DType = 'float32' | 'float64';

/** The flat storage behind a tensor. Kernels are written once against this union. */
export type TypedArray = Float32Array | Float64Array;

/**
 * The most elements one tensor can hold: 2³² (4,294,967,296), the longest typed array V8 (Node,
 * Chrome) makes; a float32 tensor that long is 16 GiB. Past it the engine would throw
 * `RangeError: Invalid typed array length`, which names neither the op nor the shape.
 */
export const MAX_ELEMENTS = 2 ** 32;

/** Bytes per element of each dtype. */
export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = { float32: 4, float64: 8 };

/**
 * A zero-filled array of `size` elements of `dtype`: the one place tensor storage is allocated.
 * `op` and `shape` name what it is for in the error when it cannot be made.
 *
 * @throws ValueError when `size` is not a count, exceeds {@link MAX_ELEMENTS}, or the engine
 *   cannot find the memory; the message gives the shape, the element count, the bytes and the limit.
 */
export function allocate(dtype: DType, size: number, op = 'allocate', shape?: readonly number[]): TypedArray {
  checkSize(op, dtype, size, shape);
  try {
    return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
  } catch (err) {
    // "Array buffer allocation failed": within the limit, but more memory than the engine can get
    if (!(err instanceof RangeError)) throw err;
    throw new ValueError(
      `${op}: ${sizeMessage(dtype, size, shape)}, and the engine could not allocate that much memory (${err.message})`,
    );
  }
}

/**
 * Throws the ValueError `allocate` would throw for a tensor of `size` elements, without allocating:
 * for code that wants to refuse a size before doing other work (a layer before building its weights).
 */
export function checkSize(op: string, dtype: DType, size: number, shape?: readonly number[]): void {
  if (!(Number.isInteger(size) && size >= 0 && size <= MAX_ELEMENTS)) {
    throw new ValueError(
      `${op}: ${sizeMessage(dtype, size, shape)}, more than a tensor can hold (${MAX_ELEMENTS} elements, the engine's typed-array limit)`,
    );
  }
}

/** "the result [100000, 100000] would have 10000000000 elements (40 GB as float32)" */
function sizeMessage(dtype: DType, size: number, shape: readonly number[] | undefined): string {
  const what = shape === undefined ? 'the tensor' : `the result [${shape.join(', ')}]`;
  if (!Number.isFinite(size) || size < 0 || !Number.isInteger(size))
    return `${what} would have ${size} elements, which is not a count`;
  return `${what} would have ${size} elements (${formatBytes(size * BYTES_PER_ELEMENT[dtype])} as ${dtype})`;
}

/** 40000000000 → "40 GB" (decimal units, 3 significant digits). */
function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let u = 0;
  while (bytes >= 1000 && u < units.length - 1) {
    bytes /= 1000;
    u++;
  }
  return `${u === 0 ? bytes : Number(bytes.toPrecision(3))} ${units[u]}`;
}

/** The dtype of a typed array. */
export function dtypeOf(data: TypedArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

/** Result dtype of an op over several inputs: float64 if any input is float64 (no precision is lost). */
export function promoteTypes(a: DType, b: DType): DType {
  return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
}

export function isDType(value: unknown): value is DType {
  return value === 'float32' || value === 'float64';
}
