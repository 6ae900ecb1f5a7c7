/**
 * Element types. float32 is the default, as in every deep-learning framework; float64 exists so
 * that gradient checks and teaching examples can be exact (JS numbers are doubles already).
 */
export type DType = 'float32' | 'float64';

/** The flat storage behind a tensor. Kernels are written once against this union. */
export type TypedArray = Float32Array | Float64Array;

/** A zero-filled array of `size` elements of `dtype`. */
export function allocate(dtype: DType, size: number): TypedArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
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
