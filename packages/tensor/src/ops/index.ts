// The user-facing ops, one file each (see docs/adding-an-op.md). Tensor methods forward here.
// internal/ holds what several ops share and a user never calls (argument checks, the elementwise
// and reduction plumbing, the fused epilogue); only its public option types are exported, below.

export * from './abs';
export * from './add';
export * from './argmax';
export * from './avgPool2d';
export * from './cast';
export * from './clip';
export * from './concat';
// conv2d.ts and matMul.ts also export the validation and gradient steps that the fused ops share
// (planConv2d, conv2dGrads, ...): internal, so only the ops themselves are listed
export { type Conv2DOptions, conv2d } from './conv2d';
export * from './conv2dTranspose';
export * from './creation';
export * from './depthwiseConv2d';
export * from './div';
export * from './exp';
export * from './expandDims';
export * from './flatten';
export * from './fusedConv2d';
export * from './fusedMatMul';
export * from './gather';
export * from './gelu';
export * from './globalAvgPool2d';
export * from './globalMaxPool2d';
// the option types of the pooling ops, shared by maxPool2d, avgPool2d, l2Pool2d and the global pools
export type { GlobalPool2DOptions, Pool2DOptions } from './internal/pool2dOptions';
export * from './l2Pool2d';
export * from './leakyRelu';
export * from './log';
export * from './logSoftmax';
export { matMul } from './matMul';
export * from './max';
export * from './maximum';
export * from './maxPool2d';
export * from './mean';
export * from './min';
export * from './minimum';
export * from './mul';
export * from './neg';
export * from './pad';
export * from './pow';
export * from './relu';
export * from './reshape';
export * from './resizeBilinear';
export * from './separableConv2d';
export * from './sigmoid';
export * from './slice';
export * from './softmax';
export * from './softplus';
export * from './sqrt';
export * from './square';
export * from './squeeze';
export * from './stack';
export * from './sub';
export * from './sum';
export * from './tanh';
export * from './transpose';
export * from './variance';
export * from './where';
