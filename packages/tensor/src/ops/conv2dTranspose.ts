import { record } from '../autograd/record';
import { allocate, promoteTypes } from '../dtype';
import { ShapeError, ValueError } from '../errors';
import { computeConv2DInfo, getBackend } from '../kernels/index';
import { formatShape } from '../shape';
import { Tensor } from '../tensor';
import { checkImageBatch, checkOptions, checkPadding, nhwc, normalizePair } from './internal/convUtil';

/** Options of {@link conv2dTranspose} (Keras's Conv2DTranspose names). */
export interface Conv2DTransposeOptions {
  /** The stride of the convolution this one transposes: the upsampling factor. Default 1. */
  strides?: number | readonly [number, number];
  /** The padding of that convolution. Default 'valid'. */
  padding?: 'valid' | 'same';
  /** Extra rows and columns at the bottom and right, each < its stride (Keras's rule below). Default none. */
  outputPadding?: number | readonly [number, number] | null;
  /** Spacing between kernel taps. Default 1. */
  dilationRate?: number | readonly [number, number];
}

/**
 * Transposed 2-D convolution ("deconvolution"): the gradient of {@link conv2d} with respect to its
 * input, used as a layer that upsamples. Each input value x[n, i, j, c] stamps the kernel, scaled by
 * it, onto the output at (i·sh − padTop, j·sw − padLeft); overlapping stamps add up:
 *
 *   y[n, i·sh − padTop + a·dh, j·sw − padLeft + b·dw, f] += x[n, i, j, c] · kernel[a, b, f, c]
 *
 * So conv2d(y, kernel) with the same strides and padding maps y's shape back to x's, and this op is
 * exactly that convolution's backward pass (the same kernel, Conv2DBackpropInput in TensorFlow).
 *
 * **Shape**: x `[N, H, W, C]`, kernel `[KH, KW, F, C]` (Keras's Conv2DTranspose layout: filters
 * before input channels) → `[N, H_out, W_out, F]`, with KH' = (KH − 1)·dh + 1 (Keras's
 * deconv_output_length):
 * - no outputPadding: 'valid': `H_out = H·sh + max(KH' − sh, 0)`; 'same': `H_out = H·sh`;
 * - outputPadding p: `H_out = (H − 1)·sh + KH' − 2·pad + p`, pad = floor(KH'/2) for 'same', 0 for 'valid'.
 * The padding of the convolution is then TensorFlow's for an input of H_out (Note [Padding]).
 *
 * @param x       `[batch, height, width, channels]`
 * @param kernel  `[kernelHeight, kernelWidth, filters, channels]`
 * @throws ShapeError if x or kernel is not rank 4, or the kernel's last axis is not x's channels.
 * @throws ValueError for bad strides, dilationRate or padding, or an outputPadding not smaller than its stride.
 * @example
 * // one pixel stamps the 2x2 kernel, scaled by 3, with stride 2 each pixel gets its own 2x2 block
 * const y = conv2dTranspose(tensor([3], [1, 1, 1, 1]), tensor([1, 2, 3, 4], [2, 2, 1, 1]), { strides: 2 });
 * y.reshape([2, 2]).toArray(); // [[3, 6], [9, 12]]
 */
export function conv2dTranspose(x: Tensor, kernel: Tensor, options: Conv2DTransposeOptions = {}): Tensor {
  const op = 'conv2dTranspose';
  checkOptions(op, options, '{ strides: 2, padding: "same" }', ['strides', 'padding', 'outputPadding', 'dilationRate']);
  checkImageBatch(op, x);
  if (kernel.rank !== 4 || kernel.size === 0) {
    throw new ShapeError(
      `${op}: kernel must be a non-empty rank-4 [kernelHeight, kernelWidth, filters, inChannels], but got shape ${formatShape(kernel.shape)}`,
    );
  }
  const [batch, height, width, channels] = nhwc(x);
  const [kh, kw, filters, kernelIn] = kernel.shape as [number, number, number, number];
  if (kernelIn !== channels) {
    throw new ShapeError(
      `${op}: kernel inChannels (axis 3, after filters) must equal the input's channels (axis 3), but got kernel ` +
        `inChannels ${kernelIn} and input channels ${channels} (input shape ${formatShape(x.shape)}, kernel shape ${formatShape(kernel.shape)})`,
    );
  }
  const strides = normalizePair(op, 'strides', options.strides ?? 1);
  const dilation = normalizePair(op, 'dilationRate', options.dilationRate ?? 1);
  const padding = options.padding ?? 'valid';
  checkPadding(op, padding);
  const outputPadding = options.outputPadding ?? null;
  const extra = outputPadding === null ? null : normalizeOutputPadding(op, outputPadding, strides);

  // Keras's deconv_output_length, along each axis
  const outLength = (size: number, k: number, s: number, d: number, p: number | null): number => {
    const kEff = (k - 1) * d + 1;
    if (p === null) return padding === 'same' ? size * s : size * s + Math.max(kEff - s, 0);
    const pad = padding === 'same' ? Math.floor(kEff / 2) : 0;
    return (size - 1) * s + kEff - 2 * pad + p;
  };
  const outH = outLength(height, kh, strides[0], dilation[0], extra?.[0] ?? null);
  const outW = outLength(width, kw, strides[1], dilation[1], extra?.[1] ?? null);
  // the convolution of y: [N, outH, outW, filters] → [N, H, W, C] must land back on x's size
  const info = computeConv2DInfo([batch, outH, outW, filters], [kh, kw], channels, strides, dilation, padding);
  if (outH <= 0 || outW <= 0 || info.outHeight !== height || info.outWidth !== width) {
    throw new ShapeError(
      `${op}: the output ${outH}x${outW} would not convolve back to the input ${height}x${width} ` +
        `(kernel ${kh}x${kw}, strides [${strides.join(', ')}], padding '${padding}')`,
    );
  }

  const dtype = promoteTypes(x.dtype, kernel.dtype);
  const xData = x.dtype === dtype ? x.data : Float64Array.from(x.data);
  const wData = kernel.dtype === dtype ? kernel.data : Float64Array.from(kernel.data);
  const backend = getBackend();
  const outShape = [batch, outH, outW, filters];
  const y = new Tensor(allocate(dtype, batch * outH * outW * filters, op, outShape), outShape);
  backend.conv2dBackpropInput(xData, wData, y.data, info);

  // the transpose of a transpose: dx = conv2d(dy, kernel); dkernel correlates dy (the convolution's input) with x
  return record(op, [x, kernel], y, (dy) => {
    const g = dy.cast(dtype).data;
    let dx: Tensor | null = null;
    let dk: Tensor | null = null;
    if (x.requiresGrad) {
      dx = new Tensor(allocate(dtype, x.size), x.shape);
      backend.conv2d(g, wData, dx.data, info);
    }
    if (kernel.requiresGrad) {
      dk = new Tensor(allocate(dtype, kernel.size), kernel.shape);
      backend.conv2dBackpropFilter(g, xData, dk.data, info);
    }
    return [dx, dk];
  });
}

/** outputPadding as a pair of integers in [0, stride). */
function normalizeOutputPadding(
  op: string,
  value: number | readonly [number, number],
  strides: readonly [number, number],
): [number, number] {
  const p = typeof value === 'number' ? [value, value] : Array.isArray(value) ? value : [];
  const ok = p.length === 2 && p.every((v, i) => Number.isInteger(v) && v >= 0 && v < strides[i]!);
  if (!ok) {
    throw new ValueError(
      `${op}: outputPadding must be integers ≥ 0 and smaller than the strides [${strides.join(', ')}], but got ${JSON.stringify(value)}`,
    );
  }
  return [p[0]!, p[1]!];
}
