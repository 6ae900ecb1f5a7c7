/**
 * resnetMini against an independent implementation: the same graph written with TF.js layers' functional
 * API (CPU backend, a devDependency only), our weights copied in layer by layer by name. It checks the
 * parts a summary cannot: the explicit padding before the stride-2 convs, the shortcut added to the right
 * tensor, BatchNormalization's ε and statistics. Both compute in float32 with different summation
 * orders, so outputs agree to about 1e-5, not bit for bit.
 */
import { type BatchNormalization, Conv2D, type Layer } from '@sinapse/layers';
import { rand, randn, seed, type Tensor } from '@sinapse/tensor';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { resnetMini } from './resnet';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** torchvision's BasicBlock in TF.js, with the names resnetMini gives its layers. */
function tfBlock(x: tfl.SymbolicTensor, planes: number, stride: number, name: string): tfl.SymbolicTensor {
  const bn = (n: string) => tfl.layers.batchNormalization({ name: n, epsilon: 1e-5, momentum: 0.9 });
  const conv = (n: string, k: number, s: number, padding: 'same' | 'valid') =>
    tfl.layers.conv2d({ name: n, filters: planes, kernelSize: k, strides: s, padding, useBias: false });
  let f = x;
  if (stride === 2)
    f = tfl.layers.zeroPadding2d({ name: `${name}_conv1_pad`, padding: 1 }).apply(f) as tfl.SymbolicTensor;
  f = conv(`${name}_conv1`, 3, stride, stride === 2 ? 'valid' : 'same').apply(f) as tfl.SymbolicTensor;
  f = tfl.layers.reLU().apply(bn(`${name}_bn1`).apply(f)) as tfl.SymbolicTensor;
  f = bn(`${name}_bn2`).apply(conv(`${name}_conv2`, 3, 1, 'same').apply(f)) as tfl.SymbolicTensor;
  const identity =
    stride === 1 && x.shape[3] === planes
      ? x
      : (bn(`${name}_downsample_1`).apply(
          conv(`${name}_downsample_0`, 1, stride, 'valid').apply(x),
        ) as tfl.SymbolicTensor);
  return tfl.layers.reLU().apply(tfl.layers.add().apply([f, identity])) as tfl.SymbolicTensor;
}

function tfResNetMini(): tfl.LayersModel {
  const image = tfl.input({ shape: [28, 28, 1] });
  let x = tfl.layers.zeroPadding2d({ padding: 1 }).apply(image) as tfl.SymbolicTensor;
  x = tfl.layers
    .conv2d({ name: 'conv1', filters: 16, kernelSize: 3, strides: 2, useBias: false })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .reLU()
    .apply(tfl.layers.batchNormalization({ name: 'bn1', epsilon: 1e-5 }).apply(x)) as tfl.SymbolicTensor;
  x = tfBlock(x, 16, 1, 'layer1_0');
  x = tfBlock(x, 32, 2, 'layer2_0');
  x = tfBlock(x, 64, 2, 'layer3_0');
  x = tfl.layers.globalAveragePooling2d({}).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.dense({ name: 'fc', units: 10 }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: image, outputs: x });
}

const toTf = (t: Tensor) => tf.tensor(Array.from(t.data), [...t.shape]);

describe('resnetMini vs TF.js layers', () => {
  it('same parameter count, and the same outputs in inference and in training mode with our weights copied in', () => {
    seed(0);
    const ours = resnetMini();
    const theirs = tfResNetMini();
    expect(ours.countParams()).toBe(theirs.countParams());
    // a functional model makes its weights when first asked for them as a whole (a layer alone has
    // none yet); then random statistics, so inference really uses them (they start at 0 and 1)
    expect(ours.getLayer('conv1').getWeights()).toEqual([]);
    expect(ours.weights).toHaveLength(theirs.weights.length);
    for (const layer of ours.layers) {
      if (layer.className !== 'BatchNormalization') continue;
      const [gamma, , mean] = layer.getWeights() as [Tensor, Tensor, Tensor, Tensor];
      const c = gamma.shape[0]!;
      layer.setWeights([
        rand([c], { low: 0.5, high: 1.5 }),
        randn([c]).mul(0.1),
        mean.add(randn([c]).mul(0.1)),
        rand([c], { low: 0.5, high: 2 }),
      ]);
    }
    const weighted = ours.layers.filter((l: Layer) => l.weights.length > 0);
    expect(weighted.length).toBe(theirs.layers.filter((l) => l.weights.length > 0).length);
    for (const layer of weighted) {
      theirs.getLayer(layer.name).setWeights(layer.getWeights().map(toTf));
    }
    expect(weighted.filter((l) => l instanceof Conv2D).length).toBe(9); // conv1, 2 + 2 + 2 in the blocks, 2 downsamples
    const x = randn([3, 28, 28, 1]);
    const close = (a: Tensor, b: tf.Tensor) => {
      const want = b.dataSync();
      const got = a.data;
      expect(got.length).toBe(want.length);
      const scale = Math.max(...Array.from(want, Math.abs));
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(2e-5 * scale + 1e-6);
    };
    close(ours.predict(x), theirs.predict(toTf(x)) as tf.Tensor);
    // training mode: batch statistics, so the stride-2 padding and the shortcuts show in every number
    close(ours.apply(x, { training: true }).detach(), theirs.apply(toTf(x), { training: true }) as tf.Tensor);
    expect((ours.getLayer('bn1') as BatchNormalization).epsilon).toBe(1e-5);
  });
});
