/**
 * Geometry of a 2-D sliding window (convolution or pooling) over NHWC input, computed once by
 * the op and handed to kernels as plain numbers.
 *
 * Note [Padding: 'valid' and 'same']
 * With an effective window size kEff = (k − 1)·dilation + 1:
 *   'valid': no padding,   out = floor((in − kEff) / stride) + 1
 *   'same':  out = ceil(in / stride), and the total padding needed is
 *            padTotal = max((out − 1)·stride + kEff − in, 0),
 *            split padTop = floor(padTotal / 2), padBottom = padTotal − padTop:
 *            when the total is odd, the extra cell goes to the bottom/right, as in TensorFlow
 *            (PyTorch's symmetric padding differs here).
 */
import { ValueError } from '../errors';

/**
 * Everything a 2-D convolution or pooling kernel needs to know, worked out once by
 * {@link computeConv2DInfo} from the input shape, the window and the options: sizes, strides,
 * dilations and the padding on each side (NHWC input, `[kh, kw, inChannels, filters]` filters).
 */
export interface Conv2DInfo {
  /** N, the number of images. */
  batch: number;
  /** H, the input's height. */
  inHeight: number;
  /** W, the input's width. */
  inWidth: number;
  /** C, the input's channels. */
  inChannels: number;
  /** H_out: `floor((H + padTop + padBottom − dh·(kh − 1) − 1) / sh) + 1`. */
  outHeight: number;
  /** W_out, as outHeight across. */
  outWidth: number;
  /** Filters for conv2d; equal to inChannels for pooling. */
  outChannels: number;
  /** kh, the window's height. */
  filterHeight: number;
  /** kw, the window's width. */
  filterWidth: number;
  /** sh, the step between windows down the image. */
  strideHeight: number;
  /** sw, the step between windows across. */
  strideWidth: number;
  /** dh, the gap between the window's rows (1: no gap). */
  dilationHeight: number;
  /** dw, the gap between the window's columns (1: no gap). */
  dilationWidth: number;
  /** Zero rows added above the image ('same' puts the smaller half here). */
  padTop: number;
  /** Zero rows added below (the extra row when the total is odd, as in TensorFlow). */
  padBottom: number;
  /** Zero columns added on the left. */
  padLeft: number;
  /** Zero columns added on the right (the extra one when the total is odd). */
  padRight: number;
}

export type Padding = 'valid' | 'same';

/**
 * Computes output size and padding for a window of `filterHeight × filterWidth` over an NHWC
 * input `[batch, inHeight, inWidth, inChannels]`. Arguments must already be validated; this only
 * does arithmetic. The op checks that the output is not empty.
 */
export function computeConv2DInfo(
  inShape: readonly [number, number, number, number],
  filter: readonly [number, number],
  outChannels: number,
  strides: readonly [number, number],
  dilations: readonly [number, number],
  padding: Padding,
): Conv2DInfo {
  const [batch, inHeight, inWidth, inChannels] = inShape;
  const [filterHeight, filterWidth] = filter;
  const [strideHeight, strideWidth] = strides;
  const [dilationHeight, dilationWidth] = dilations;
  const effH = (filterHeight - 1) * dilationHeight + 1;
  const effW = (filterWidth - 1) * dilationWidth + 1;
  let outHeight: number;
  let outWidth: number;
  let padTop = 0;
  let padBottom = 0;
  let padLeft = 0;
  let padRight = 0;
  if (padding === 'same') {
    outHeight = Math.ceil(inHeight / strideHeight);
    outWidth = Math.ceil(inWidth / strideWidth);
    const padH = Math.max((outHeight - 1) * strideHeight + effH - inHeight, 0);
    const padW = Math.max((outWidth - 1) * strideWidth + effW - inWidth, 0);
    padTop = Math.floor(padH / 2);
    padBottom = padH - padTop;
    padLeft = Math.floor(padW / 2);
    padRight = padW - padLeft;
  } else if (padding === 'valid') {
    outHeight = Math.max(0, Math.floor((inHeight - effH) / strideHeight) + 1);
    outWidth = Math.max(0, Math.floor((inWidth - effW) / strideWidth) + 1);
  } else {
    throw new ValueError(`padding must be 'valid' or 'same', but got ${JSON.stringify(padding)}`);
  }
  return {
    batch,
    inHeight,
    inWidth,
    inChannels,
    outHeight,
    outWidth,
    outChannels,
    filterHeight,
    filterWidth,
    strideHeight,
    strideWidth,
    dilationHeight,
    dilationWidth,
    padTop,
    padBottom,
    padLeft,
    padRight,
  };
}
