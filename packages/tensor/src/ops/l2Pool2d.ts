import { record } from '../autograd/record';
import { allocate } from '../dtype';
import { type Conv2DInfo, getBackend } from '../kernels/index';
import { Tensor } from '../tensor';
import { poolInfo } from './internal/convUtil';
import type { Pool2DOptions } from './internal/pool2dOptions';

/**
 * 2-D L2 pooling over NHWC images: the square root of the *sum* of squares in each window,
 * channel by channel (the lecture's "Pooling L2"; PyTorch `LPPool2d` with p = 2).
 *
 *   y[n, oh, ow, c] = sqrt( Σ x[n, oh·sh − padTop + kh, ow·sw − padLeft + kw, c]² )
 *
 * over the window's real cells. Not the root of the *mean* of squares, which is what NNAPI's
 * L2_POOL_2D computes; the two differ by a factor sqrt(count).
 *
 * Gradient: ∂y/∂x = x / y for each cell of the window. Where a window is all zeros, y = 0 and
 * x / y is 0/0; we define that gradient as 0 (as PyTorch does, after its NaN bugs #184037 and
 * the fix discussed in #184142), which is also the smallest-norm subgradient of the norm at 0.
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
 * l2Pool2d(x, { poolSize: 2 }).reshape([2, 2]).toArray();
 * // [[10.247, 9.747], [9.950, 7.746]]   (top-left: sqrt(2² + 2² + 9² + 4²) = sqrt(105))
 */
export function l2Pool2d(x: Tensor, options: Pool2DOptions = {}): Tensor {
  const info = poolInfo('l2Pool2d', x, options);
  const backend = getBackend();
  const { batch, outHeight: OH, outWidth: OW, inChannels: C } = info;
  // The sum over a window is its mean times its number of real cells, so the average-pool
  // kernel does the sliding window for us:  y = sqrt(avgPool(x²) · count).
  const squares = allocate(x.dtype, x.size);
  for (let i = 0; i < x.size; i++) squares[i] = x.data[i]! * x.data[i]!;
  const y = new Tensor(allocate(x.dtype, batch * OH * OW * C, 'l2Pool2d', [batch, OH, OW, C]), [batch, OH, OW, C]);
  backend.avgPool2d(squares, y.data, info);
  const count = realCellCounts(info);
  // y[n, oh, ow, c] = y[((n·OH + oh)·OW + ow)·C + c]; count is indexed by oh·OW + ow
  for (let i = 0; i < y.size; i++) y.data[i] = Math.sqrt(y.data[i]! * count[Math.floor(i / C) % (OH * OW)]!);

  // dx = x · Σ_{windows containing x} dy / y   (0 where y = 0, see above)
  return record('l2Pool2d', [x], y, (dy) => {
    const g = dy.cast(x.dtype).data;
    // avgPool2dBackward hands each cell share / count, so pass share = count·dy/y to get Σ dy/y
    const share = allocate(x.dtype, y.size);
    for (let i = 0; i < y.size; i++) {
      const yi = y.data[i]!;
      share[i] = yi > 0 ? (g[i]! * count[Math.floor(i / C) % (OH * OW)]!) / yi : 0;
    }
    const dx = new Tensor(allocate(x.dtype, x.size), x.shape);
    backend.avgPool2dBackward(share, dx.data, info);
    for (let i = 0; i < x.size; i++) dx.data[i] = dx.data[i]! * x.data[i]!;
    return [dx];
  });
}

/** Number of real (unpadded) cells of each window, indexed oh·OW + ow. Pools have no dilation. */
function realCellCounts(info: Conv2DInfo): Float64Array {
  const count = new Float64Array(info.outHeight * info.outWidth);
  for (let oh = 0; oh < info.outHeight; oh++) {
    const top = oh * info.strideHeight - info.padTop;
    const rows = Math.min(top + info.filterHeight, info.inHeight) - Math.max(top, 0);
    for (let ow = 0; ow < info.outWidth; ow++) {
      const left = ow * info.strideWidth - info.padLeft;
      const cols = Math.min(left + info.filterWidth, info.inWidth) - Math.max(left, 0);
      count[oh * info.outWidth + ow] = rows * cols;
    }
  }
  return count;
}
