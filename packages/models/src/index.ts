/**
 * @sinapse/models: `Sequential` and functional models (`model({ inputs, outputs })`), the classic CNNs as
 * builders (`lenet5`, `alexnet`, `vgg`, `resnet50`…), `summary()`, and save / load: the artifacts codec
 * (encodeArtifacts / decodeArtifacts, plain data in and out), `model.toArtifacts()` and `fromArtifacts`.
 * Node's file adapter is `@sinapse/models/node`.
 * See docs/models.md.
 *
 * @module @sinapse/models
 */

export { type AlexNetOptions, alexnet, alexnetMini } from './architectures/alexnet';
export { type LeNet5Options, lenet5 } from './architectures/lenet5';
export {
  type MobileNetOptions,
  type MobileNetV1Options,
  makeDivisible,
  mobilenet,
  mobilenetV2,
} from './architectures/mobilenet';
export {
  type ResNetMiniOptions,
  type ResNetOptions,
  resnet18,
  resnet34,
  resnet50,
  resnet101,
  resnet152,
  resnetMini,
} from './architectures/resnet';
export { type UNetOptions, unet } from './architectures/unet';
export { type VGGDepth, type VGGOptions, vgg } from './architectures/vgg';
export {
  type ArtifactsSource,
  type CheckedArtifacts,
  checkArtifacts,
  checkModelJson,
  decodeArtifacts,
  encodeArtifacts,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelArtifacts,
  type ModelData,
  type ModelJson,
  type NamedTensor,
  type OptimizerState,
  type ShardedArtifacts,
  splitShards,
  unpackArtifacts,
  type WeightEntry,
} from './artifacts';
export { crc32 } from './crc32';
export { type InputData, type ModelInputs, toTensor, toTensors } from './data';
export { artifactsFromFiles, MODEL_JSON_FILE, modelFromFiles } from './files';
export { fromArtifacts } from './fromArtifacts';
export type { GraphConfig, GraphLayerConfig, TensorRef } from './graph';
export { Model, type ModelArgs, type ModelConfig, model, type OutputsOf, type PredictOptions } from './Model';
export { Sequential, type SequentialConfig, type SequentialOptions } from './Sequential';
export { type FunctionalSummaryRow, formatKerasShape, type SummaryOptions, type SummaryRow } from './summary';
export {
  type CompileArgs,
  getTrainer,
  type ModelEvaluateArgs,
  type ModelFitArgs,
  registerTrainer,
  type Trainer,
  type TrainingHistory,
} from './training';
