/**
 * sinapse: the whole library behind one import, as `@tensorflow/tfjs` is for TF.js.
 *
 *   import * as sn from 'sinapse';
 *   const model = new sn.Sequential([new sn.Conv2D({ filters: 6, kernelSize: 5, inputShape: [28, 28, 1] })]);
 *
 * Everything the six packages export is here under the same name: tensors and ops
 * (@sinapse/tensor), layers (@sinapse/layers), models and builders (@sinapse/models), losses,
 * optimizers and fit (@sinapse/train), datasets (@sinapse/data), the TF.js Layers format
 * (@sinapse/interop: fromLayersArtifacts, toLayersArtifacts; loadLayersModel and saveLayersModel in sinapse/node). Where two packages use one name,
 * `zeros` and `ones` are the tensor functions (the initializers of those names are in
 * `sn.initializers`) and `Conv2DOptions` and `Conv2DTransposeOptions` are the layers' (the ops' are `Conv2DOpOptions` and
 * `Conv2DTransposeOpOptions`). The Node-only helpers (files, threads, the terminal) are in `sinapse/node`.
 *
 * @module sinapse
 */

// names two packages export: the tensor functions win over the initializers (see sn.initializers),
// the layer's options over the op's (the op's stay reachable as Conv2DOpOptions), and the batch
// types of data and train are the same { x, y }
export type { Batch } from '@sinapse/data';
export * from '@sinapse/data';
export * from '@sinapse/interop';
export type { Conv2DOptions, Conv2DTransposeOptions } from '@sinapse/layers';
export * from '@sinapse/layers';
export * from '@sinapse/models';
export * from '@sinapse/tensor';
export {
  type Conv2DOptions as Conv2DOpOptions,
  type Conv2DTransposeOptions as Conv2DTransposeOpOptions,
  ones,
  zeros,
} from '@sinapse/tensor';
export * from '@sinapse/train';
export * as initializers from './initializers';
