/**
 * @sinapse/interop: models in and out of Sinapse. The TF.js Layers format both ways (model.json with
 * a Keras model's JSON, and weight shards, float32 or quantized), which is also how Keras models come
 * in (tensorflowjs_converter --input_format keras); and ONNX out and in (toOnnx, fromOnnx, for PyTorch's torch.onnx.export too). Bytes and JSON here; files in
 * `@sinapse/interop/node`. See docs/interop.md.
 *
 * @module @sinapse/interop
 */
export {
  fromLayersArtifacts,
  fromLayersModelJson,
  LAYERS_MODEL_FORMAT,
  type LayersModelArtifacts,
  type LayersModelJson,
  type LayersSource,
  type ToLayersModelJsonOptions,
  type ToLayersOptions,
  toLayersArtifacts,
  toLayersModelJson,
  type WeightBytes,
} from './layersModel/artifacts';
export { L2_POOLING_CLASS, LRN_CLASS } from './layersModel/keras';
export type { KerasModelTopology } from './layersModel/topology';
export type { LayersWeightSpec, Quantization, WeightsManifestGroup } from './layersModel/weights';
export { type ToOnnxOptions, toOnnx } from './onnx/export';
export { type FromOnnxOptions, fromOnnx } from './onnx/import';
