/**
 * @sinapse/data: the IDX file format (how MNIST is stored), MNIST as tensors, a Dataset with
 * batching and seeded shuffling, and augmentation for digit images. Browser-safe; reading files
 * from disk is in `@sinapse/data/node`.
 *
 * @module @sinapse/data
 */

export {
  type RandomRotationOptions,
  type RandomShiftOptions,
  randomRotation,
  randomShift,
  rotateImages,
  shiftImages,
} from './augment';
export { type Batch, type BatchContext, type BatchTransform, Dataset } from './dataset';
export {
  encodeIdx,
  type IdxArray,
  type IdxData,
  type IdxDType,
  type IdxHeader,
  type ParseIdxOptions,
  parseIdx,
  readIdxHeader,
} from './idx';
export {
  MNIST_CLASSES,
  type Mnist,
  type MnistBuffers,
  type MnistOptions,
  type MnistSplit,
  mnistFromBuffers,
} from './mnist';
export { mixSeed } from './seeds';
