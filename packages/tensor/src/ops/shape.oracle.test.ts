/**
 * Oracle: transpose, slice, pad, concat and gather against TF.js's CPU backend, forward and
 * gradient (tf.grads), on 20 random configurations each. Shape ops only move values, so the
 * outputs must agree exactly (both sides are float32); gradients too, except gather's, where the
 * gradients of a repeated index are added in float32 in an order that may differ from TF.js's.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
// the gradient rules are registered by a side-effect import (the tfjs-core package entry does not load them)
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../random';
import type { Tensor } from '../tensor';
import { concat } from './concat';
import { randn } from './creation';
import { gather } from './gather';
import { pad } from './pad';
import { slice } from './slice';
import { transpose } from './transpose';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const toTf = (t: Tensor): tf.Tensor => tf.tensor(Array.from(t.data), [...t.shape], 'float32');

function expectSame(got: Tensor, want: tf.Tensor, what: string, tolerance = 0): void {
  expect(got.shape, `${what}: shape`).toEqual(want.shape);
  const w = want.dataSync();
  for (let i = 0; i < w.length; i++) {
    if (!(Math.abs(got.data[i]! - w[i]!) <= tolerance * (1 + Math.abs(w[i]!)))) {
      expect.fail(`${what}: element ${i} is ${got.data[i]}, TF.js says ${w[i]}`);
    }
  }
}

const randomShape = (g: Generator, minRank: number): number[] =>
  Array.from({ length: g.int(minRank, 5) }, () => g.int(1, 5));

/**
 * Runs one configuration on both sides: our op on leaves that require a gradient, theirs under
 * tf.grads with the same upstream gradient dy; compares y and every input's gradient.
 */
function compare(
  what: string,
  g: Generator,
  inputs: Tensor[],
  ours: (...xs: Tensor[]) => Tensor,
  theirs: (...xs: tf.Tensor[]) => tf.Tensor,
  gradTolerance = 0,
): void {
  for (const x of inputs) x.requireGrad();
  const y = ours(...inputs);
  const dy = randn(y.shape, { generator: g });
  y.backward(dy);
  const xs = inputs.map(toTf);
  expectSame(y, theirs(...xs), `${what} forward`);
  const dxs = tf.grads((...a: tf.Tensor[]) => theirs(...a))(xs, toTf(dy));
  inputs.forEach((x, k) => {
    expectSame(x.grad!, dxs[k]!, `${what} gradient of input ${k}`, gradTolerance);
  });
}

describe('shape ops match TF.js', () => {
  it('transpose: 20 random shapes and permutations', () => {
    const g = new Generator(1);
    for (let trial = 0; trial < 20; trial++) {
      const shape = randomShape(g, 1);
      const perm = g.shuffle(shape.map((_, a) => a));
      compare(
        `transpose x=[${shape}] perm=[${perm}]`,
        g,
        [randn(shape, { generator: g })],
        (x) => transpose(x!, perm),
        (x) => tf.transpose(x!, perm),
      );
    }
  });

  it('slice: 20 random blocks', () => {
    const g = new Generator(2);
    for (let trial = 0; trial < 20; trial++) {
      const shape = randomShape(g, 1);
      const begin = shape.map((d) => g.int(0, d));
      // size -1 (to the end) one time in four
      const size = shape.map((d, a) => (g.uniform() < 0.25 ? -1 : g.int(0, d - begin[a]! + 1)));
      compare(
        `slice x=[${shape}] begin=[${begin}] size=[${size}]`,
        g,
        [randn(shape, { generator: g })],
        (x) => slice(x!, begin, size),
        (x) => tf.slice(x!, begin, size),
      );
    }
  });

  it('pad: 20 random paddings and constants', () => {
    const g = new Generator(3);
    for (let trial = 0; trial < 20; trial++) {
      const shape = randomShape(g, 1);
      const paddings = shape.map(() => [g.int(0, 3), g.int(0, 3)] as [number, number]);
      const value = trial % 2 === 0 ? 0 : g.int(-3, 4);
      compare(
        `pad x=[${shape}] paddings=${JSON.stringify(paddings)} value=${value}`,
        g,
        [randn(shape, { generator: g })],
        (x) => pad(x!, paddings, value),
        (x) => tf.pad(x!, paddings, value),
      );
    }
  });

  it('concat: 20 random lists and axes', () => {
    const g = new Generator(4);
    for (let trial = 0; trial < 20; trial++) {
      const shape = randomShape(g, 1);
      const axis = g.int(-shape.length, shape.length);
      const a = axis < 0 ? axis + shape.length : axis;
      const shapes = Array.from({ length: g.int(1, 4) }, () => shape.map((d, b) => (b === a ? g.int(1, 4) : d)));
      compare(
        `concat shapes=${JSON.stringify(shapes)} axis=${axis}`,
        g,
        shapes.map((s) => randn(s, { generator: g })),
        (...xs) => concat(xs, axis),
        (...xs) => tf.concat(xs, axis),
      );
    }
  });

  it('gather: 20 random index lists (with repeats) and axes', () => {
    const g = new Generator(5);
    for (let trial = 0; trial < 20; trial++) {
      const shape = randomShape(g, 1);
      const axis = g.int(0, shape.length);
      const indices = Array.from({ length: g.int(1, 6) }, () => g.int(0, shape[axis]!));
      compare(
        `gather x=[${shape}] indices=[${indices}] axis=${axis}`,
        g,
        [randn(shape, { generator: g })],
        (x) => gather(x!, indices, axis),
        (x) => tf.gather(x!, tf.tensor1d(indices, 'int32'), axis),
        1e-6,
      );
    }
  });
});
