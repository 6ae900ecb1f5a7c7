import { record } from '../autograd/record';
import { allocate } from '../dtype';
import { getBackend } from '../kernels/index';
import { Tensor } from '../tensor';
import { poolInfo } from './internal/convUtil';
import type { Pool2DOptions } from './internal/pool2dOptions';

/**
 * 2-D average pooling over NHWC images: each output cell is the mean of its window, channel by
 * channel (Keras `AveragePooling2D`).
 *
 *   y[n, oh, ow, c] = (1 / count) · Σ x[n, oh·sh − padTop + kh, ow·sw − padLeft + kw, c]
 *
 * summed over the window's real cells, and count is the number of those cells: with 'same'
 * padding a window hanging over the edge averages only what is inside the image, as TensorFlow
 * does (PyTorch's default `count_include_pad=True` divides by the full window instead).
 *
 * **Shape**: x `[N, H, W, C]` → y `[N, H_out, W_out, C]` with
 * 'valid': `H_out = floor((H − poolH) / sh) + 1`; 'same': `H_out = ceil(H / sh)` (likewise W).
 *
 * @param x       images, `[batch, height, width, channels]`
 * @param options `poolSize` (default 2), `strides` (default poolSize), `padding` (default 'valid')
 * @throws ShapeError if x is not rank 4 or empty, or the window does not fit ('valid').
 * @throws ValueError for poolSize/strides that are not positive integers, or an unknown padding.
 * @example
 * const x = tensor([[2, 2, 7, 3], [9, 4, 6, 1], [8, 5, 2, 4], [3, 1, 2, 6]]).reshape([1, 4, 4, 1]);
 * avgPool2d(x, { poolSize: 2 }).reshape([2, 2]).toArray();
 * // [[4.25, 4.25], [4.25, 3.5]]
 */
export function avgPool2d(x: Tensor, options: Pool2DOptions = {}): Tensor {
  const info = poolInfo('avgPool2d', x, options);
  const backend = getBackend();
  const outShape = [info.batch, info.outHeight, info.outWidth, info.inChannels];
  const y = new Tensor(
    allocate(x.dtype, info.batch * info.outHeight * info.outWidth * info.inChannels, 'avgPool2d', outShape),
    outShape,
  );
  backend.avgPool2d(x.data, y.data, info);

  // dx[cell] += dy[window] / count[window], for every window that contains the cell
  return record('avgPool2d', [x], y, (dy) => {
    const dx = new Tensor(allocate(x.dtype, x.size), x.shape);
    backend.avgPool2dBackward(dy.cast(x.dtype).data, dx.data, info);
    return [dx];
  });
}
