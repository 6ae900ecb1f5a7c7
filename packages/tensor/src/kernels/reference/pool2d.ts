/**
 * 2-D max and average pooling, straight from the definitions (the specification that
 * ../cpu/pool2d.ts is tested against). Each channel is pooled on its own:
 *   maxPool: y[n, oh, ow, c] = max  over the window's real cells of x[n, ih, iw, c]
 *   avgPool: y[n, oh, ow, c] = mean over the window's real cells of x[n, ih, iw, c]
 *   with ih = oh·strideH − padTop + kh·dilationH, iw = ow·strideW − padLeft + kw·dilationW.
 *
 * Note [Padding in pooling]
 * With 'same' padding a window can hang over the edge of the image. Those padded cells are not
 * zeros here, they are simply absent: they never win a max (a zero would beat an all-negative
 * window) and they are not counted in the mean, so the corner average of a 3x3 image pooled
 * 2x2 with stride 2 is that one real cell, not a quarter of it. This is what TensorFlow does.
 * Every window has at least one real cell: 'same' pads less than a window on each side.
 *
 * Flat NHWC indices: x[n, ih, iw, c] = x[((n·H + ih)·W + iw)·C + c],
 *                    y[n, oh, ow, c] = y[((n·OH + oh)·OW + ow)·C + c].
 */
import type { TypedArray } from '../../dtype';
import type { Conv2DInfo } from '../conv2dInfo';

/**
 * Flat index into x of the first maximal real cell of window (n, oh, ow) in channel c, scanning
 * rows (kh) then columns (kw) and keeping the first of equal values (strict >). Forward and
 * backward both use it, so the gradient goes exactly where the max came from.
 * NaN propagates, as in PyTorch and in the `max` reduction: the first NaN of a window wins
 * wherever it sits (a comparison with NaN is always false, so it needs its own test), and keeps
 * the gradient. A diverging activation is then visible instead of silently dropped.
 */
function argmaxOfWindow(x: TypedArray, info: Conv2DInfo, n: number, oh: number, ow: number, c: number): number {
  const { inHeight: H, inWidth: W, inChannels: C, filterHeight: KH, filterWidth: KW } = info;
  let best = -1;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let kh = 0; kh < KH; kh++) {
    const ih = oh * info.strideHeight - info.padTop + kh * info.dilationHeight;
    if (ih < 0 || ih >= H) continue; // padding: absent, see Note [Padding in pooling]
    for (let kw = 0; kw < KW; kw++) {
      const iw = ow * info.strideWidth - info.padLeft + kw * info.dilationWidth;
      if (iw < 0 || iw >= W) continue;
      const i = ((n * H + ih) * W + iw) * C + c;
      // best < 0: the first real cell always counts, even if it is -Infinity
      const v = x[i]!;
      // once the best is NaN nothing replaces it
      if (best < 0 || v > bestValue || (Number.isNaN(v) && !Number.isNaN(bestValue))) {
        best = i;
        bestValue = v;
      }
    }
  }
  return best;
}

/** Number of real (unpadded) cells in window (oh, ow): the divisor of the average. */
function windowCount(info: Conv2DInfo, oh: number, ow: number): number {
  let rows = 0;
  for (let kh = 0; kh < info.filterHeight; kh++) {
    const ih = oh * info.strideHeight - info.padTop + kh * info.dilationHeight;
    if (ih >= 0 && ih < info.inHeight) rows++;
  }
  let cols = 0;
  for (let kw = 0; kw < info.filterWidth; kw++) {
    const iw = ow * info.strideWidth - info.padLeft + kw * info.dilationWidth;
    if (iw >= 0 && iw < info.inWidth) cols++;
  }
  return rows * cols;
}

export function maxPool2d(x: TypedArray, y: TypedArray, info: Conv2DInfo): void {
  const { batch, inChannels: C, outHeight: OH, outWidth: OW } = info;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        for (let c = 0; c < C; c++) {
          y[((n * OH + oh) * OW + ow) * C + c] = x[argmaxOfWindow(x, info, n, oh, ow, c)]!;
        }
      }
    }
  }
}

/**
 * dx += dL/dx. y is x at one cell (the argmax), so ∂y/∂x is 1 there and 0 elsewhere: the whole of
 * dy goes to that one cell. On ties only the first maximal cell (scan order) gets it, as in
 * TensorFlow; the true derivative does not exist there, and any split would be a valid subgradient.
 */
export function maxPool2dBackward(dy: TypedArray, x: TypedArray, dx: TypedArray, info: Conv2DInfo): void {
  const { batch, inChannels: C, outHeight: OH, outWidth: OW } = info;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        for (let c = 0; c < C; c++) {
          const i = argmaxOfWindow(x, info, n, oh, ow, c);
          dx[i] = dx[i]! + dy[((n * OH + oh) * OW + ow) * C + c]!;
        }
      }
    }
  }
}

export function avgPool2d(x: TypedArray, y: TypedArray, info: Conv2DInfo): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const count = windowCount(info, oh, ow);
        for (let c = 0; c < C; c++) {
          let sum = 0;
          for (let kh = 0; kh < info.filterHeight; kh++) {
            const ih = oh * info.strideHeight - info.padTop + kh * info.dilationHeight;
            if (ih < 0 || ih >= H) continue;
            for (let kw = 0; kw < info.filterWidth; kw++) {
              const iw = ow * info.strideWidth - info.padLeft + kw * info.dilationWidth;
              if (iw < 0 || iw >= W) continue;
              sum += x[((n * H + ih) * W + iw) * C + c]!;
            }
          }
          y[((n * OH + oh) * OW + ow) * C + c] = sum / count;
        }
      }
    }
  }
}

/** dx += dL/dx. y = (1/count)·Σ x over the window, so each real cell receives dy / count. */
export function avgPool2dBackward(dy: TypedArray, dx: TypedArray, info: Conv2DInfo): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const count = windowCount(info, oh, ow);
        for (let c = 0; c < C; c++) {
          const share = dy[((n * OH + oh) * OW + ow) * C + c]! / count;
          for (let kh = 0; kh < info.filterHeight; kh++) {
            const ih = oh * info.strideHeight - info.padTop + kh * info.dilationHeight;
            if (ih < 0 || ih >= H) continue;
            for (let kw = 0; kw < info.filterWidth; kw++) {
              const iw = ow * info.strideWidth - info.padLeft + kw * info.dilationWidth;
              if (iw < 0 || iw >= W) continue;
              const i = ((n * H + ih) * W + iw) * C + c;
              dx[i] = dx[i]! + share;
            }
          }
        }
      }
    }
  }
}
