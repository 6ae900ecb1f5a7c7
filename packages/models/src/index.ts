/**
 * @sinapse/models: `Sequential` and functional models, the classic CNNs as builders (`lenet5`, `alexnet`, `vgg`, `resnet50`…),
 * `summary()`, and save / load as in-memory artifacts. Node's file adapter is `@sinapse/models/node`.
 * See docs/models.md.
 */

export { type AlexNetOptions, alexnet, alexnetMini } from './architectures/alexnet';
export { type LeNet5Options, lenet5 } from './architectures/lenet5';
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
export { type VGGDepth, type VGGOptions, vgg } from './architectures/vgg';
export {
  type ArtifactLabels,
  crc32,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelArtifacts,
  type ModelJson,
  type OptimizerState,
  type WeightEntry,
} from './artifacts';
export { type InputData, type ModelData, toTensor, toTensors } from './data';
export type { GraphConfig, GraphLayerConfig, TensorRef } from './graph';
export { Model, type ModelArgs, type ModelConfig, model, type OutputsOf, type PredictOptions } from './Model';
export { fromArtifacts, Sequential, type SequentialConfig, type SequentialOptions } from './Sequential';
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
