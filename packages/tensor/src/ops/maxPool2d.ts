import { record } from '../autograd/record';
import { allocate } from '../dtype';
import { getBackend } from '../kernels/index';
import { Tensor } from '../tensor';
import { poolInfo } from './internal/convUtil';
import type { Pool2DOptions } from './internal/pool2dOptions';

/**
 * 2-D max pooling over NHWC images: each output cell is the largest value in its window, channel
 * by channel (Keras `MaxPooling2D`).
 *
 *   y[n, oh, ow, c] = max_{kh < poolH, kw < poolW} x[n, oh·sh − padTop + kh, ow·sw − padLeft + kw, c]
 *
 * over the window's real cells: with 'same' padding the padded cells are left out, so they never
 * win (see Note [Padding in pooling] in kernels/reference/pool2d.ts).
 *
 * Gradient: the max is one of the window's cells, so dy flows to that cell only. When several
 * cells tie for the max, the whole of dy goes to the first one in scan order (row by row), as in
 * TensorFlow. PyTorch also picks one cell; a tie has no true derivative.
 *
 * **Shape**: x `[N, H, W, C]` → y `[N, H_out, W_out, C]` with
 * 'valid': `H_out = floor((H − poolH) / sh) + 1`; 'same': `H_out = ceil(H / sh)` (likewise W).
 *
 * @param x       images, `[batch, height, width, channels]`
 * @param options `poolSize` (default 2), `strides` (default poolSize), `padding` (default 'valid')
 * @throws ShapeError if x is not rank 4 or empty, or the window does not fit ('valid').
 * @throws ValueError for poolSize/strides that are not positive integers, or an unknown padding.
 * @example
 * // the lecture's 4x4 image
 * const x = tensor([[2, 2, 7, 3], [9, 4, 6, 1], [8, 5, 2, 4], [3, 1, 2, 6]]).reshape([1, 4, 4, 1]);
 * maxPool2d(x, { poolSize: 2, strides: 2 }).reshape([2, 2]).toArray();
 * // [[9, 7], [8, 6]]
 */
export function maxPool2d(x: Tensor, options: Pool2DOptions = {}): Tensor {
  const info = poolInfo('maxPool2d', x, options);
  const backend = getBackend();
  const outShape = [info.batch, info.outHeight, info.outWidth, info.inChannels];
  const y = new Tensor(
    allocate(x.dtype, info.batch * info.outHeight * info.outWidth * info.inChannels, 'maxPool2d', outShape),
    outShape,
  );
  backend.maxPool2d(x.data, y.data, info);

  // dx[argmax of window] += dy[window]
  return record('maxPool2d', [x], y, (dy) => {
    const dx = new Tensor(allocate(x.dtype, x.size), x.shape);
    backend.maxPool2dBackward(dy.cast(x.dtype).data, x.data, dx.data, info);
    return [dx];
  });
}
