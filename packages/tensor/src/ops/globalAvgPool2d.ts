import { record } from '../autograd/record';
import { allocate } from '../dtype';
import { computeConv2DInfo, getBackend } from '../kernels/index';
import { Tensor } from '../tensor';
import { checkImageBatch, checkOptions, nhwc } from './internal/convUtil';
import type { GlobalPool2DOptions } from './internal/pool2dOptions';

/**
 * Global average pooling: the mean of each channel over the whole image (Keras
 * `GlobalAveragePooling2D`). It is average pooling with one window the size of the image, and is
 * run with avgPool2d's kernels.
 *
 *   y[n, c] = (1 / (H·W)) · Σ_{h, w} x[n, h, w, c]
 *
 * **Shape**: x `[N, H, W, C]` → y `[N, C]`, or `[N, 1, 1, C]` with `keepDims: true`.
 *
 * @param x       images, `[batch, height, width, channels]`
 * @param options `keepDims` (default false)
 * @throws ShapeError if x is not rank 4 or is empty.
 * @example
 * const x = tensor([[2, 2, 7, 3], [9, 4, 6, 1], [8, 5, 2, 4], [3, 1, 2, 6]]).reshape([1, 4, 4, 1]);
 * globalAvgPool2d(x).toArray(); // [[4.0625]]   (65 / 16)
 */
export function globalAvgPool2d(x: Tensor, options: GlobalPool2DOptions = {}): Tensor {
  checkOptions('globalAvgPool2d', options, '{ keepDims: true }', ['keepDims']);
  checkImageBatch('globalAvgPool2d', x);
  const [batch, height, width, channels] = nhwc(x);
  const info = computeConv2DInfo(nhwc(x), [height, width], channels, [1, 1], [1, 1], 'valid');
  const shape = options.keepDims ? [batch, 1, 1, channels] : [batch, channels];
  const backend = getBackend();
  // [N, 1, 1, C] and [N, C] have the same flat layout, so the kernel writes either
  const y = new Tensor(allocate(x.dtype, batch * channels), shape);
  backend.avgPool2d(x.data, y.data, info);

  // dx[n, h, w, c] += dy[n, c] / (H·W)
  return record('globalAvgPool2d', [x], y, (dy) => {
    const dx = new Tensor(allocate(x.dtype, x.size), x.shape);
    backend.avgPool2dBackward(dy.cast(x.dtype).data, dx.data, info);
    return [dx];
  });
}
