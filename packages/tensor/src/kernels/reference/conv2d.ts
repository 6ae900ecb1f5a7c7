/**
 * 2-D convolution, straight from the definition: one loop per index of the formula. This is the
 * specification the fast kernel (../cpu/conv2d.ts) is tested against; read it first.
 *
 * Deep-learning "convolution" is a cross-correlation (the kernel is not flipped):
 *   y[n, oh, ow, f] = Σ_{kh, kw, c} x[n, ih, iw, c] · w[kh, kw, c, f]
 *   with ih = oh·strideH − padTop + kh·dilationH,  iw = ow·strideW − padLeft + kw·dilationW,
 * where cells outside the input (ih or iw out of range) are the zero padding and contribute 0.
 *
 * Flat NHWC / HWIO indices (row-major):
 *   x[n, ih, iw, c]  = x[((n·H + ih)·W + iw)·C + c]
 *   w[kh, kw, c, f]  = w[((kh·KW + kw)·C + c)·F + f]
 *   y[n, oh, ow, f]  = y[((n·OH + oh)·OW + ow)·F + f]
 *
 * Both gradients come from the same sum. Each term x[n, ih, iw, c]·w[kh, kw, c, f] is added to
 * y[n, oh, ow, f], so its partial derivatives route dy[n, oh, ow, f] back:
 *   dx[n, ih, iw, c]  += dy[n, oh, ow, f] · w[kh, kw, c, f]   (a "transposed convolution")
 *   dw[kh, kw, c, f]  += dy[n, oh, ow, f] · x[n, ih, iw, c]   (x correlated with dy)
 * Strides and dilation need no special case: they only change which (ih, iw) each term touches.
 */
import type { TypedArray } from '../../dtype';
import type { Conv2DInfo } from '../conv2dInfo';

export function conv2d(x: TypedArray, w: TypedArray, y: TypedArray, info: Conv2DInfo): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: F } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = info;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        for (let f = 0; f < F; f++) {
          let acc = 0;
          for (let kh = 0; kh < KH; kh++) {
            const ih = oh * sh - padTop + kh * dh;
            if (ih < 0 || ih >= H) continue; // zero padding
            for (let kw = 0; kw < KW; kw++) {
              const iw = ow * sw - padLeft + kw * dw;
              if (iw < 0 || iw >= W) continue;
              for (let c = 0; c < C; c++) {
                acc += x[((n * H + ih) * W + iw) * C + c]! * w[((kh * KW + kw) * C + c) * F + f]!;
              }
            }
          }
          y[((n * OH + oh) * OW + ow) * F + f] = acc;
        }
      }
    }
  }
}

/** dx += dL/dx: every dy[n, oh, ow, f] flows back to the input cells its window read. */
export function conv2dBackpropInput(dy: TypedArray, w: TypedArray, dx: TypedArray, info: Conv2DInfo): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: F } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = info;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * sh - padTop + kh * dh;
          if (ih < 0 || ih >= H) continue; // padding has no gradient to receive
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * sw - padLeft + kw * dw;
            if (iw < 0 || iw >= W) continue;
            for (let c = 0; c < C; c++) {
              // dx[n, ih, iw, c] += Σ_f dy[n, oh, ow, f] · w[kh, kw, c, f]
              let acc = 0;
              for (let f = 0; f < F; f++) {
                acc += dy[((n * OH + oh) * OW + ow) * F + f]! * w[((kh * KW + kw) * C + c) * F + f]!;
              }
              const i = ((n * H + ih) * W + iw) * C + c;
              dx[i] = dx[i]! + acc;
            }
          }
        }
      }
    }
  }
}

/** dw += dL/dw: each kernel tap sums, over every output position, input times upstream gradient. */
export function conv2dBackpropFilter(x: TypedArray, dy: TypedArray, dw: TypedArray, info: Conv2DInfo): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: F } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dH, dilationWidth: dW, padTop, padLeft } = info;
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      for (let c = 0; c < C; c++) {
        for (let f = 0; f < F; f++) {
          // dw[kh, kw, c, f] = Σ_{n, oh, ow} x[n, ih, iw, c] · dy[n, oh, ow, f]
          let acc = 0;
          for (let n = 0; n < batch; n++) {
            for (let oh = 0; oh < OH; oh++) {
              const ih = oh * sh - padTop + kh * dH;
              if (ih < 0 || ih >= H) continue;
              for (let ow = 0; ow < OW; ow++) {
                const iw = ow * sw - padLeft + kw * dW;
                if (iw < 0 || iw >= W) continue;
                acc += x[((n * H + ih) * W + iw) * C + c]! * dy[((n * OH + oh) * OW + ow) * F + f]!;
              }
            }
          }
          const i = ((kh * KW + kw) * C + c) * F + f;
          dw[i] = dw[i]! + acc;
        }
      }
    }
  }
}
