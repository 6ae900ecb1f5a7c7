import type { Tensor } from '../tensor';

/** Options of {@link conv2d}, named as in TF.js. */
export interface Conv2DOptions {
  /** Step between windows, [strideH, strideW]; a number means both. Default 1. */
  strides?: number | readonly [number, number];
  /** 'valid': no padding; 'same': pad so that out = ceil(in / stride). Default 'valid'. */
  padding?: 'valid' | 'same';
  /** Spacing between kernel taps, [dilationH, dilationW]. Default 1. */
  dilationRate?: number | readonly [number, number];
}

export function conv2d(x: Tensor, kernel: Tensor, options: Conv2DOptions = {}): Tensor {
  throw new Error('not implemented yet');
}
