/** The TF.js models the tests load into Sinapse (TF.js layers, devDependencies only). */
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * Every Sequential-friendly layer with a Keras class. TF.js trains it (3 SGD steps) before it is
 * saved; two things it cannot train are kept out of that: TF.js has no gradient for dilated
 * convolutions, so the dilated one comes first and frozen (nothing needs a gradient through it), and
 * `forTraining` (the model whose SGD step is compared) drops dropout, whose masks are random, and uses
 * 'valid' average pooling: TF.js's gradient of 'same' average pooling divides every window by its full
 * size, while its forward pass (and Sinapse, both ways) divides by the cells inside the image.
 */
export function tfSequential(forTraining = false): tfl.Sequential {
  const L = tfl.layers;
  const inputShape = [9, 9, 2];
  return tfl.sequential({
    name: 'every_layer',
    layers: [
      ...(forTraining
        ? []
        : [
            L.conv2d({
              inputShape,
              filters: 2,
              kernelSize: 3,
              dilationRate: 2,
              padding: 'same',
              trainable: false,
              name: 'dilated',
            }),
          ]),
      L.conv2d({
        ...(forTraining ? { inputShape } : {}),
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        name: 'conv_a',
      }),
      L.batchNormalization({ name: 'bn' }),
      L.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same', name: 'max' }),
      L.zeroPadding2d({
        padding: [
          [1, 0],
          [0, 2],
        ],
        name: 'pad',
      }),
      L.conv2d({
        filters: 3,
        kernelSize: [3, 2],
        strides: [2, 1],
        useBias: false,
        activation: 'sigmoid',
        name: 'conv_b',
      }),
      L.conv2d({ filters: 3, kernelSize: 2, activation: 'elu', name: 'conv_c' }),
      L.averagePooling2d({ poolSize: 2, strides: 1, padding: forTraining ? 'valid' : 'same', name: 'avg' }),
      L.reLU({ maxValue: 0.6, name: 'relu6ish' }),
      L.leakyReLU({ alpha: 0.1, name: 'leaky' }),
      L.activation({ activation: 'tanh', name: 'tanh' }),
      ...(forTraining ? [] : [L.dropout({ rate: 0.25, name: 'drop' })]),
      L.flatten({ name: 'flat' }),
      L.dense({ units: 8, activation: 'relu', name: 'fc1' }),
      L.reshape({ targetShape: [2, 4], name: 'reshape' }),
      L.flatten({ name: 'flat2' }),
      L.dense({ units: 3, activation: 'softmax', name: 'out' }),
    ],
  });
}

/** Every merge layer TF.js has, both global poolings, two inputs, two outputs, one layer called twice. */
export function tfFunctional(): tfl.LayersModel {
  const image = tfl.input({ shape: [6, 6, 3], name: 'image' });
  const extra = tfl.input({ shape: [4], name: 'extra' });
  const L = tfl.layers;
  const a = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'a' }).apply(
    image,
  ) as tfl.SymbolicTensor;
  const b = L.conv2d({ filters: 4, kernelSize: 1, name: 'b' }).apply(image) as tfl.SymbolicTensor;
  const s = L.add({ name: 'sum' }).apply([a, b]) as tfl.SymbolicTensor;
  // TF.js has no Subtract layer (Keras has): subtract.test.ts reads Keras's JSON for it
  const m = L.multiply({ name: 'prod' }).apply([s, a]) as tfl.SymbolicTensor;
  const av = L.average({ name: 'mean' }).apply([a, b, s]) as tfl.SymbolicTensor;
  const hi = L.maximum({ name: 'hi' }).apply([m, av]) as tfl.SymbolicTensor;
  const lo = L.minimum({ name: 'lo' }).apply([m, av]) as tfl.SymbolicTensor;
  const c = L.concatenate({ name: 'cat', axis: -1 }).apply([hi, lo]) as tfl.SymbolicTensor;
  const n = L.batchNormalization({ name: 'norm' }).apply(c) as tfl.SymbolicTensor;
  const gmp = L.globalMaxPooling2d({ name: 'gmp' }).apply(n) as tfl.SymbolicTensor;
  const gap = L.globalAveragePooling2d({ name: 'gap' }).apply(n) as tfl.SymbolicTensor;
  const shared = L.dense({ units: 5, activation: 'tanh', name: 'shared' });
  const u = shared.apply(gmp) as tfl.SymbolicTensor;
  const v = shared.apply(gap) as tfl.SymbolicTensor;
  const e = L.dense({ units: 5, name: 'from_extra' }).apply(extra) as tfl.SymbolicTensor;
  const all = L.concatenate({ name: 'all' }).apply([u, v, e]) as tfl.SymbolicTensor;
  const out1 = L.dense({ units: 2, name: 'logits' }).apply(all) as tfl.SymbolicTensor;
  const out2 = L.dense({ units: 1, activation: 'sigmoid', name: 'score' }).apply(v) as tfl.SymbolicTensor;
  return tfl.model({ inputs: [image, extra], outputs: [out1, out2], name: 'merges' });
}

/** Models nested as layers: a Sequential and a functional model inside a functional model, called twice. */
export function tfNested(): tfl.LayersModel {
  const L = tfl.layers;
  const x = tfl.input({ shape: [6], name: 'x' });
  const head = tfl.sequential({
    name: 'head',
    layers: [L.dense({ inputShape: [6], units: 4, activation: 'relu', name: 'h1' }), L.dense({ units: 6, name: 'h2' })],
  });
  const i = tfl.input({ shape: [6], name: 'inner_in' });
  const inner = tfl.model({
    inputs: i,
    outputs: L.dense({ units: 3, activation: 'tanh', name: 'i1' }).apply(i) as tfl.SymbolicTensor,
    name: 'inner',
  });
  const once = head.apply(x) as tfl.SymbolicTensor;
  const twice = head.apply(once) as tfl.SymbolicTensor;
  const y = L.add({ name: 'both' }).apply([
    inner.apply(once),
    inner.apply(twice),
  ] as tfl.SymbolicTensor[]) as tfl.SymbolicTensor;
  return tfl.model({
    inputs: x,
    outputs: L.dense({ units: 2, name: 'out' }).apply(y) as tfl.SymbolicTensor,
    name: 'nested',
  });
}
