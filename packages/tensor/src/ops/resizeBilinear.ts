import { record } from '../autograd/record';
import { allocate } from '../dtype';
import { assert } from '../errors';
import * as kernels from '../kernels/cpu/resize';
import { Tensor } from '../tensor';
import { checkImageBatch, nhwc } from './internal/convUtil';

/**
 * Resizes a batch of NHWC images by bilinear interpolation, as TensorFlow 2's `tf.image.resize`
 * (and so Keras's `UpSampling2D({ interpolation: 'bilinear' })`) computes it: with half-pixel
 * centers, output pixel o samples the input at (o + 0.5)·in/out − 0.5, clamped at the borders
 * (the formulas are in kernels/cpu/resize.ts). TF.js's `tf.image.resizeBilinear` does the same with
 * `halfPixelCenters: true`; its default (false) samples at o·in/out instead.
 *
 * **Shape**: `[N, H, W, C]` → `[N, outHeight, outWidth, C]`.
 *
 * @param x    images `[batch, height, width, channels]`
 * @param size `[outHeight, outWidth]`, positive integers
 * @throws ShapeError if x is not a non-empty rank-4 tensor.
 * @throws ValueError if size is not two positive integers.
 * @example
 * resizeBilinear(tensor([0, 4], [1, 1, 2, 1]), [1, 4]).reshape([4]).toArray(); // [0, 1, 3, 4]
 */
export function resizeBilinear(x: Tensor, size: readonly [number, number]): Tensor {
  const op = 'resizeBilinear';
  checkImageBatch(op, x);
  assert(
    Array.isArray(size) && size.length === 2 && size.every((v) => Number.isInteger(v) && v > 0),
    () => `${op}: size must be two positive integers [outHeight, outWidth], but got ${JSON.stringify(size)}`,
  );
  const [batch, inH, inW, channels] = nhwc(x);
  const [outH, outW] = size;
  const outShape = [batch, outH, outW, channels];
  const y = new Tensor(allocate(x.dtype, batch * outH * outW * channels, op, outShape), outShape);
  kernels.resizeBilinear(x.data, y.data, batch, inH, inW, channels, outH, outW);
  // linear in x: dx gathers dy back through the same four weights per output value
  return record(op, [x], y, (dy) => {
    const dx = new Tensor(allocate(x.dtype, x.size), x.shape);
    kernels.resizeBilinearBackward(dy.cast(x.dtype).data, dx.data, batch, inH, inW, channels, outH, outW);
    return [dx];
  });
}
