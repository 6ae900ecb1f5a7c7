/**
 * @sinapse/interop/node: the TF.js Layers format and ONNX as files (Node only; the core package works on
 * bytes and JSON, so it runs in a browser).
 *
 * @module @sinapse/interop/node
 */
export { loadLayersModel, loadOnnx, type SaveLayersModelOptions, saveLayersModel, saveOnnx } from './files';
