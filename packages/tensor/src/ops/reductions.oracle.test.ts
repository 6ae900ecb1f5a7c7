/**
 * Oracle: sum, mean, max, min and variance against TF.js's CPU backend (an independent
 * implementation), forward and gradient, on random shapes, axes and keepDims. TF.js is float32,
 * so the comparison is float32 with a relative tolerance.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
// the gradient rules are registered by a side-effect import (the tfjs-core package entry does not load them)
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../random';
import type { Tensor } from '../tensor';
import { randn } from './creation';
import { max } from './max';
import { mean } from './mean';
import { min } from './min';
import { sum } from './sum';
import { variance } from './variance';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** |a − b| ≤ 1e-5 + 1e-4·|b| elementwise, with a message naming the first bad element. */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const ok = Math.abs(got[i]! - want[i]!) <= 1e-5 + 1e-4 * Math.abs(want[i]!);
    if (!ok) expect.fail(`${what}: element ${i} is ${got[i]}, TF.js says ${want[i]}`);
  }
}

const toTf = (t: Tensor): tf.Tensor => tf.tensor(Array.from(t.data), [...t.shape], 'float32');

interface Config {
  shape: number[];
  axis: number | number[] | undefined;
  keepDims: boolean;
}

/** A random rank 0–4 shape (dims 1–4), and a random axis, list of axes (some negative) or undefined. */
function randomConfig(g: Generator): Config {
  const rank = g.int(0, 5);
  const shape = Array.from({ length: rank }, () => g.int(1, 5));
  const keepDims = g.uniform() < 0.5;
  if (rank === 0 || g.uniform() < 0.2) return { shape, axis: undefined, keepDims };
  const axes = Array.from({ length: rank }, (_, a) => a).filter(() => g.uniform() < 0.5);
  if (axes.length === 0) axes.push(g.int(0, rank));
  const signed = axes.map((a) => (g.uniform() < 0.5 ? a - rank : a));
  return { shape, axis: signed.length === 1 && g.uniform() < 0.5 ? signed[0] : signed, keepDims };
}

type Ours = (x: Tensor, axis?: number | number[], keepDims?: boolean) => Tensor;
type Theirs = (x: tf.Tensor, axis: number | number[] | undefined, keepDims: boolean) => tf.Tensor;

const cases: Array<[string, Ours, Theirs]> = [
  ['sum', sum, (x, axis, keepDims) => tf.sum(x, axis, keepDims)],
  ['mean', mean, (x, axis, keepDims) => tf.mean(x, axis, keepDims)],
  ['max', max, (x, axis, keepDims) => tf.max(x, axis, keepDims)],
  ['min', min, (x, axis, keepDims) => tf.min(x, axis, keepDims)],
  ['variance', variance, (x, axis, keepDims) => tf.moments(x, axis, keepDims).variance],
];

describe.each(cases)('%s matches TF.js', (name, ours, theirs) => {
  it('on 20 random shapes, axes and keepDims (forward and gradient)', () => {
    const g = new Generator(name.length * 1000 + 7);
    for (let trial = 0; trial < 20; trial++) {
      const c = randomConfig(g);
      const what = `${name} x=[${c.shape}] axis=${JSON.stringify(c.axis)} keepDims=${c.keepDims}`;
      const x = randn(c.shape, { generator: g, requiresGrad: true });
      const y = ours(x, c.axis, c.keepDims);
      const dy = randn(y.shape, { generator: g });
      y.backward(dy);

      const xt = toTf(x);
      const yt = theirs(xt, c.axis, c.keepDims);
      expect(y.shape, what).toEqual(yt.shape);
      expectClose(y.data, yt.dataSync(), `${what} forward`);
      const [dxt] = tf.grads((a: tf.Tensor) => theirs(a, c.axis, c.keepDims))([xt], toTf(dy));
      expectClose(x.grad!.data, dxt!.dataSync(), `${what} gradient`);
      tf.dispose([xt, yt, dxt!]);
    }
  });
});
