/**
 * The 'reference' backend: every kernel written straight from its definition, as plain nested
 * loops. Slow on purpose; it is the readable specification and the oracle the fast kernels are
 * tested against.
 */
import type { Backend } from '../backend';
import { biasActivation, biasActivationBackward, relu, reluBackward } from './activation';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from './conv2d';
import { depthwiseConv2d, depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput } from './depthwiseConv2d';
import { matMul } from './matMul';
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward } from './pool2d';

export const referenceBackend: Backend = {
  name: 'reference',
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
