/**
 * Max and average pooling, the fast versions. They compute exactly what ../reference/pool2d.ts
 * defines (read that first, including Note [Padding in pooling]) with two changes that matter
 * for speed:
 *   1. the channel loop is innermost. In NHWC the C channels of one pixel are adjacent, so every
 *      inner loop walks memory contiguously, where the reference jumps by C for each cell;
 *   2. each window is clipped to the image once (first and last real tap), instead of testing
 *      every tap against the border.
 * They are tested against the reference kernels (pool2d.test.ts).
 */
import type { TypedArray } from '../../dtype';
import type { Conv2DInfo } from '../conv2dInfo';

/**
 * For each output position o along one axis, the taps k in [start[o], end[o]) of its window that
 * land inside the image: 0 ≤ o·stride − pad + k·dilation < size. Computed once per call, so the
 * loops below never test a border.
 */
function clippedTaps(
  outSize: number,
  stride: number,
  pad: number,
  dilation: number,
  taps: number,
  size: number,
): { start: Int32Array; end: Int32Array } {
  const start = new Int32Array(outSize);
  const end = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const origin = o * stride - pad;
    const first = origin < 0 ? Math.ceil(-origin / dilation) : 0;
    start[o] = first;
    end[o] = Math.max(first, Math.min(taps, Math.ceil((size - origin) / dilation)));
  }
  return { start, end };
}

/** Both axes' clipped taps for `info`. */
function clipAll(info: Conv2DInfo) {
  const rows = clippedTaps(
    info.outHeight,
    info.strideHeight,
    info.padTop,
    info.dilationHeight,
    info.filterHeight,
    info.inHeight,
  );
  const cols = clippedTaps(
    info.outWidth,
    info.strideWidth,
    info.padLeft,
    info.dilationWidth,
    info.filterWidth,
    info.inWidth,
  );
  return { khFrom: rows.start, khTo: rows.end, kwFrom: cols.start, kwTo: cols.end };
}

export function maxPool2d(x: TypedArray, y: TypedArray, info: Conv2DInfo): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { khFrom, khTo, kwFrom, kwTo } = clipAll(info);
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * sh - info.padTop;
      const khStart = khFrom[oh]!;
      const khEnd = khTo[oh]!;
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = ow * sw - info.padLeft;
        const kwStart = kwFrom[ow]!;
        const kwEnd = kwTo[ow]!;
        // y[n, oh, ow, c] = y[yBase + c]; x[n, ih, iw, c] = x[((n·H + ih)·W + iw)·C + c]
        const yBase = ((n * OH + oh) * OW + ow) * C;
        let first = true;
        for (let kh = khStart; kh < khEnd; kh++) {
          const ih = ih0 + kh * dh;
          for (let kw = kwStart; kw < kwEnd; kw++) {
            const xBase = ((n * H + ih) * W + iw0 + kw * dw) * C;
            if (first) {
              for (let c = 0; c < C; c++) y[yBase + c] = x[xBase + c]!;
              first = false;
            } else {
              for (let c = 0; c < C; c++) {
                const v = x[xBase + c]!;
                const current = y[yBase + c]!;
                // NaN propagates (see argmaxOfWindow in ../reference/pool2d.ts)
                if (v > current || (Number.isNaN(v) && !Number.isNaN(current))) y[yBase + c] = v;
              }
            }
          }
        }
      }
    }
  }
}

/** dx += dy at the first maximal cell of each window (scan order kh, then kw; strict >). */
export function maxPool2dBackward(dy: TypedArray, x: TypedArray, dx: TypedArray, info: Conv2DInfo): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { khFrom, khTo, kwFrom, kwTo } = clipAll(info);
  // per channel of the current window: where the max is so far, and its value
  const argmax = new Int32Array(C);
  const best = new Float64Array(C);
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * sh - info.padTop;
      const khStart = khFrom[oh]!;
      const khEnd = khTo[oh]!;
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = ow * sw - info.padLeft;
        const kwStart = kwFrom[ow]!;
        const kwEnd = kwTo[ow]!;
        let first = true;
        for (let kh = khStart; kh < khEnd; kh++) {
          const ih = ih0 + kh * dh;
          for (let kw = kwStart; kw < kwEnd; kw++) {
            const xBase = ((n * H + ih) * W + iw0 + kw * dw) * C;
            for (let c = 0; c < C; c++) {
              const v = x[xBase + c]!;
              if (first || v > best[c]! || (Number.isNaN(v) && !Number.isNaN(best[c]!))) {
                best[c] = v;
                argmax[c] = xBase + c;
              }
            }
            first = false;
          }
        }
        const yBase = ((n * OH + oh) * OW + ow) * C;
        for (let c = 0; c < C; c++) dx[argmax[c]!] = dx[argmax[c]!]! + dy[yBase + c]!;
      }
    }
  }
}

export function avgPool2d(x: TypedArray, y: TypedArray, info: Conv2DInfo): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { khFrom, khTo, kwFrom, kwTo } = clipAll(info);
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * sh - info.padTop;
      const khStart = khFrom[oh]!;
      const khEnd = khTo[oh]!;
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = ow * sw - info.padLeft;
        const kwStart = kwFrom[ow]!;
        const kwEnd = kwTo[ow]!;
        // y starts at zero (caller's buffer); sum the real cells, then divide by their count
        const yBase = ((n * OH + oh) * OW + ow) * C;
        for (let kh = khStart; kh < khEnd; kh++) {
          const ih = ih0 + kh * dh;
          for (let kw = kwStart; kw < kwEnd; kw++) {
            const xBase = ((n * H + ih) * W + iw0 + kw * dw) * C;
            for (let c = 0; c < C; c++) y[yBase + c] = y[yBase + c]! + x[xBase + c]!;
          }
        }
        const inv = 1 / ((khEnd - khStart) * (kwEnd - kwStart));
        for (let c = 0; c < C; c++) y[yBase + c] = y[yBase + c]! * inv;
      }
    }
  }
}

/** dx += dy / count on each real cell of the window. */
export function avgPool2dBackward(dy: TypedArray, dx: TypedArray, info: Conv2DInfo): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { khFrom, khTo, kwFrom, kwTo } = clipAll(info);
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * sh - info.padTop;
      const khStart = khFrom[oh]!;
      const khEnd = khTo[oh]!;
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = ow * sw - info.padLeft;
        const kwStart = kwFrom[ow]!;
        const kwEnd = kwTo[ow]!;
        const inv = 1 / ((khEnd - khStart) * (kwEnd - kwStart));
        const yBase = ((n * OH + oh) * OW + ow) * C;
        for (let kh = khStart; kh < khEnd; kh++) {
          const ih = ih0 + kh * dh;
          for (let kw = kwStart; kw < kwEnd; kw++) {
            const xBase = ((n * H + ih) * W + iw0 + kw * dw) * C;
            for (let c = 0; c < C; c++) dx[xBase + c] = dx[xBase + c]! + dy[yBase + c]! * inv;
          }
        }
      }
    }
  }
}
