/**
 * Making tensors: from JS values (`tensor`), filled (`zeros`, `ones`, `full`, `eye`, `arange`)
 * and random (`rand`, `randn`, `randInt`). Random draws come from the library-wide generator that
 * `seed(n)` resets, unless a `generator` is passed.
 */
import { allocate, type DType, isDType, type TypedArray } from '../dtype';
import { ShapeError, ValueError } from '../errors';
import { type Generator, getGenerator } from '../random';
import { assertValidShape, formatShape, type Shape, sizeOf } from '../shape';
import { type NestedArray, Tensor } from '../tensor';

/** Options of the creation functions (`tensor`, `zeros`, `ones`, `full`, ...). */
export interface CreationOptions {
  /** Element type. Default 'float32' (for `tensor()`, 'float64' when given a Float64Array). */
  dtype?: DType;
  /** Make the result a leaf that collects gradients in `.grad`. Default false. */
  requiresGrad?: boolean;
}

/** Options of the random creation functions (`rand`, `randn`, `randInt`). */
export interface RandomOptions extends CreationOptions {
  /** Where the random numbers come from. Default: the library-wide generator (see `seed`). */
  generator?: Generator;
}

/** What `tensor()` accepts: a number, nested arrays of numbers, or a typed array (flat). */
export type TensorInput = number | NestedArray | ArrayLike<number>;

/**
 * Creates a tensor from JS values, copying them.
 *
 * The shape is inferred from the nesting (`[[1, 2], [3, 4]]` is [2, 2]) or given explicitly, in
 * which case the values are read flat in row-major order and their count must match.
 *
 * @throws ValueError for ragged nesting, non-numbers, or a count that does not match `shape`.
 * @example
 * tensor([[1, 2], [3, 4]]).shape;                  // [2, 2]
 * tensor([1, 2, 3, 4, 5, 6], [2, 3]).toArray();    // [[1, 2, 3], [4, 5, 6]]
 */
export function tensor(values: TensorInput, shape?: Shape, options: CreationOptions = {}): Tensor {
  const dtype = options.dtype ?? (values instanceof Float64Array ? 'float64' : 'float32');
  checkDType('tensor', dtype);
  let flat: TypedArray;
  let inferred: number[];
  if (typeof values === 'number') {
    flat = allocate(dtype, 1);
    flat[0] = values;
    inferred = [];
  } else if (ArrayBuffer.isView(values)) {
    if (values instanceof DataView || values instanceof BigInt64Array || values instanceof BigUint64Array) {
      throw new ValueError(
        `tensor: typed arrays must hold numbers (Float32Array, Int32Array, Uint8Array, ...), but got a ${values.constructor.name}`,
      );
    }
    flat = allocate(dtype, values.length);
    flat.set(values as ArrayLike<number>);
    inferred = [values.length];
  } else if (Array.isArray(values)) {
    inferred = inferShape(values);
    flat = allocate(dtype, sizeOf(inferred));
    flattenInto(values, flat, inferred, 0, 0, []);
  } else {
    throw new ValueError(
      `tensor: values must be a number, a (nested) array of numbers or a typed array, but got ${describe(values)}`,
    );
  }
  let finalShape: Shape = inferred;
  if (shape !== undefined) {
    assertValidShape('tensor', shape);
    if (sizeOf(shape) !== flat.length) {
      throw new ShapeError(
        `tensor: shape ${formatShape(shape)} needs ${sizeOf(shape)} values, but got ${flat.length} (inferred shape ${formatShape(inferred)})`,
      );
    }
    finalShape = shape;
  }
  return leaf(flat, finalShape, options);
}

/** A tensor of zeros. @example zeros([2, 3]).toArray(); // [[0, 0, 0], [0, 0, 0]] */
export function zeros(shape: Shape, options: CreationOptions = {}): Tensor {
  assertValidShape('zeros', shape);
  return filled('zeros', shape, 0, options);
}

/** A tensor of ones. @example ones([2]).toArray(); // [1, 1] */
export function ones(shape: Shape, options: CreationOptions = {}): Tensor {
  assertValidShape('ones', shape);
  return filled('ones', shape, 1, options);
}

/** A tensor with every element equal to `value`. @example full([2], 7).toArray(); // [7, 7] */
export function full(shape: Shape, value: number, options: CreationOptions = {}): Tensor {
  assertValidShape('full', shape);
  return filled('full', shape, value, options);
}

function filled(op: string, shape: Shape, value: number, options: CreationOptions): Tensor {
  const dtype = options.dtype ?? 'float32';
  checkDType(op, dtype);
  const data = allocate(dtype, sizeOf(shape), op, shape);
  if (value !== 0) data.fill(value);
  return leaf(data, shape, options);
}

/** Zeros with the shape and dtype of `x`. */
export function zerosLike(x: Tensor): Tensor {
  return new Tensor(allocate(x.dtype, x.size), x.shape);
}

/** Ones with the shape and dtype of `x`. */
export function onesLike(x: Tensor): Tensor {
  return new Tensor(allocate(x.dtype, x.size).fill(1), x.shape);
}

/**
 * Evenly spaced values in [start, stop), like NumPy: `arange(4)` is [0, 1, 2, 3] and
 * `arange(1, 2, 0.25)` is [1, 1.25, 1.5, 1.75].
 */
export function arange(start: number, stop?: number, step = 1, options: CreationOptions = {}): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (step === 0 || !Number.isFinite(step))
    throw new ValueError(`arange: step must be a non-zero finite number, but got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const dtype = options.dtype ?? 'float32';
  checkDType('arange', dtype);
  const data = allocate(dtype, n, 'arange', [n]);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return leaf(data, [n], options);
}

/** The identity matrix, n×m (m defaults to n). @example eye(2).toArray(); // [[1, 0], [0, 1]] */
export function eye(n: number, m = n, options: CreationOptions = {}): Tensor {
  assertValidShape('eye', [n, m]);
  const t = filled('eye', [n, m], 0, options);
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return t;
}

/** Uniform random values in [low, high) (default [0, 1)). */
export function rand(shape: Shape, options: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  assertValidShape('rand', shape);
  const { low = 0, high = 1 } = options;
  if (!(high > low)) throw new ValueError(`rand: high must be greater than low, but got low=${low}, high=${high}`);
  const g = options.generator ?? getGenerator();
  const data = allocate(options.dtype ?? 'float32', sizeOf(shape), 'rand', shape);
  for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * g.uniform();
  return leaf(data, shape, options);
}

/** Normally distributed random values (default mean 0, std 1). */
export function randn(shape: Shape, options: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  assertValidShape('randn', shape);
  const { mean = 0, std = 1 } = options;
  if (!(std >= 0)) throw new ValueError(`randn: std must be non-negative, but got ${std}`);
  const g = options.generator ?? getGenerator();
  const data = allocate(options.dtype ?? 'float32', sizeOf(shape), 'randn', shape);
  for (let i = 0; i < data.length; i++) data[i] = mean + std * g.normal();
  return leaf(data, shape, options);
}

/** Random integers in [low, high), stored as floats (labels, indices). */
export function randInt(shape: Shape, low: number, high: number, options: RandomOptions = {}): Tensor {
  assertValidShape('randInt', shape);
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ValueError(`randInt: low and high must be integers with low < high, but got low=${low}, high=${high}`);
  }
  const g = options.generator ?? getGenerator();
  const data = allocate(options.dtype ?? 'float32', sizeOf(shape), 'randInt', shape);
  for (let i = 0; i < data.length; i++) data[i] = g.int(low, high);
  return leaf(data, shape, options);
}

function leaf(data: TypedArray, shape: Shape, options: CreationOptions): Tensor {
  const t = new Tensor(data, shape);
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

function checkDType(op: string, dtype: unknown): void {
  if (!isDType(dtype))
    throw new ValueError(`${op}: dtype must be 'float32' or 'float64', but got ${JSON.stringify(dtype)}`);
}

/** The shape of a nested array, checking that it is not ragged. */
function inferShape(values: NestedArray[]): number[] {
  const shape: number[] = [];
  let level: NestedArray = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0]!;
  }
  return shape;
}

function flattenInto(
  values: NestedArray,
  out: TypedArray,
  shape: readonly number[],
  axis: number,
  offset: number,
  path: number[],
): number {
  if (axis === shape.length) {
    if (typeof values !== 'number') {
      throw new ValueError(
        `tensor: expected a number at [${path.join(', ')}] (nesting depth ${shape.length}, shape ${formatShape(shape)}), but got ${describe(values)}; is the array ragged?`,
      );
    }
    out[offset] = values;
    return offset + 1;
  }
  if (!Array.isArray(values) || values.length !== shape[axis]) {
    const got = Array.isArray(values) ? `an array of length ${values.length}` : describe(values);
    throw new ValueError(
      `tensor: ragged nested array: expected ${shape[axis]} elements at [${path.join(', ')}] (as in the first row, shape ${formatShape(shape)}), but got ${got}`,
    );
  }
  for (let i = 0; i < values.length; i++) {
    path.push(i);
    offset = flattenInto(values[i]!, out, shape, axis + 1, offset, path);
    path.pop();
  }
  return offset;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}
