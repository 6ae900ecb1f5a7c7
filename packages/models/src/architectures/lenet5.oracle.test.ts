/**
 * LeNet-5 against an independent implementation: the same architecture in TF.js layers (CPU
 * backend, a devDependency only), with our weights copied in by setWeights. Both compute in float32
 * with different summation orders, so outputs agree to about 1e-5, not bit for bit.
 */
import { randn, seed } from '@sinapse/tensor';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { lenet5 } from './lenet5';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function tfLeNet5(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }),
      tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tfl.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'valid', activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 120, activation: 'relu' }),
      tfl.layers.dense({ units: 84, activation: 'relu' }),
      tfl.layers.dense({ units: 10 }),
    ],
  });
}

describe('lenet5 vs TF.js layers', () => {
  it('same parameter count, layer by layer and in total', () => {
    const theirs = tfLeNet5();
    expect(lenet5().countParams()).toBe(theirs.countParams());
    const ours = lenet5()
      .summary(() => {})
      .match(/\d[\d,]*$/gm)!
      .slice(0, 8)
      .map((s) => Number(s.replace(/,/g, '')));
    expect(ours).toEqual(theirs.layers.map((l) => l.countParams()));
  });

  it('same output shapes per layer', () => {
    const theirs = tfLeNet5();
    const text = lenet5().summary(() => {});
    for (const layer of theirs.layers) {
      const shape = `(${(layer.outputShape as (number | null)[]).map((d) => d ?? 'None').join(', ')})`;
      expect(text).toContain(shape);
    }
  });

  it('same predictions on 4 random images, with our weights copied in', () => {
    seed(21);
    const ours = lenet5();
    const theirs = tfLeNet5();
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(Array.from(w.data), [...w.shape])));
    const x = randn([4, 28, 28, 1]);
    const got = ours.predict(x).data;
    const want = (theirs.predict(tf.tensor(Array.from(x.data), [...x.shape])) as tf.Tensor).dataSync();
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++)
      expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-5 * (1 + Math.abs(want[i]!)));
  });
});
