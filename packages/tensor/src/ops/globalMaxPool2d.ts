import { record } from '../autograd/record';
import { allocate } from '../dtype';
import { computeConv2DInfo, getBackend } from '../kernels/index';
import { Tensor } from '../tensor';
import { checkImageBatch, checkOptions, nhwc } from './internal/convUtil';
import type { GlobalPool2DOptions } from './internal/pool2dOptions';

/**
 * Global max pooling: the largest value of each channel over the whole image (Keras
 * `GlobalMaxPooling2D`). It is max pooling with one window the size of the image, and is run
 * that way, so it shares maxPool2d's kernels and gradient rule (dy goes to the first maximal cell).
 *
 *   y[n, c] = max_{h, w} x[n, h, w, c]
 *
 * **Shape**: x `[N, H, W, C]` → y `[N, C]`, or `[N, 1, 1, C]` with `keepDims: true`.
 *
 * @param x       images, `[batch, height, width, channels]`
 * @param options `keepDims` (default false)
 * @throws ShapeError if x is not rank 4 or is empty.
 * @example
 * const x = tensor([[2, 2, 7, 3], [9, 4, 6, 1], [8, 5, 2, 4], [3, 1, 2, 6]]).reshape([1, 4, 4, 1]);
 * globalMaxPool2d(x).toArray(); // [[9]]
 */
export function globalMaxPool2d(x: Tensor, options: GlobalPool2DOptions = {}): Tensor {
  checkOptions('globalMaxPool2d', options, '{ keepDims: true }', ['keepDims']);
  checkImageBatch('globalMaxPool2d', x);
  const [batch, height, width, channels] = nhwc(x);
  const info = computeConv2DInfo(nhwc(x), [height, width], channels, [1, 1], [1, 1], 'valid');
  const shape = options.keepDims ? [batch, 1, 1, channels] : [batch, channels];
  const backend = getBackend();
  // [N, 1, 1, C] and [N, C] have the same flat layout, so the kernel writes either
  const y = new Tensor(allocate(x.dtype, batch * channels), shape);
  backend.maxPool2d(x.data, y.data, info);

  // dx[n, argmax h, argmax w, c] += dy[n, c]
  return record('globalMaxPool2d', [x], y, (dy) => {
    const dx = new Tensor(allocate(x.dtype, x.size), x.shape);
    backend.maxPool2dBackward(dy.cast(x.dtype).data, x.data, dx.data, info);
    return [dx];
  });
}
