/**
 * Depthwise 2-D convolution, straight from the definition: one loop per index of the formula, the
 * specification the fast kernels (../cpu/depthwiseConv2d.ts) are tested against.
 *
 * Each input channel c has its own M = depthMultiplier filters and is never mixed with another
 * channel; output channel c·M + m is input channel c filtered by filter m:
 *   y[n, oh, ow, c·M + m] = Σ_{kh, kw} x[n, ih, iw, c] · w[kh, kw, c, m]
 *   with ih = oh·strideH − padTop + kh·dilationH,  iw = ow·strideW − padLeft + kw·dilationW,
 * cells outside the input being the zero padding. A conv2d sums over c as well; this one does not,
 * which is why it costs C times fewer multiply-adds (see docs/layers.md).
 *
 * Flat indices (info.outChannels = C·M, so M = outChannels / inChannels):
 *   x[n, ih, iw, c]        = x[((n·H + ih)·W + iw)·C + c]
 *   w[kh, kw, c, m]        = w[((kh·KW + kw)·C + c)·M + m]
 *   y[n, oh, ow, c·M + m]  = y[((n·OH + oh)·OW + ow)·C·M + c·M + m]
 *
 * Gradients, from each term x[n, ih, iw, c]·w[kh, kw, c, m] of y[n, oh, ow, c·M + m]:
 *   dx[n, ih, iw, c]  += dy[n, oh, ow, c·M + m] · w[kh, kw, c, m]
 *   dw[kh, kw, c, m]  += dy[n, oh, ow, c·M + m] · x[n, ih, iw, c]
 */
import type { TypedArray } from '../../dtype';
import type { Conv2DInfo } from '../conv2dInfo';

export function depthwiseConv2d(x: TypedArray, w: TypedArray, y: TypedArray, info: Conv2DInfo): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: CM } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = info;
  const M = CM / C;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        for (let c = 0; c < C; c++) {
          for (let m = 0; m < M; m++) {
            let acc = 0;
            for (let kh = 0; kh < KH; kh++) {
              const ih = oh * sh - padTop + kh * dh;
              if (ih < 0 || ih >= H) continue; // zero padding
              for (let kw = 0; kw < KW; kw++) {
                const iw = ow * sw - padLeft + kw * dw;
                if (iw < 0 || iw >= W) continue;
                acc += x[((n * H + ih) * W + iw) * C + c]! * w[((kh * KW + kw) * C + c) * M + m]!;
              }
            }
            y[((n * OH + oh) * OW + ow) * CM + c * M + m] = acc;
          }
        }
      }
    }
  }
}

/** dx += dL/dx: every dy[n, oh, ow, c·M + m] flows back to the cells of channel c its window read. */
export function depthwiseConv2dBackpropInput(dy: TypedArray, w: TypedArray, dx: TypedArray, info: Conv2DInfo): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: CM } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = info;
  const M = CM / C;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * sh - padTop + kh * dh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * sw - padLeft + kw * dw;
            if (iw < 0 || iw >= W) continue;
            for (let c = 0; c < C; c++) {
              for (let m = 0; m < M; m++) {
                dx[((n * H + ih) * W + iw) * C + c]! +=
                  dy[((n * OH + oh) * OW + ow) * CM + c * M + m]! * w[((kh * KW + kw) * C + c) * M + m]!;
              }
            }
          }
        }
      }
    }
  }
}

/** dw += dL/dw: each filter tap correlates its channel of x with its output channel of dy. */
export function depthwiseConv2dBackpropFilter(x: TypedArray, dy: TypedArray, dw_: TypedArray, info: Conv2DInfo): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: CM } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = info;
  const M = CM / C;
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      for (let c = 0; c < C; c++) {
        for (let m = 0; m < M; m++) {
          let acc = 0;
          for (let n = 0; n < batch; n++) {
            for (let oh = 0; oh < OH; oh++) {
              const ih = oh * sh - padTop + kh * dh;
              if (ih < 0 || ih >= H) continue;
              for (let ow = 0; ow < OW; ow++) {
                const iw = ow * sw - padLeft + kw * dw;
                if (iw < 0 || iw >= W) continue;
                acc += x[((n * H + ih) * W + iw) * C + c]! * dy[((n * OH + oh) * OW + ow) * CM + c * M + m]!;
              }
            }
          }
          dw_[((kh * KW + kw) * C + c) * M + m]! += acc;
        }
      }
    }
  }
}
