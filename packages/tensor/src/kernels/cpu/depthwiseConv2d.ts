/**
 * Depthwise 2-D convolution, the fast JavaScript kernels. Same sums as the reference
 * (../reference/depthwiseConv2d.ts, read it first), reordered for memory.
 *
 * Note [Depthwise convolution is memory bound]
 * A depthwise 3x3 does 9 multiply-adds per output value where a 3x3 conv2d over C channels does
 * 9·C: too little arithmetic to hide its memory traffic, so there is no GEMM to hand it to (each
 * channel would be a matrix product with one column). What pays is reading memory in order:
 *   - the loops run n, oh, ow, kh, kw outermost and the channels innermost, so each tap reads a
 *     contiguous run of C input values and C·M weights, and adds into a contiguous run of outputs;
 *   - the kh and kw ranges that stay inside the image are computed once per call for every output
 *     row and column, so the inner loops carry no padding test;
 *   - sums are added straight into y (zero-filled by the caller): a float64 row of accumulators
 *     written out per position measured 2x slower (its zeroing and copy cost more than the 9
 *     taps), so in float32 each partial sum is rounded, as TF.js's kernels do.
 * The backward kernels have the same shape: dx gathers along the same runs, dw accumulates its
 * KH·KW·C·M sums in one float64 buffer over the whole batch.
 */
import type { TypedArray } from '../../dtype';
import type { Conv2DInfo } from '../conv2dInfo';

/**
 * For each output index o in [0, outSize), the taps k in [lo, hi) for which o·stride − pad + k·dilation
 * lands in [0, size): ranges[2o] = lo, ranges[2o + 1] = hi. Computed once per call.
 */
function tapRanges(
  outSize: number,
  stride: number,
  pad: number,
  dilation: number,
  taps: number,
  size: number,
): Int32Array {
  const ranges = new Int32Array(2 * outSize);
  for (let o = 0; o < outSize; o++) {
    const start = o * stride - pad;
    // smallest k with start + k·d ≥ 0, and one past the largest with start + k·d < size
    const lo = start >= 0 ? 0 : Math.ceil(-start / dilation);
    const hi = Math.min(taps, Math.ceil((size - start) / dilation));
    ranges[2 * o] = lo;
    ranges[2 * o + 1] = Math.max(lo, hi);
  }
  return ranges;
}

export function depthwiseConv2d(x: TypedArray, w: TypedArray, y: TypedArray, info: Conv2DInfo): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: CM } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = info;
  const M = CM / C;
  const rows = tapRanges(OH, sh, padTop, dh, KH, H);
  const cols = tapRanges(OW, sw, padLeft, dw, KW, W);
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const kh0 = rows[2 * oh]!;
      const kh1 = rows[2 * oh + 1]!;
      for (let ow = 0; ow < OW; ow++) {
        const kw0 = cols[2 * ow]!;
        const kw1 = cols[2 * ow + 1]!;
        const yo = ((n * OH + oh) * OW + ow) * CM;
        for (let kh = kh0; kh < kh1; kh++) {
          const ih = oh * sh - padTop + kh * dh;
          for (let kw = kw0; kw < kw1; kw++) {
            const iw = ow * sw - padLeft + kw * dw;
            const xo = ((n * H + ih) * W + iw) * C;
            const wo = (kh * KW + kw) * CM;
            if (M === 1) {
              for (let c = 0; c < C; c++) y[yo + c]! += x[xo + c]! * w[wo + c]!;
            } else {
              for (let c = 0; c < C; c++) {
                const xv = x[xo + c]!;
                for (let m = 0, j = c * M; m < M; m++, j++) y[yo + j]! += xv * w[wo + j]!;
              }
            }
          }
        }
      }
    }
  }
}

export function depthwiseConv2dBackpropInput(dy: TypedArray, w: TypedArray, dx: TypedArray, info: Conv2DInfo): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: CM } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = info;
  const M = CM / C;
  const rows = tapRanges(OH, sh, padTop, dh, KH, H);
  const cols = tapRanges(OW, sw, padLeft, dw, KW, W);
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const kh0 = rows[2 * oh]!;
      const kh1 = rows[2 * oh + 1]!;
      for (let ow = 0; ow < OW; ow++) {
        const kw0 = cols[2 * ow]!;
        const kw1 = cols[2 * ow + 1]!;
        const yo = ((n * OH + oh) * OW + ow) * CM;
        for (let kh = kh0; kh < kh1; kh++) {
          const ih = oh * sh - padTop + kh * dh;
          for (let kw = kw0; kw < kw1; kw++) {
            const iw = ow * sw - padLeft + kw * dw;
            const xo = ((n * H + ih) * W + iw) * C;
            const wo = (kh * KW + kw) * CM;
            if (M === 1) {
              for (let c = 0; c < C; c++) dx[xo + c]! += dy[yo + c]! * w[wo + c]!;
            } else {
              for (let c = 0; c < C; c++) {
                let s = 0;
                for (let m = 0, j = c * M; m < M; m++, j++) s += dy[yo + j]! * w[wo + j]!;
                dx[xo + c]! += s;
              }
            }
          }
        }
      }
    }
  }
}

export function depthwiseConv2dBackpropFilter(x: TypedArray, dy: TypedArray, dw_: TypedArray, info: Conv2DInfo): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: CM } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = info;
  const M = CM / C;
  const rows = tapRanges(OH, sh, padTop, dh, KH, H);
  const cols = tapRanges(OW, sw, padLeft, dw, KW, W);
  const acc = new Float64Array(KH * KW * CM);
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const kh0 = rows[2 * oh]!;
      const kh1 = rows[2 * oh + 1]!;
      for (let ow = 0; ow < OW; ow++) {
        const kw0 = cols[2 * ow]!;
        const kw1 = cols[2 * ow + 1]!;
        const yo = ((n * OH + oh) * OW + ow) * CM;
        for (let kh = kh0; kh < kh1; kh++) {
          const ih = oh * sh - padTop + kh * dh;
          for (let kw = kw0; kw < kw1; kw++) {
            const iw = ow * sw - padLeft + kw * dw;
            const xo = ((n * H + ih) * W + iw) * C;
            const wo = (kh * KW + kw) * CM;
            if (M === 1) {
              for (let c = 0; c < C; c++) acc[wo + c]! += x[xo + c]! * dy[yo + c]!;
            } else {
              for (let c = 0; c < C; c++) {
                const xv = x[xo + c]!;
                for (let m = 0, j = c * M; m < M; m++, j++) acc[wo + j]! += xv * dy[yo + j]!;
              }
            }
          }
        }
      }
    }
  }
  for (let i = 0; i < acc.length; i++) dw_[i]! += acc[i]!;
}
