/**
 * @sinapse/tensor: n-dimensional arrays, the ops of a CNN with reverse-mode autograd, and the
 * kernels behind them. Start with docs/tensors.md.
 *
 * @module @sinapse/tensor
 */

export { detectAnomaly, inLayer, isDetectAnomalyEnabled, setDetectAnomaly } from './autograd/anomaly';
export type { BackwardOptions } from './autograd/backward';
export { isGradEnabled, noGrad } from './autograd/gradMode';
export { allocate, BYTES_PER_ELEMENT, checkSize, type DType, MAX_ELEMENTS, type TypedArray } from './dtype';
export { assert, ConfigError, ShapeError, ValueError } from './errors';
export {
  type Backend,
  type Conv2DInfo,
  computeConv2DInfo,
  findBackend,
  getBackend,
  getNumThreads,
  initWasm,
  listBackends,
  registerBackend,
  type SpawnWorker,
  setBackend,
  startThreads,
  stopThreads,
  useWebWorkers,
  wasmSimdSupported,
} from './kernels/index';
export * from './ops/index';
export { checkOptionNames, suggestOption } from './options';
export { Generator, getGenerator, seed } from './random';
export { broadcastShapes, formatShape, type Shape, sizeOf } from './shape';
export { type NestedArray, Tensor, type TensorLike } from './tensor';
export { type GradCheckOptions, type GradCheckResult, gradCheck } from './testing/gradCheck';
