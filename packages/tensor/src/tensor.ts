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

/**
 * An n-dimensional array of float32 or float64 numbers, stored flat in row-major order (for an
 * NHWC image batch, element `[n, h, w, c]` is at `((n·H + h)·W + w)·C + c`), that remembers how it
 * was computed so `backward()` can send gradients back to its inputs. Tensors are immutable values:
 * every op returns a new one (see Note [Tensors are immutable values] in tensor.ts). Make them with
 * {@link @sinapse/tensor!tensor | tensor}, {@link @sinapse/tensor!zeros | zeros},
 * {@link @sinapse/tensor!randn | randn} and the other creation functions, not `new`.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], undefined, { requiresGrad: true });
 * const loss = x.mul(x).sum();     // Σ x², 30
 * loss.backward();
 * x.grad?.toArray();               // [[2, 4], [6, 8]], dL/dx = 2x
 */
export class Tensor {
  /** Dimensions, outermost first. `[]` is a scalar. Images are NHWC: [batch, height, width, channels]. */
  readonly shape: Shape;
  /** 'float32' (the default) or 'float64'; an op on both gives float64. */
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

  /**
   * `x.cast(dtype)`: this tensor's values in another dtype (`'float32'` or `'float64'`). The method form of
   * {@link @sinapse/tensor!cast | cast}(x, dtype).
   */
  cast(dtype: DType): Tensor {
    return ops.cast(this, dtype);
  }
  /**
   * `x.clone()`: a copy with its own storage; the gradient passes through unchanged. The method form of
   * {@link @sinapse/tensor!clone | clone}(x).
   */
  clone(): Tensor {
    return ops.clone(this);
  }
  /**
   * `x.zerosLike()`: zeros of this shape and dtype. The method form of
   * {@link @sinapse/tensor!zerosLike | zerosLike}(x).
   */
  zerosLike(): Tensor {
    return ops.zerosLike(this);
  }
  /**
   * `x.onesLike()`: ones of this shape and dtype. The method form of {@link @sinapse/tensor!onesLike | onesLike}(x).
   */
  onesLike(): Tensor {
    return ops.onesLike(this);
  }

  /**
   * `x.reshape(shape)`: the same values in another shape (one axis may be -1): `[N, H, W, C]` → `[N, H·W·C]` is
   * `x.reshape([-1, H * W * C])`. The method form of {@link @sinapse/tensor!reshape | reshape}(x, shape).
   */
  reshape(shape: Shape): Tensor {
    return ops.reshape(this, shape);
  }
  /**
   * `x.flatten(startAxis, endAxis)`: axes `startAxis..endAxis` merged into one (default: all). The method form of
   * {@link @sinapse/tensor!flatten | flatten}(x, startAxis, endAxis).
   */
  flatten(startAxis?: number, endAxis?: number): Tensor {
    return ops.flatten(this, startAxis, endAxis);
  }
  /**
   * `x.squeeze(axis)`: size-1 axes removed (all of them, or the given ones). The method form of
   * {@link @sinapse/tensor!squeeze | squeeze}(x, axis).
   */
  squeeze(axis?: number | readonly number[]): Tensor {
    return ops.squeeze(this, axis);
  }
  /**
   * `x.expandDims(axis)`: a size-1 axis inserted at `axis` (default 0): `[H, W]` → `[1, H, W]`. The method form of
   * {@link @sinapse/tensor!expandDims | expandDims}(x, axis).
   */
  expandDims(axis?: number): Tensor {
    return ops.expandDims(this, axis);
  }
  /**
   * `x.transpose(perm)`: axes permuted by `perm` (default: reversed). The method form of
   * {@link @sinapse/tensor!transpose | transpose}(x, perm).
   */
  transpose(perm?: readonly number[]): Tensor {
    return ops.transpose(this, perm);
  }
  /**
   * `x.permute(perm)`: axes permuted by `perm`: `y.shape[i] = x.shape[perm[i]]`. The method form of
   * {@link @sinapse/tensor!permute | permute}(x, perm).
   */
  permute(perm: readonly number[]): Tensor {
    return ops.permute(this, perm);
  }
  /**
   * `x.slice(begin, size)`: the block starting at `begin` of `size` (-1: to the end). The method form of
   * {@link @sinapse/tensor!slice | slice}(x, begin, size).
   */
  slice(begin: number | readonly number[], size?: number | readonly number[]): Tensor {
    return ops.slice(this, begin, size);
  }
  /**
   * `x.gather(indices, axis)`: the slices at `indices` along `axis` (default 0): `y[…, k, …] = x[…, indices[k], …]`.
   * The method form of {@link @sinapse/tensor!gather | gather}(x, indices, axis).
   */
  gather(indices: ops.Indices, axis?: number): Tensor {
    return ops.gather(this, indices, axis);
  }
  /**
   * `x.concat(others, axis)`: this tensor and `others` joined along `axis` (default 0), as
   * {@link @sinapse/tensor!concat | concat}([x, ...others], axis).
   */
  concat(others: Tensor | readonly Tensor[], axis?: number): Tensor {
    return ops.concat([this, ...(Array.isArray(others) ? others : [others as Tensor])], axis);
  }
  /**
   * `x.stack(others, axis)`: this tensor and `others` stacked on a new axis (default 0), as
   * {@link @sinapse/tensor!stack | stack}([x, ...others], axis).
   */
  stack(others: Tensor | readonly Tensor[], axis?: number): Tensor {
    return ops.stack([this, ...(Array.isArray(others) ? others : [others as Tensor])], axis);
  }
  /**
   * `x.pad(paddings, constantValue)`: `paddings[i] = [before, after]` cells added on axis i, filled with
   * `constantValue` (default 0). The method form of {@link @sinapse/tensor!pad | pad}(x, paddings, constantValue).
   */
  pad(paddings: ReadonlyArray<readonly [number, number]>, constantValue?: number): Tensor {
    return ops.pad(this, paddings, constantValue);
  }

  /** `x.add(other)`: `x + other`, broadcast. The method form of {@link @sinapse/tensor!add | add}(x, other). */
  add(other: TensorLike): Tensor {
    return ops.add(this, other);
  }
  /** `x.sub(other)`: `x − other`, broadcast. The method form of {@link @sinapse/tensor!sub | sub}(x, other). */
  sub(other: TensorLike): Tensor {
    return ops.sub(this, other);
  }
  /**
   * `x.mul(other)`: `x · other` elementwise, broadcast. The method form of {@link @sinapse/tensor!mul | mul}(x,
   * other).
   */
  mul(other: TensorLike): Tensor {
    return ops.mul(this, other);
  }
  /** `x.div(other)`: `x / other`, broadcast. The method form of {@link @sinapse/tensor!div | div}(x, other). */
  div(other: TensorLike): Tensor {
    return ops.div(this, other);
  }
  /**
   * `x.pow(exponent)`: `x ^ exponent`, broadcast. The method form of {@link @sinapse/tensor!pow | pow}(x, exponent).
   */
  pow(exponent: TensorLike): Tensor {
    return ops.pow(this, exponent);
  }
  /**
   * `x.maximum(other)`: `max(x, other)` elementwise, broadcast. The method form of
   * {@link @sinapse/tensor!maximum | maximum}(x, other).
   */
  maximum(other: TensorLike): Tensor {
    return ops.maximum(this, other);
  }
  /**
   * `x.minimum(other)`: `min(x, other)` elementwise, broadcast. The method form of
   * {@link @sinapse/tensor!minimum | minimum}(x, other).
   */
  minimum(other: TensorLike): Tensor {
    return ops.minimum(this, other);
  }
  /** `x.neg()`: `−x`. The method form of {@link @sinapse/tensor!neg | neg}(x). */
  neg(): Tensor {
    return ops.neg(this);
  }
  /** `x.exp()`: `e^x`. The method form of {@link @sinapse/tensor!exp | exp}(x). */
  exp(): Tensor {
    return ops.exp(this);
  }
  /** `x.log()`: `ln x`, the natural logarithm. The method form of {@link @sinapse/tensor!log | log}(x). */
  log(): Tensor {
    return ops.log(this);
  }
  /** `x.sqrt()`: `√x`. The method form of {@link @sinapse/tensor!sqrt | sqrt}(x). */
  sqrt(): Tensor {
    return ops.sqrt(this);
  }
  /** `x.square()`: `x²`. The method form of {@link @sinapse/tensor!square | square}(x). */
  square(): Tensor {
    return ops.square(this);
  }
  /** `x.abs()`: `|x|`. The method form of {@link @sinapse/tensor!abs | abs}(x). */
  abs(): Tensor {
    return ops.abs(this);
  }
  /**
   * `x.clip(min, max)`: each value clamped to `[min, max]`. The method form of
   * {@link @sinapse/tensor!clip | clip}(x, min, max).
   */
  clip(min: number, max: number): Tensor {
    return ops.clip(this, min, max);
  }
  /** `cond.where(a, b)`: a where this tensor is non-zero, b elsewhere. */
  where(a: TensorLike, b: TensorLike): Tensor {
    return ops.where(this, a, b);
  }

  /** `x.relu()`: `max(x, 0)`. The method form of {@link @sinapse/tensor!relu | relu}(x). */
  relu(): Tensor {
    return ops.relu(this);
  }
  /**
   * `x.leakyRelu(alpha)`: `x` where positive, `alpha · x` elsewhere (alpha defaults to 0.2, as in Keras). The method
   * form of {@link @sinapse/tensor!leakyRelu | leakyRelu}(x, alpha).
   */
  leakyRelu(alpha?: number): Tensor {
    return ops.leakyRelu(this, alpha);
  }
  /** `x.sigmoid()`: `1 / (1 + e^−x)`. The method form of {@link @sinapse/tensor!sigmoid | sigmoid}(x). */
  sigmoid(): Tensor {
    return ops.sigmoid(this);
  }
  /** `x.tanh()`: `tanh x`. The method form of {@link @sinapse/tensor!tanh | tanh}(x). */
  tanh(): Tensor {
    return ops.tanh(this);
  }
  /**
   * `x.softplus()`: `ln(1 + e^x)`, a smooth ReLU. The method form of {@link @sinapse/tensor!softplus | softplus}(x).
   */
  softplus(): Tensor {
    return ops.softplus(this);
  }
  /**
   * `x.gelu(approximate)`: `x · Φ(x)` (its tanh approximation when `approximate`). The method form of
   * {@link @sinapse/tensor!gelu | gelu}(x, approximate).
   */
  gelu(approximate?: boolean): Tensor {
    return ops.gelu(this, approximate);
  }
  /**
   * `x.softmax(axis)`: `e^x / Σ e^x` along `axis` (default the last). The method form of
   * {@link @sinapse/tensor!softmax | softmax}(x, axis).
   */
  softmax(axis?: number): Tensor {
    return ops.softmax(this, axis);
  }
  /**
   * `x.logSoftmax(axis)`: `x − ln Σ e^x` along `axis` (default the last), stable for large logits. The method form
   * of {@link @sinapse/tensor!logSoftmax | logSoftmax}(x, axis).
   */
  logSoftmax(axis?: number): Tensor {
    return ops.logSoftmax(this, axis);
  }

  /**
   * `x.sum(axis, keepDims)`: the sum over `axis` (default all axes). The method form of
   * {@link @sinapse/tensor!sum | sum}(x, axis, keepDims).
   */
  sum(axis?: number | readonly number[], keepDims?: boolean): Tensor {
    return ops.sum(this, axis, keepDims);
  }
  /**
   * `x.mean(axis, keepDims)`: the mean over `axis` (default all axes). The method form of
   * {@link @sinapse/tensor!mean | mean}(x, axis, keepDims).
   */
  mean(axis?: number | readonly number[], keepDims?: boolean): Tensor {
    return ops.mean(this, axis, keepDims);
  }
  /**
   * `x.max(axis, keepDims)`: the largest value over `axis` (default all axes). The method form of
   * {@link @sinapse/tensor!max | max}(x, axis, keepDims).
   */
  max(axis?: number | readonly number[], keepDims?: boolean): Tensor {
    return ops.max(this, axis, keepDims);
  }
  /**
   * `x.min(axis, keepDims)`: the smallest value over `axis` (default all axes). The method form of
   * {@link @sinapse/tensor!min | min}(x, axis, keepDims).
   */
  min(axis?: number | readonly number[], keepDims?: boolean): Tensor {
    return ops.min(this, axis, keepDims);
  }
  /**
   * `x.argmax(axis)`: the index of the largest value along `axis` (default: the flat index over the whole tensor);
   * `argmax(1)` of logits `[N, classes]` gives the predicted classes. The method form of
   * {@link @sinapse/tensor!argmax | argmax}(x, axis).
   */
  argmax(axis?: number): Tensor {
    return ops.argmax(this, axis);
  }
  /**
   * `x.variance(axis, keepDims)`: the mean squared deviation over `axis` (default all axes; divides by N, not N −
   * 1). The method form of {@link @sinapse/tensor!variance | variance}(x, axis, keepDims).
   */
  variance(axis?: number | readonly number[], keepDims?: boolean): Tensor {
    return ops.variance(this, axis, keepDims);
  }

  /**
   * `x.matMul(other, transposeA, transposeB)`: the matrix product `[m, k] × [k, n]` → `[m, n]` (batched over leading
   * axes). The method form of {@link @sinapse/tensor!matMul | matMul}(x, other, transposeA, transposeB).
   */
  matMul(other: Tensor, transposeA?: boolean, transposeB?: boolean): Tensor {
    return ops.matMul(this, other, transposeA, transposeB);
  }
  /**
   * `x.conv2d(kernel, options)`: 2-D convolution of `[N, H, W, C]` with a kernel `[kh, kw, C, filters]` → `[N,
   * H_out, W_out, filters]`. The method form of {@link @sinapse/tensor!conv2d | conv2d}(x, kernel, options).
   */
  conv2d(kernel: Tensor, options?: Conv2DOptions): Tensor {
    return ops.conv2d(this, kernel, options);
  }
  /**
   * `x.conv2dTranspose(kernel, options)`: the transposed convolution (conv2d's gradient by its input), which
   * upsamples; kernel `[kh, kw, filters, C]`. The method form of
   * {@link @sinapse/tensor!conv2dTranspose | conv2dTranspose}(x, kernel, options).
   */
  conv2dTranspose(kernel: Tensor, options?: Conv2DTransposeOptions): Tensor {
    return ops.conv2dTranspose(this, kernel, options);
  }
  /**
   * `x.resizeBilinear(size)`: NHWC images resized to `[height, width]` by bilinear interpolation. The method form of
   * {@link @sinapse/tensor!resizeBilinear | resizeBilinear}(x, size).
   */
  resizeBilinear(size: readonly [number, number]): Tensor {
    return ops.resizeBilinear(this, size);
  }
  /**
   * `x.depthwiseConv2d(kernel, options)`: each channel convolved with its own filters: kernel `[kh, kw, C,
   * multiplier]` → `[N, H_out, W_out, C · multiplier]`. The method form of
   * {@link @sinapse/tensor!depthwiseConv2d | depthwiseConv2d}(x, kernel, options).
   */
  depthwiseConv2d(kernel: Tensor, options?: Conv2DOptions): Tensor {
    return ops.depthwiseConv2d(this, kernel, options);
  }
  /**
   * `x.separableConv2d(depthwiseKernel, pointwiseKernel, options)`: a depthwise convolution, then a 1x1 convolution
   * that mixes the channels. The method form of {@link @sinapse/tensor!separableConv2d | separableConv2d}(x,
   * depthwiseKernel, pointwiseKernel, options).
   */
  separableConv2d(depthwiseKernel: Tensor, pointwiseKernel: Tensor, options?: Conv2DOptions): Tensor {
    return ops.separableConv2d(this, depthwiseKernel, pointwiseKernel, options);
  }
  /**
   * `x.fusedMatMul(other, options)`: `activation(x × other + bias)` in one op, as a Dense layer computes it. The
   * method form of {@link @sinapse/tensor!fusedMatMul | fusedMatMul}(x, other, options).
   */
  fusedMatMul(other: Tensor, options?: FusedMatMulOptions): Tensor {
    return ops.fusedMatMul(this, other, options);
  }
  /**
   * `x.fusedConv2d(kernel, options)`: `activation(conv2d(x, kernel) + bias)` in one op, as a Conv2D layer computes
   * it. The method form of {@link @sinapse/tensor!fusedConv2d | fusedConv2d}(x, kernel, options).
   */
  fusedConv2d(kernel: Tensor, options?: FusedConv2DOptions): Tensor {
    return ops.fusedConv2d(this, kernel, options);
  }
  /**
   * `x.maxPool2d(options)`: 2-D max pooling of NHWC images: the largest value of each window. The method form of
   * {@link @sinapse/tensor!maxPool2d | maxPool2d}(x, options).
   */
  maxPool2d(options?: Pool2DOptions): Tensor {
    return ops.maxPool2d(this, options);
  }
  /**
   * `x.avgPool2d(options)`: 2-D average pooling of NHWC images: the mean of each window. The method form of
   * {@link @sinapse/tensor!avgPool2d | avgPool2d}(x, options).
   */
  avgPool2d(options?: Pool2DOptions): Tensor {
    return ops.avgPool2d(this, options);
  }
  /**
   * `x.l2Pool2d(options)`: 2-D L2 pooling of NHWC images: `√(Σ x²)` over each window. The method form of
   * {@link @sinapse/tensor!l2Pool2d | l2Pool2d}(x, options).
   */
  l2Pool2d(options?: Pool2DOptions): Tensor {
    return ops.l2Pool2d(this, options);
  }
  /**
   * `x.globalMaxPool2d(options)`: the largest value of each channel over the whole image: `[N, H, W, C]` → `[N, C]`.
   * The method form of {@link @sinapse/tensor!globalMaxPool2d | globalMaxPool2d}(x, options).
   */
  globalMaxPool2d(options?: GlobalPool2DOptions): Tensor {
    return ops.globalMaxPool2d(this, options);
  }
  /**
   * `x.globalAvgPool2d(options)`: the mean of each channel over the whole image: `[N, H, W, C]` → `[N, C]`. The
   * method form of {@link @sinapse/tensor!globalAvgPool2d | globalAvgPool2d}(x, options).
   */
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
