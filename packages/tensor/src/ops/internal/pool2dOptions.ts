// The option types the pooling ops share. Public, unlike the rest of internal/: ops/index.ts
// exports them, so users import them from '@sinapse/tensor'.

/** Options of the 2-D pooling ops (maxPool2d, avgPool2d, l2Pool2d), named as in Keras and TF.js. */
export interface Pool2DOptions {
  /** Window size [poolH, poolW]; a number means square. Default 2. */
  poolSize?: number | readonly [number, number];
  /** Step between windows. Default: poolSize. */
  strides?: number | readonly [number, number];
  /** 'valid' drops incomplete windows; 'same' pads so out = ceil(in / stride). Default 'valid'. */
  padding?: 'valid' | 'same';
}

/** Options of globalMaxPool2d / globalAvgPool2d. */
export interface GlobalPool2DOptions {
  /** Keep the spatial axes as size 1: [N, 1, 1, C] instead of [N, C]. Default false. */
  keepDims?: boolean;
}
