/**
 * The pooling layers against TF.js layers (CPU backend, a devDependency): same configuration, same
 * random input, outputs compared element by element. Pooling only selects or averages values, so
 * float32 results agree to rounding (tolerance 1e-5 relative to 1 + |value|).
 */
import { Generator } from '@sinapse/tensor';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dropout } from '../core/Dropout';
import type { Layer } from '../Layer';
import { randomInput } from '../testing/layerTest';
import { AveragePooling2D } from './AveragePooling2D';
import { GlobalAveragePooling2D } from './GlobalAveragePooling2D';
import { GlobalMaxPooling2D } from './GlobalMaxPooling2D';
import { MaxPooling2D } from './MaxPooling2D';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function expectSameOutput(ours: Layer, theirs: tfl.layers.Layer, inputShape: number[], seed: number): void {
  const x = randomInput(inputShape, seed);
  const y = ours.apply(x);
  const want = (theirs.apply(tf.tensor(Array.from(x.data), inputShape)) as tf.Tensor).dataSync();
  expect(y.shape).toEqual(theirs.computeOutputShape(inputShape));
  for (let i = 0; i < want.length; i++) {
    expect(Math.abs(y.data[i]! - want[i]!)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want[i]!)));
  }
}

const int = (g: Generator, lo: number, hi: number) => lo + Math.floor(g.uniform() * (hi - lo + 1));

// random windows 1-4, strides 1-3, both paddings, odd and non-square inputs at least as big as the window
const g = new Generator(31);
const configs = Array.from({ length: 12 }, (_, i) => {
  const poolSize: [number, number] = [int(g, 1, 4), int(g, 1, 4)];
  const strides: [number, number] = [int(g, 1, 3), int(g, 1, 3)];
  const padding = i % 2 === 0 ? ('valid' as const) : ('same' as const);
  const input = [int(g, 1, 3), poolSize[0] + int(g, 0, 5), poolSize[1] + int(g, 0, 5), int(g, 1, 4)];
  return { poolSize, strides, padding, input };
});
const title = (c: (typeof configs)[number]) =>
  `x=[${c.input}] pool=[${c.poolSize}] strides=[${c.strides}] ${c.padding}`;

describe('MaxPooling2D matches tf.layers.maxPooling2d', () => {
  it.each(configs.map((c, i) => [title(c), c, i] as const))('%s', (_t, c, i) => {
    const opts = { poolSize: c.poolSize, strides: c.strides, padding: c.padding };
    expectSameOutput(new MaxPooling2D(opts), tfl.layers.maxPooling2d(opts), c.input, i);
  });
});

describe('AveragePooling2D matches tf.layers.averagePooling2d', () => {
  it.each(configs.map((c, i) => [title(c), c, i] as const))('%s', (_t, c, i) => {
    const opts = { poolSize: c.poolSize, strides: c.strides, padding: c.padding };
    expectSameOutput(new AveragePooling2D(opts), tfl.layers.averagePooling2d(opts), c.input, i);
  });
});

describe('global pooling and inference-mode Dropout match TF.js', () => {
  it.each(configs.slice(0, 6).map((c, i) => [`x=[${c.input}]`, c, i] as const))('%s', (_t, c, i) => {
    expectSameOutput(new GlobalMaxPooling2D(), tfl.layers.globalMaxPooling2d({}), c.input, i);
    expectSameOutput(new GlobalAveragePooling2D(), tfl.layers.globalAveragePooling2d({}), c.input, i);
    expectSameOutput(new Dropout({ rate: 0.5 }), tfl.layers.dropout({ rate: 0.5 }), c.input, i);
  });
});
