/**
 * Shared plumbing of the elementwise ops (add, mul, relu, ...): turning number operands into
 * tensors, and running a kernel into a freshly allocated output. Each op file still spells out
 * its own validation and backward rule; only the bookkeeping lives here.
 */
import { allocate, type DType, promoteTypes, type TypedArray } from '../../dtype';
import { ValueError } from '../../errors';
import { type BinaryLayout, binaryLayout } from '../../kernels/cpu/broadcast';
import { broadcastShapes, sizeOf } from '../../shape';
import { Tensor, type TensorLike } from '../../tensor';

/** A kernel over two broadcast inputs, as in kernels/cpu/elementwise.ts. */
export type BinaryKernel = (a: TypedArray, b: TypedArray, y: TypedArray, layout: BinaryLayout) => void;

/**
 * The two operands of a binary op as tensors. A plain number becomes a scalar (shape []) of the
 * other operand's dtype, so `mul(x, 0.5)` keeps x's dtype; two numbers give float32 scalars.
 */
export function toTensors(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  assertTensorLike(op, 'a', a);
  assertTensorLike(op, 'b', b);
  const dtype: DType = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'float32';
  return [toTensor(a, dtype), toTensor(b, dtype)];
}

/** `x` itself if it is a tensor, otherwise a scalar tensor of `dtype` holding it. */
export function toTensor(x: TensorLike, dtype: DType): Tensor {
  if (x instanceof Tensor) return x;
  const data = allocate(dtype, 1);
  data[0] = x;
  return new Tensor(data, []);
}

/**
 * Runs a broadcasting binary kernel: the output has the broadcast shape of a and b (or the op
 * throws a ShapeError naming `op`) and the promoted dtype. No tape: the caller records.
 */
export function runBinary(op: string, a: Tensor, b: Tensor, kernel: BinaryKernel): Tensor {
  const shape = broadcastShapes(op, a.shape, b.shape);
  const y = new Tensor(allocate(promoteTypes(a.dtype, b.dtype), sizeOf(shape), op, shape), shape);
  kernel(a.data, b.data, y.data, binaryLayout(shape, a.shape, b.shape));
  return y;
}

/** Runs a unary kernel `(x, y) => void` into a new tensor of x's shape and dtype. No tape. */
export function runUnary(op: string, x: Tensor, kernel: (x: TypedArray, y: TypedArray) => void): Tensor {
  assertTensor(op, 'x', x);
  const y = new Tensor(allocate(x.dtype, x.size), x.shape);
  kernel(x.data, y.data);
  return y;
}

/**
 * TypeScript rules out a wrong argument type, but plain JavaScript callers get no such check, and
 * a string or an array would otherwise surface as NaNs or an obscure TypeError deep in a kernel.
 */
export function assertTensor(op: string, name: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) {
    throw new ValueError(`${op}: ${name} must be a Tensor, but got ${describe(x)}`);
  }
}

/** Like {@link assertTensor}, also accepting a plain number. */
export function assertTensorLike(op: string, name: string, x: unknown): asserts x is TensorLike {
  if (!(x instanceof Tensor) && typeof x !== 'number') {
    throw new ValueError(`${op}: ${name} must be a Tensor or a number, but got ${describe(x)}`);
  }
}

function describe(x: unknown): string {
  if (Array.isArray(x)) return `an array of length ${x.length} (wrap it with tensor(...))`;
  if (x === null) return 'null';
  return `${typeof x} ${String(x)}`;
}
