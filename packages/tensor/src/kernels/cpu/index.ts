/**
 * The 'cpu' backend: the fast JavaScript kernels, the default where WebAssembly SIMD is missing.
 * conv2d is lowered to im2col plus a cache-blocked, register-tiled matrix product (see gemm.ts
 * and conv2d.ts).
 */
import type { Backend } from '../backend';
import { biasActivation, biasActivationBackward, relu, reluBackward } from './activation';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from './conv2d';
import { depthwiseConv2d, depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput } from './depthwiseConv2d';
import { matMul } from './gemm';
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward } from './pool2d';

export const cpuBackend: Backend = {
  name: 'cpu',
  matMul,
  conv2d,
  conv2dBackpropInput,
  conv2dBackpropFilter,
  depthwiseConv2d,
  depthwiseConv2dBackpropInput,
  depthwiseConv2dBackpropFilter,
  maxPool2d,
  maxPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
  relu,
  reluBackward,
  biasActivation,
  biasActivationBackward,
};
