/**
 * The merge layers against TF.js layers (tf.layers.add, multiply, average, maximum, minimum,
 * concatenate, and tf.sub for Subtract, which TF.js layers lacks; CPU backend, a devDependency
 * only) on random shapes: the same inputs, the
 * outputs, and the gradients with respect to every input of L = Σ r ⊙ layer(inputs) for a random
 * cotangent r (tf.grads on their side, backward on ours). Both compute in float32 and these are one
 * or two roundings per element, so they agree to 1e-6 relative to 1 + |value|.
 *
 * Two TF.js 4.22 limitations shape the reference (neither is ours):
 * - the gradients of tf.maximum and tf.minimum (tfjs-core gradients/Maximum_grad.ts) do not sum
 *   over broadcast axes ("The gradient of input 'a' has shape '2,2,2', which does not match the
 *   shape of the input '2,1,2'"), so the reference gradient broadcasts the inputs with
 *   tf.broadcastTo first, whose gradient does the sum;
 * - tfjs-layers' concatenate (backend/tfjs_backend.ts `concatenate`) turns every negative axis into
 *   the last one, so TF.js is given the axis counted from the front while Sinapse gets the negative one.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { Generator, rand, type Tensor } from '@sinapse/tensor';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Layer } from '../Layer';
import { Add } from './Add';
import { Average } from './Average';
import { Concatenate } from './Concatenate';
import { Maximum } from './Maximum';
import { Minimum } from './Minimum';
import { Multiply } from './Multiply';
import { Subtract } from './Subtract';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TOL = 1e-6;

function expectClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= TOL * (1 + Math.abs(e)))) {
      expect.fail(`${what}, element ${i}: Sinapse ${a}, TF.js ${e} (tolerance ${TOL})`);
    }
  }
}

const toTf = (t: Tensor) => tf.tensor(Array.from(t.data), [...t.shape], 'float32');

/**
 * Runs both layers on the same inputs; compares the output (values and shape) and the gradient
 * of Σ r ⊙ y with respect to each input (a broadcast input's gradient is summed over the copies).
 */
function expectSameAsTf(ours: Layer, theirs: Reference, shapes: number[][], seed: number): void {
  const g = new Generator(seed);
  const xs = shapes.map((s) => rand(s, { low: -2, high: 2, generator: g, requiresGrad: true }));
  const y = ours.apply(xs);
  const r = rand(y.shape, { low: -1, high: 1, generator: g });
  y.backward(r);

  const want = theirs(xs.map(toTf));
  expect(y.shape).toEqual(want.shape);
  expectClose('output', y.data, want.dataSync());
  const broadcast = (t: tf.Tensor) => (ours instanceof Concatenate ? t : tf.broadcastTo(t, want.shape));
  const f = (...ts: tf.Tensor[]) => tf.sum(tf.mul(theirs(ts.map(broadcast)), toTf(r)));
  const grads = tf.grads(f)(xs.map(toTf));
  xs.forEach((x, i) => {
    expect(x.grad, `gradient of input ${i}`).not.toBeNull();
    expectClose(`gradient of input ${i}`, x.grad!.data, grads[i]!.dataSync());
  });
}

/** TF.js's function of the inputs: a TF.js layer's apply, or ops where TF.js has no such layer. */
type Reference = (inputs: tf.Tensor[]) => tf.Tensor;
const tfLayer =
  (make: () => tfl.layers.Layer): (() => Reference) =>
  () => {
    const layer = make();
    return (inputs) => layer.apply(inputs) as tf.Tensor;
  };

interface Elementwise {
  name: string;
  ours: () => Layer;
  theirs: () => Reference;
  maxInputs: number;
}
const elementwise: Elementwise[] = [
  { name: 'Add', ours: () => new Add(), theirs: tfLayer(() => tfl.layers.add({})), maxInputs: 4 },
  // TF.js layers has no subtract layer (Keras has): its reference is tf.sub, a − b
  {
    name: 'Subtract',
    ours: () => new Subtract(),
    theirs:
      () =>
      ([p, q]) =>
        tf.sub(p!, q!),
    maxInputs: 2,
  },
  { name: 'Multiply', ours: () => new Multiply(), theirs: tfLayer(() => tfl.layers.multiply({})), maxInputs: 4 },
  { name: 'Average', ours: () => new Average(), theirs: tfLayer(() => tfl.layers.average({})), maxInputs: 4 },
  { name: 'Maximum', ours: () => new Maximum(), theirs: tfLayer(() => tfl.layers.maximum({})), maxInputs: 4 },
  { name: 'Minimum', ours: () => new Minimum(), theirs: tfLayer(() => tfl.layers.minimum({})), maxInputs: 4 },
];

/**
 * Random input shapes of rank 2 to 4 with one batch size (TF.js refuses merging different batch
 * sizes); in about one input in two, some feature axes are 1 and broadcast.
 */
function elementwiseShapes(g: Generator, maxInputs: number): number[][] {
  const rank = g.int(2, 4);
  const full = [g.int(1, 3), ...Array.from({ length: rank - 1 }, () => g.int(2, 4))];
  const n = g.int(2, maxInputs);
  return Array.from({ length: n }, () => full.map((d, axis) => (axis > 0 && g.uniform() < 0.25 ? 1 : d)));
}

describe('elementwise merge layers vs TF.js layers, forward and gradients', () => {
  elementwise.forEach((m, k) => {
    const g = new Generator(300 + k);
    const cases = Array.from({ length: 8 }, (_, i) => [JSON.stringify(elementwiseShapes(g, m.maxInputs)), i] as const);
    it.each(cases)(`${m.name} on %s`, (shapes, i) => {
      expectSameAsTf(m.ours(), m.theirs(), JSON.parse(shapes), 1000 * k + i);
    });
  });
});

describe('Concatenate vs TF.js tf.layers.concatenate, forward and gradients', () => {
  const g = new Generator(400);
  const cases = Array.from({ length: 12 }, (_, i) => {
    const rank = g.int(2, 4);
    const base = [g.int(1, 3), ...Array.from({ length: rank - 1 }, () => g.int(1, 4))];
    // half the cases count the axis from the end
    const positive = g.int(1, rank - 1);
    const axis = i % 2 === 0 ? positive - rank : positive;
    const shapes = Array.from({ length: g.int(2, 4) }, () => base.map((d, a) => (a === positive ? g.int(1, 4) : d)));
    return [axis, JSON.stringify(shapes), i] as const;
  });
  it.each(cases)('axis %i on %s', (axis, shapes, i) => {
    const rank = JSON.parse(shapes)[0].length;
    const theirs = tfLayer(() => tfl.layers.concatenate({ axis: axis < 0 ? axis + rank : axis }));
    expectSameAsTf(new Concatenate({ axis }), theirs(), JSON.parse(shapes), 5000 + i);
  });
});
