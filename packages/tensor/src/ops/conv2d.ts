import { record } from '../autograd/record';
import { allocate, type DType, promoteTypes, type TypedArray } from '../dtype';
import { ShapeError } from '../errors';
import type { FusedActivation } from '../kernels/backend';
import { type Backend, type Conv2DInfo, computeConv2DInfo, getBackend } from '../kernels/index';
import { formatShape, sizeOf } from '../shape';
import { Tensor } from '../tensor';
import { checkImageBatch, checkOptions, checkOutputNotEmpty, checkPadding, normalizePair } from './internal/convUtil';

/** Options of {@link conv2d}, named as in TF.js. */
export interface Conv2DOptions {
  /** Step between windows, [strideH, strideW]; a number means both. Default 1. */
  strides?: number | readonly [number, number];
  /** 'valid': no padding; 'same': pad so that out = ceil(in / stride). Default 'valid'. */
  padding?: 'valid' | 'same';
  /** Spacing between kernel taps, [dilationH, dilationW]. Default 1. */
  dilationRate?: number | readonly [number, number];
}

/**
 * 2-D convolution of a batch of NHWC images with a bank of filters (Keras `Conv2D` without bias).
 * As in every deep-learning framework it is a cross-correlation: the kernel is not flipped.
 *
 *   y[n, oh, ow, f] = Σ_{kh, kw, c} x[n, oh·sh − padTop + kh·dh, ow·sw − padLeft + kw·dw, c] · kernel[kh, kw, c, f]
 *
 * where cells outside the image are zeros ('same' padding).
 *
 * **Shape**
 * - x: `[N, H, W, C]`; kernel: `[KH, KW, C, F]`; y: `[N, H_out, W_out, F]`.
 * - With the dilated kernel size KH' = (KH − 1)·dh + 1 (likewise KW'):
 *   'valid': `H_out = floor((H − KH') / sh) + 1`; 'same': `H_out = ceil(H / sh)`, padding
 *   `max((H_out − 1)·sh + KH' − H, 0)` split top/bottom with the odd cell at the bottom, as in
 *   TensorFlow (see Note [Padding: 'valid' and 'same'] in kernels/conv2dInfo.ts). Same for W.
 *
 * Strides above 1 may be combined with dilation above 1. TensorFlow refuses that combination
 * (its kernels do not implement it); the definition above is well defined for it, and our
 * kernels compute it directly.
 *
 * @param x       images, `[batch, height, width, inChannels]`
 * @param kernel  filters, `[kernelHeight, kernelWidth, inChannels, filters]` (Keras/TF layout)
 * @param options `strides` (default 1), `padding` (default 'valid'), `dilationRate` (default 1)
 * @returns `[batch, outHeight, outWidth, filters]`, dtype promoted from x and kernel
 * @throws ShapeError if x or kernel is not rank 4, if their channels differ (with a hint when x
 *   looks NCHW), or if the kernel does not fit ('valid' padding gives an empty output).
 * @throws ValueError for strides or dilationRate that are not positive integers, or an unknown padding.
 * @example
 * const x = arange(16).reshape([1, 4, 4, 1]);        // 0..15, row by row
 * const k = tensor([[1, 0], [0, -1]]).reshape([2, 2, 1, 1]);
 * conv2d(x, k).reshape([3, 3]).toArray();
 * // [[-5, -5, -5], [-5, -5, -5], [-5, -5, -5]]       (x[i, j] − x[i+1, j+1] = −5 everywhere)
 */
export function conv2d(x: Tensor, kernel: Tensor, options: Conv2DOptions = {}): Tensor {
  const op = 'conv2d';
  checkOptions(op, options, "{ strides: 1, padding: 'same' }", CONV2D_OPTION_NAMES);
  const plan = planConv2d(op, x, kernel, options);
  const y = runConv2d(plan);
  // dx = dy ⋆ᵀ kernel (transposed convolution); dkernel[kh, kw, c, f] = Σ_{n, oh, ow} x[n, ih, iw, c] · dy[n, oh, ow, f]
  return record(op, [x, kernel], y, (dy) => conv2dGrads(plan, x, kernel, dy.cast(plan.dtype).data));
}

// ---- the steps of conv2d, shared with fusedConv2d -----------------------------------------------
// Exported for fusedConv2d.ts only (ops/index.ts does not list them, so the package does not export
// them). They stay here rather than in internal/ because they are conv2d itself: its checks, its
// forward and its backward; fusedConv2d is these steps plus the bias + activation epilogue.

/** The options conv2d accepts (fusedConv2d accepts these and its own). */
export const CONV2D_OPTION_NAMES: readonly string[] = ['strides', 'padding', 'dilationRate'];

/**
 * A validated convolution, ready for the kernels: its geometry, the dtype it computes in, x and
 * the kernel in that dtype, and the backend that runs it forward and backward. Made by
 * {@link planConv2d}; conv2d and fusedConv2d share it.
 */
export interface Conv2DPlan {
  readonly info: Conv2DInfo;
  readonly dtype: DType;
  readonly xData: TypedArray;
  readonly wData: TypedArray;
  readonly outShape: readonly [number, number, number, number];
  readonly backend: Backend;
  /** The op the plan is for, named in errors. */
  readonly op: string;
}

/**
 * Checks x, kernel and the window options as documented on {@link conv2d} (errors name `op`),
 * and computes the geometry. The options object's keys are checked by the caller (each op knows
 * its own). `computeDtype` defaults to the promotion of x's and kernel's dtypes.
 */
export function planConv2d(
  op: string,
  x: Tensor,
  kernel: Tensor,
  options: Conv2DOptions,
  computeDtype?: DType,
): Conv2DPlan {
  checkImageBatch(op, x);
  if (kernel.rank !== 4) {
    throw new ShapeError(
      `${op}: kernel must be rank 4 [kernelHeight, kernelWidth, inChannels, filters], but got shape ${formatShape(kernel.shape)}`,
    );
  }
  if (kernel.size === 0) {
    throw new ShapeError(`${op}: kernel must not be empty, but got shape ${formatShape(kernel.shape)}`);
  }
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const [kh, kw, kernelIn, filters] = kernel.shape as [number, number, number, number];
  if (kernelIn !== channels) {
    // [1, 3, 28, 28] with a [.., .., 3, ..] kernel: almost certainly channels-first data
    const looksNCHW = x.shape[1] === kernelIn;
    const hint = looksNCHW
      ? '. The input looks NCHW [batch, channels, height, width], but Sinapse expects NHWC: use x.transpose([0, 2, 3, 1])'
      : '';
    throw new ShapeError(
      `${op}: kernel inChannels (axis 2) must equal the input's channels (axis 3), but got kernel inChannels ${kernelIn} ` +
        `and input channels ${channels} (input shape ${formatShape(x.shape)}, kernel shape ${formatShape(kernel.shape)})${hint}`,
    );
  }
  const strides = normalizePair(op, 'strides', options.strides ?? 1);
  const dilation = normalizePair(op, 'dilationRate', options.dilationRate ?? 1);
  const padding = options.padding ?? 'valid';
  checkPadding(op, padding);
  const info = computeConv2DInfo([batch, height, width, channels], [kh, kw], filters, strides, dilation, padding);
  checkOutputNotEmpty(op, info, padding, 'kernel');

  // mixed float32/float64: compute in float64 (the gradients are cast back to each input's dtype)
  const dtype = computeDtype ?? promoteTypes(x.dtype, kernel.dtype);
  return {
    info,
    dtype,
    xData: x.dtype === dtype ? x.data : Float64Array.from(x.data),
    wData: kernel.dtype === dtype ? kernel.data : Float64Array.from(kernel.data),
    outShape: [batch, info.outHeight, info.outWidth, filters],
    backend: getBackend(),
    op,
  };
}

/** y = the planned convolution, a new [batch, outHeight, outWidth, filters] tensor. */
export function runConv2d(
  plan: Conv2DPlan,
  epilogue?: { bias: TypedArray | null; activation: FusedActivation },
): Tensor {
  const y = new Tensor(allocate(plan.dtype, sizeOf(plan.outShape), plan.op, plan.outShape), plan.outShape);
  const { backend, xData, wData, info } = plan;
  if (epilogue === undefined) {
    backend.conv2d(xData, wData, y.data, info);
  } else if (backend.fusedConv2d !== undefined) {
    // y = act(conv + bias) before y leaves the backend's memory (fusedConv2d.ts)
    backend.fusedConv2d(xData, wData, y.data, info, epilogue.bias, epilogue.activation);
  } else {
    backend.conv2d(xData, wData, y.data, info);
    backend.biasActivation(y.data, epilogue.bias, info.outChannels, epilogue.activation);
  }
  return y;
}

/**
 * The convolution's gradients for the upstream gradient `g` (y's shape, in plan.dtype):
 * [dx, dkernel], each null when that input does not require a gradient.
 */
export function conv2dGrads(
  plan: Conv2DPlan,
  x: Tensor,
  kernel: Tensor,
  g: TypedArray,
): [Tensor | null, Tensor | null] {
  let dx: Tensor | null = null;
  let dk: Tensor | null = null;
  if (x.requiresGrad) {
    dx = new Tensor(allocate(plan.dtype, x.size), x.shape);
    plan.backend.conv2dBackpropInput(g, plan.wData, dx.data, plan.info);
  }
  if (kernel.requiresGrad) {
    dk = new Tensor(allocate(plan.dtype, kernel.size), kernel.shape);
    plan.backend.conv2dBackpropFilter(plan.xData, g, dk.data, plan.info);
  }
  return [dx, dk];
}
