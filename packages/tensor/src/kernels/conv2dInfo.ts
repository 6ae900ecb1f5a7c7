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

export interface Conv2DInfo {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  /** Filters for conv2d; equal to inChannels for pooling. */
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padBottom: number;
  padLeft: number;
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
