import { record } from '../autograd/record';
import { allocate, promoteTypes } from '../dtype';
import { ShapeError } from '../errors';
import { computeConv2DInfo, getBackend } from '../kernels/index';
import { formatShape } from '../shape';
import { Tensor } from '../tensor';
import type { Conv2DOptions } from './conv2d';
import {
  checkImageBatch,
  checkOptions,
  checkOutputNotEmpty,
  checkPadding,
  nhwc,
  normalizePair,
} from './internal/convUtil';

/**
 * Depthwise 2-D convolution (MobileNet's): each input channel is filtered on its own by
 * M = depthMultiplier filters, and channels are never mixed (a 1x1 conv2d after it mixes them:
 * {@link separableConv2d}).
 *
 *   y[n, oh, ow, c·M + m] = Σ_{kh, kw} x[n, oh·sh − padTop + kh·dh, ow·sw − padLeft + kw·dw, c] · kernel[kh, kw, c, m]
 *
 * with zeros outside the image ('same' padding), as tf.depthwiseConv2d. A 3x3 depthwise conv costs
 * 9 multiply-adds per output value, against 9·C for a conv2d over C channels; it is memory bound
 * (Note [Depthwise convolution is memory bound] in kernels/cpu/depthwiseConv2d.ts).
 *
 * **Shape**
 * - x: `[N, H, W, C]`; kernel: `[KH, KW, C, M]`; y: `[N, H_out, W_out, C·M]`, output channel c·M + m
 *   coming from input channel c.
 * - H_out and W_out as for {@link conv2d} ('valid': floor((H − KH') / sh) + 1; 'same': ceil(H / sh)).
 *
 * Strides above 1 may be combined with dilation above 1 (TensorFlow refuses it; the sum is well defined).
 *
 * @param x       images, `[batch, height, width, channels]`
 * @param kernel  `[kernelHeight, kernelWidth, channels, depthMultiplier]` (the Keras/TF layout)
 * @param options `strides` (default 1), `padding` (default 'valid'), `dilationRate` (default 1)
 * @throws ShapeError if x or kernel is not rank 4, their channels differ, or the kernel does not fit.
 * @throws ValueError for strides or dilationRate that are not positive integers, or an unknown padding.
 * @example
 * const x = tensor([1, 10, 2, 20, 3, 30], [1, 1, 3, 2]);     // two channels: [1, 2, 3] and [10, 20, 30]
 * const k = tensor([1, 0, 1, 1], [1, 2, 2, 1]);              // channel 0: [1, 1]; channel 1: [0, 1]
 * depthwiseConv2d(x, k).reshape([2, 2]).toArray();           // [[3, 20], [5, 30]]
 */
export function depthwiseConv2d(x: Tensor, kernel: Tensor, options: Conv2DOptions = {}): Tensor {
  const op = 'depthwiseConv2d';
  checkOptions(op, options, "{ strides: 1, padding: 'same' }", ['strides', 'padding', 'dilationRate']);
  checkImageBatch(op, x);
  if (kernel.rank !== 4 || kernel.size === 0) {
    throw new ShapeError(
      `${op}: kernel must be a non-empty rank-4 [kernelHeight, kernelWidth, channels, depthMultiplier], ` +
        `but got shape ${formatShape(kernel.shape)}`,
    );
  }
  const [batch, , , channels] = nhwc(x);
  const [kh, kw, kernelIn, multiplier] = kernel.shape as [number, number, number, number];
  if (kernelIn !== channels) {
    throw new ShapeError(
      `${op}: kernel channels (axis 2) must equal the input's channels (axis 3), but got kernel channels ${kernelIn} ` +
        `and input channels ${channels} (input shape ${formatShape(x.shape)}, kernel shape ${formatShape(kernel.shape)})`,
    );
  }
  const strides = normalizePair(op, 'strides', options.strides ?? 1);
  const dilation = normalizePair(op, 'dilationRate', options.dilationRate ?? 1);
  const padding = options.padding ?? 'valid';
  checkPadding(op, padding);
  const info = computeConv2DInfo(nhwc(x), [kh, kw], channels * multiplier, strides, dilation, padding);
  checkOutputNotEmpty(op, info, padding, 'kernel');

  // mixed float32/float64: compute in float64 (the gradients are cast back to each input's dtype)
  const dtype = promoteTypes(x.dtype, kernel.dtype);
  const xData = x.dtype === dtype ? x.data : Float64Array.from(x.data);
  const wData = kernel.dtype === dtype ? kernel.data : Float64Array.from(kernel.data);
  const backend = getBackend();
  const outShape = [batch, info.outHeight, info.outWidth, channels * multiplier];
  const y = new Tensor(
    allocate(dtype, batch * info.outHeight * info.outWidth * channels * multiplier, op, outShape),
    outShape,
  );
  backend.depthwiseConv2d(xData, wData, y.data, info);

  // dx[n, ih, iw, c] = Σ_{m, taps} dy[n, oh, ow, c·M + m] · kernel[kh, kw, c, m]; dkernel[kh, kw, c, m] = Σ_{n, oh, ow} x · dy
  return record(op, [x, kernel], y, (dy) => {
    const g = dy.cast(dtype).data;
    let dx: Tensor | null = null;
    let dk: Tensor | null = null;
    if (x.requiresGrad) {
      dx = new Tensor(allocate(dtype, x.size), x.shape);
      backend.depthwiseConv2dBackpropInput(g, wData, dx.data, info);
    }
    if (kernel.requiresGrad) {
      dk = new Tensor(allocate(dtype, kernel.size), kernel.shape);
      backend.depthwiseConv2dBackpropFilter(xData, g, dk.data, info);
    }
    return [dx, dk];
  });
}
