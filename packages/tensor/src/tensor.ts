/**
 * The Tensor: an n-dimensional array of float32 or float64 numbers, stored flat in row-major
 * order, plus what autograd needs (requiresGrad, grad, and the GradNode that made it).
 *
 * Note [Tensors are immutable values]
 * Ops never change their inputs; each returns a new tensor. The only in-place writes are made by
 * optimizers on parameter leaves (under noGrad) and by kernels filling a freshly allocated output.
 * That is what lets a backward rule keep a reference to its input instead of copying it.
 *
 * Every op exists as a function (`add(x, y)`) and as a method with the same name (`x.add(y)`);
 * the methods below are one-line forwards to the functions in ./ops (methodTwins.test.ts checks
 * that every op taking a tensor first has its twin).
 *
 * Note [The tensor/ops circle]
 * The method twins make this file import every op (./ops/index), and most op files import Tensor
 * back to build their outputs; so do autograd/backward.ts (`x.backward()` calls runBackward, which
 * makes gradient tensors) and autograd/unbroadcast.ts. That is one circle of imports, and the only
 * one allowed in the workspace: `pnpm check:cycles` (scripts/check-cycles.mjs, run by .ci/run)
 * fails on any other, and on this one if it takes in a file outside tensor.ts, ops/ and autograd/
 * or gains a circle that does not go through this file.
 *
 * It is safe because of one rule: no file of the circle may use Tensor while its module is being
 * evaluated, only inside functions. Whichever file is imported first, most op files are evaluated
 * before this one, while `Tensor` is not defined yet: a top-level `const ONE = new Tensor(...)` in
 * an op would throw at import (importOrder.test.ts imports this file first to check). By the time
 * any op function is called, every module has finished evaluating. Likewise this file touches
 * `ops` only inside its methods.
 */
import { type BackwardOptions, runBackward } from './autograd/backward';
import type { GradNode } from './autograd/gradNode';
import { type DType, dtypeOf, type TypedArray } from './dtype';
import { ValueError } from './errors';
import { formatTensor } from './format';
import type {
  Conv2DOptions,
  Conv2DTransposeOptions,
  FusedConv2DOptions,
  FusedMatMulOptions,
  GlobalPool2DOptions,
  Pool2DOptions,
} from './ops/index';
import * as ops from './ops/index';
import { type Shape, sizeOf } from './shape';

/** Anything an elementwise op accepts as an operand: a tensor or a plain number (a scalar). */
export type TensorLike = Tensor | number;

let nextId = 0;

export class Tensor {
  /** Dimensions, outermost first. `[]` is a scalar. Images are NHWC: [batch, height, width, channels]. */
  readonly shape: Shape;
  readonly dtype: DType;
  /** Number of elements, the product of `shape`. */
  readonly size: number;
  /**
   * The live flat storage, row-major. Kernels read it and optimizers update parameters through
   * it; everyone else should use `dataSync()` (a copy) or `toArray()`.
   */
  readonly data: TypedArray;
  /** Unique, increasing: handy for debugging graphs. */
  readonly id: number;
  /** Whether gradients flow to (or through) this tensor. */
  requiresGrad = false;
  /** dL/d(this), filled by `backward()` on leaves that require a gradient; accumulates across calls. */
  grad: Tensor | null = null;
  /** @internal How this tensor was computed (null for leaves). See Note [The tape]. */
  gradNode: GradNode | null = null;

  /**
   * Wraps existing storage without copying. Most code should call `tensor()` instead, which
   * accepts nested arrays and checks them.
   */
  constructor(data: TypedArray, shape: Shape) {
    const size = sizeOf(shape);
    if (data.length !== size) {
      throw new ValueError(`Tensor: storage has ${data.length} elements but shape [${shape.join(', ')}] needs ${size}`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.size = size;
    this.dtype = dtypeOf(data);
    this.id = nextId++;
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** True for tensors the user created (not computed by an op that recorded a graph). */
  get isLeaf(): boolean {
    return this.gradNode === null;
  }

  // ---- reading -----------------------------------------------------------------------------

  /** Nested JS arrays mirroring the shape; a plain number for a scalar. */
  toArray(): NestedArray {
    if (this.rank === 0) return this.data[0]!;
    return toNested(this.data, this.shape, 0, 0);
  }

  /** A flat copy of the storage (changing it does not change the tensor). */
  dataSync(): TypedArray {
    return this.data.slice();
  }

  /** The single value of a one-element tensor, as a number. */
  item(): number {
    if (this.size !== 1) {
      throw new ValueError(
        `item: only one-element tensors can be converted to a number, but got shape [${this.shape.join(', ')}]`,
      );
    }
    return this.data[0]!;
  }

  /** NumPy-style printout, e.g. `tensor([[1, 2], [3, 4]])` prints `[[1. 2.]\n [3. 4.]]` (see format.ts). */
  toString(): string {
    return formatTensor(this);
  }

  // ---- autograd ----------------------------------------------------------------------------

  /**
   * Backpropagates from this tensor: fills `.grad` on every leaf with `requiresGrad` that it
   * depends on. With no argument the tensor must be a scalar (dL/dL = 1); otherwise pass the
   * upstream gradient, same shape as this tensor.
   */
  backward(gradient?: Tensor, options?: BackwardOptions): void {
    runBackward(this, gradient, options);
  }

  /** Forgets the accumulated gradient (`grad = null`), as before each training step. */
  zeroGrad(): void {
    this.grad = null;
  }

  /** The same values as a new leaf with no graph: gradients stop here. Shares storage. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  /** Marks this leaf as requiring a gradient (PyTorch `requires_grad_()`), and returns it. */
  requireGrad(requires = true): this {
    if (!this.isLeaf) {
      throw new ValueError('requireGrad: only leaves can be marked; call detach() first to make a new leaf');
    }
    this.requiresGrad = requires;
    return this;
  }

  // ---- method twins of the ops (see ./ops for the documentation of each) -------------------

  cast(dtype: DType): Tensor {
    return ops.cast(this, dtype);
  }
  clone(): Tensor {
    return ops.clone(this);
  }
  zerosLike(): Tensor {
    return ops.zerosLike(this);
  }
  onesLike(): Tensor {
    return ops.onesLike(this);
  }

  reshape(shape: Shape): Tensor {
    return ops.reshape(this, shape);
  }
  flatten(startAxis?: number, endAxis?: number): Tensor {
    return ops.flatten(this, startAxis, endAxis);
  }
  squeeze(axis?: number | readonly number[]): Tensor {
    return ops.squeeze(this, axis);
  }
  expandDims(axis?: number): Tensor {
    return ops.expandDims(this, axis);
  }
  transpose(perm?: readonly number[]): Tensor {
    return ops.transpose(this, perm);
  }
  permute(perm: readonly number[]): Tensor {
    return ops.permute(this, perm);
  }
  slice(begin: number | readonly number[], size?: number | readonly number[]): Tensor {
    return ops.slice(this, begin, size);
  }
  gather(indices: ops.Indices, axis?: number): Tensor {
    return ops.gather(this, indices, axis);
  }
  concat(others: Tensor | readonly Tensor[], axis?: number): Tensor {
    return ops.concat([this, ...(Array.isArray(others) ? others : [others as Tensor])], axis);
  }
  stack(others: Tensor | readonly Tensor[], axis?: number): Tensor {
    return ops.stack([this, ...(Array.isArray(others) ? others : [others as Tensor])], axis);
  }
  pad(paddings: ReadonlyArray<readonly [number, number]>, constantValue?: number): Tensor {
    return ops.pad(this, paddings, constantValue);
  }

  add(other: TensorLike): Tensor {
    return ops.add(this, other);
  }
  sub(other: TensorLike): Tensor {
    return ops.sub(this, other);
  }
  mul(other: TensorLike): Tensor {
    return ops.mul(this, other);
  }
  div(other: TensorLike): Tensor {
    return ops.div(this, other);
  }
  pow(exponent: TensorLike): Tensor {
    return ops.pow(this, exponent);
  }
  maximum(other: TensorLike): Tensor {
    return ops.maximum(this, other);
  }
  minimum(other: TensorLike): Tensor {
    return ops.minimum(this, other);
  }
  neg(): Tensor {
    return ops.neg(this);
  }
  exp(): Tensor {
    return ops.exp(this);
  }
  log(): Tensor {
    return ops.log(this);
  }
  sqrt(): Tensor {
    return ops.sqrt(this);
  }
  square(): Tensor {
    return ops.square(this);
  }
  abs(): Tensor {
    return ops.abs(this);
  }
  clip(min: number, max: number): Tensor {
    return ops.clip(this, min, max);
  }
  /** `cond.where(a, b)`: a where this tensor is non-zero, b elsewhere. */
  where(a: TensorLike, b: TensorLike): Tensor {
    return ops.where(this, a, b);
  }

  relu(): Tensor {
    return ops.relu(this);
  }
  leakyRelu(alpha?: number): Tensor {
    return ops.leakyRelu(this, alpha);
  }
  sigmoid(): Tensor {
    return ops.sigmoid(this);
  }
  tanh(): Tensor {
    return ops.tanh(this);
  }
  softplus(): Tensor {
    return ops.softplus(this);
  }
  gelu(approximate?: boolean): Tensor {
    return ops.gelu(this, approximate);
  }
  softmax(axis?: number): Tensor {
    return ops.softmax(this, axis);
  }
  logSoftmax(axis?: number): Tensor {
    return ops.logSoftmax(this, axis);
  }

  sum(axis?: number | readonly number[], keepDims?: boolean): Tensor {
    return ops.sum(this, axis, keepDims);
  }
  mean(axis?: number | readonly number[], keepDims?: boolean): Tensor {
    return ops.mean(this, axis, keepDims);
  }
  max(axis?: number | readonly number[], keepDims?: boolean): Tensor {
    return ops.max(this, axis, keepDims);
  }
  min(axis?: number | readonly number[], keepDims?: boolean): Tensor {
    return ops.min(this, axis, keepDims);
  }
  argmax(axis?: number): Tensor {
    return ops.argmax(this, axis);
  }
  variance(axis?: number | readonly number[], keepDims?: boolean): Tensor {
    return ops.variance(this, axis, keepDims);
  }

  matMul(other: Tensor, transposeA?: boolean, transposeB?: boolean): Tensor {
    return ops.matMul(this, other, transposeA, transposeB);
  }
  conv2d(kernel: Tensor, options?: Conv2DOptions): Tensor {
    return ops.conv2d(this, kernel, options);
  }
  conv2dTranspose(kernel: Tensor, options?: Conv2DTransposeOptions): Tensor {
    return ops.conv2dTranspose(this, kernel, options);
  }
  resizeBilinear(size: readonly [number, number]): Tensor {
    return ops.resizeBilinear(this, size);
  }
  depthwiseConv2d(kernel: Tensor, options?: Conv2DOptions): Tensor {
    return ops.depthwiseConv2d(this, kernel, options);
  }
  separableConv2d(depthwiseKernel: Tensor, pointwiseKernel: Tensor, options?: Conv2DOptions): Tensor {
    return ops.separableConv2d(this, depthwiseKernel, pointwiseKernel, options);
  }
  fusedMatMul(other: Tensor, options?: FusedMatMulOptions): Tensor {
    return ops.fusedMatMul(this, other, options);
  }
  fusedConv2d(kernel: Tensor, options?: FusedConv2DOptions): Tensor {
    return ops.fusedConv2d(this, kernel, options);
  }
  maxPool2d(options?: Pool2DOptions): Tensor {
    return ops.maxPool2d(this, options);
  }
  avgPool2d(options?: Pool2DOptions): Tensor {
    return ops.avgPool2d(this, options);
  }
  l2Pool2d(options?: Pool2DOptions): Tensor {
    return ops.l2Pool2d(this, options);
  }
  globalMaxPool2d(options?: GlobalPool2DOptions): Tensor {
    return ops.globalMaxPool2d(this, options);
  }
  globalAvgPool2d(options?: GlobalPool2DOptions): Tensor {
    return ops.globalAvgPool2d(this, options);
  }
}

/** What `toArray()` returns: a number, or arrays of arrays of numbers. */
export type NestedArray = number | NestedArray[];

function toNested(data: TypedArray, shape: Shape, axis: number, offset: number): NestedArray[] {
  const n = shape[axis]!;
  const out: NestedArray[] = new Array(n);
  if (axis === shape.length - 1) {
    for (let i = 0; i < n; i++) out[i] = data[offset + i]!;
    return out;
  }
  let inner = 1;
  for (let a = axis + 1; a < shape.length; a++) inner *= shape[a]!;
  for (let i = 0; i < n; i++) out[i] = toNested(data, shape, axis + 1, offset + i * inner);
  return out;
}
