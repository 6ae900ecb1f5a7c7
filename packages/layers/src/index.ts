/**
 * @sinapse/layers: Keras-style layers for convolutional networks. See docs/layers.md.
 *
 * @module @sinapse/layers
 */

export {
  ACTIVATION_NAMES,
  type ActivationIdentifier,
  type ActivationName,
  elu,
  getActivation,
  hardSigmoid,
  hardSwish,
  mish,
  selu,
  softsign,
  swish,
} from './activations';
export { Conv1D, type Conv1DOptions } from './convolutional/Conv1D';
export { Conv2D, type Conv2DOptions } from './convolutional/Conv2D';
export { Conv2DTranspose, type Conv2DTransposeOptions } from './convolutional/Conv2DTranspose';
export { Cropping2D, type Cropping2DOptions } from './convolutional/Cropping2D';
export { DepthwiseConv2D, type DepthwiseConv2DOptions } from './convolutional/DepthwiseConv2D';
export { SeparableConv2D, type SeparableConv2DOptions } from './convolutional/SeparableConv2D';
export { UpSampling2D, type UpSampling2DOptions } from './convolutional/UpSampling2D';
export { ZeroPadding2D, type ZeroPadding2DOptions } from './convolutional/ZeroPadding2D';
export { Activation, type ActivationOptions } from './core/Activation';
export { Dense, type DenseOptions } from './core/Dense';
export { Dropout, type DropoutOptions } from './core/Dropout';
export { ELU, type ELUOptions } from './core/ELU';
export { Flatten } from './core/Flatten';
export { GaussianNoise, type GaussianNoiseOptions } from './core/GaussianNoise';
export { InputLayer, type InputLayerOptions, type InputOptions, input } from './core/InputLayer';
export { LeakyReLU, type LeakyReLUOptions } from './core/LeakyReLU';
export { PReLU, type PReLUOptions } from './core/PReLU';
export { ReLU, type ReLUOptions } from './core/ReLU';
export { Reshape, type ReshapeOptions } from './core/Reshape';
export { Softmax, type SoftmaxOptions } from './core/Softmax';
export { SpatialDropout2D, type SpatialDropout2DOptions } from './core/SpatialDropout2D';
export { Node } from './engine/Node';
export { isSymbolic, SymbolicTensor } from './engine/SymbolicTensor';
export * from './initializers';
export {
  type AddWeightOptions,
  type CallOptions,
  formatLayerShape,
  formatLayerShapes,
  Layer,
  type LayerConfig,
  type LayerInput,
  type LayerOptions,
  type LayerShape,
  type LayerShapes,
  type WeightInfo,
  type WeightSpec,
} from './Layer';
export { Add } from './merge/Add';
export { Average } from './merge/Average';
export { Concatenate, type ConcatenateOptions } from './merge/Concatenate';
export { Maximum } from './merge/Maximum';
export { Merge } from './merge/Merge';
export { Minimum } from './merge/Minimum';
export { Multiply } from './merge/Multiply';
export { Subtract } from './merge/Subtract';
export { BatchNormalization, type BatchNormalizationOptions } from './normalization/BatchNormalization';
export { GroupNormalization, type GroupNormalizationOptions } from './normalization/GroupNormalization';
export { LayerNormalization, type LayerNormalizationOptions } from './normalization/LayerNormalization';
export {
  LocalResponseNormalization,
  type LocalResponseNormalizationOptions,
} from './normalization/LocalResponseNormalization';
export { Parameter } from './Parameter';
export { AveragePooling2D } from './pooling/AveragePooling2D';
export { GlobalAveragePooling2D } from './pooling/GlobalAveragePooling2D';
export { GlobalMaxPooling2D } from './pooling/GlobalMaxPooling2D';
export { GlobalPooling2D, type GlobalPooling2DOptions } from './pooling/GlobalPooling2D';
export { L2Pooling2D } from './pooling/L2Pooling2D';
export { MaxPooling2D } from './pooling/MaxPooling2D';
export {
  AveragePooling1D,
  GlobalAveragePooling1D,
  type GlobalAveragePooling1DOptions,
  MaxPooling1D,
  type Pooling1DOptions,
} from './pooling/Pooling1D';
export { Pooling2D, type Pooling2DOptions } from './pooling/Pooling2D';
export {
  deserializeLayer,
  type LayerClass,
  registeredLayers,
  registerLayer,
  type SerializedLayer,
  serializeLayer,
} from './registry';
export {
  deserializeRegularizer,
  getRegularizer,
  l1,
  l2,
  type Regularizer,
  type SerializedRegularizer,
  serializeRegularizer,
} from './regularizers';
export { MAX_DIM } from './util/args';
export type { NoneUnlisted, UnlistedOptions } from './util/optionNames';
export type { KernelBiasOptions } from './util/weightOptions';
export { checkWeightValues } from './util/weights';
