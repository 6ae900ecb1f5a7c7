/**
 * The losses against TensorFlow.js (a devDependency, never a runtime one): values and gradients
 * (`tf.grad`) on random inputs. Both sides get the same float32-representable numbers; Sinapse
 * runs in float64, TF.js in float32, so they agree to float32 rounding.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { Generator, type Tensor, tensor } from '@sinapse/tensor';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { binaryCrossentropy } from './binaryCrossentropy';
import { categoricalCrossentropy } from './categoricalCrossentropy';
import { meanAbsoluteError } from './meanAbsoluteError';
import { meanSquaredError } from './meanSquaredError';
import { softmaxCrossEntropy } from './softmaxCrossEntropy';
import { sparseCategoricalCrossentropy } from './sparseCategoricalCrossentropy';
import { sparseSoftmaxCrossEntropy } from './sparseSoftmaxCrossEntropy';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const gen = new Generator(7);
const f32 = (values: number[]): number[] => Array.from(Float32Array.from(values));
const normals = (n: number, scale = 2): number[] => f32(Array.from({ length: n }, () => scale * gen.normal()));
const uniforms = (n: number, lo: number, hi: number): number[] =>
  f32(Array.from({ length: n }, () => lo + (hi - lo) * gen.uniform()));
function oneHot(n: number, c: number): { indices: number[]; rows: number[] } {
  const indices = Array.from({ length: n }, () => gen.int(0, c));
  const rows = indices.flatMap((k) => Array.from({ length: c }, (_, j) => (j === k ? 1 : 0)));
  return { indices, rows };
}

/** Sinapse's loss value and d(loss)/d(prediction), in float64. */
function ours(fn: (p: Tensor) => Tensor, pred: number[], shape: number[]): { value: number; grad: number[] } {
  const p = tensor(pred, shape, { dtype: 'float64', requiresGrad: true });
  const loss = fn(p);
  loss.backward();
  return { value: loss.item(), grad: Array.from(p.grad!.data) };
}

/** TF.js's loss value and gradient, in float32. */
function theirs(fn: (p: tf.Tensor) => tf.Scalar, pred: number[], shape: number[]): { value: number; grad: number[] } {
  const p = tf.tensor(pred, shape);
  const value = fn(p).dataSync()[0]!;
  const grad = Array.from(
    tf
      .grad((q: tf.Tensor) => fn(q))(p)
      .dataSync(),
  );
  return { value, grad };
}

function expectAgree(a: { value: number; grad: number[] }, b: { value: number; grad: number[] }): void {
  expect(a.value).toBeCloseTo(b.value, 4);
  expect(a.grad.length).toBe(b.grad.length);
  for (let i = 0; i < a.grad.length; i++) expect(a.grad[i]).toBeCloseTo(b.grad[i]!, 5);
}

describe.each([
  [8, 10],
  [5, 3],
  [1, 7],
])('vs TF.js, batch %i, %i classes', (n, c) => {
  it('softmaxCrossEntropy = tf.losses.softmaxCrossEntropy', () => {
    const z = normals(n * c);
    const { rows } = oneHot(n, c);
    const y = tensor(rows, [n, c], { dtype: 'float64' });
    expectAgree(
      ours((p) => softmaxCrossEntropy(p, y), z, [n, c]),
      theirs((p) => tf.losses.softmaxCrossEntropy(tf.tensor(rows, [n, c]), p) as tf.Scalar, z, [n, c]),
    );
  });

  it('sparseSoftmaxCrossEntropy = tf.losses.softmaxCrossEntropy on one-hot labels', () => {
    const z = normals(n * c);
    const { indices, rows } = oneHot(n, c);
    expectAgree(
      ours((p) => sparseSoftmaxCrossEntropy(p, indices), z, [n, c]),
      theirs((p) => tf.losses.softmaxCrossEntropy(tf.tensor(rows, [n, c]), p) as tf.Scalar, z, [n, c]),
    );
  });

  it('categoricalCrossentropy = mean of tf.metrics.categoricalCrossentropy (tfjs-layers)', () => {
    const probs = uniforms(n * c, 0.05, 1); // unnormalized on purpose: both rescale rows to sum to 1
    const { rows } = oneHot(n, c);
    const y = tensor(rows, [n, c], { dtype: 'float64' });
    expectAgree(
      ours((p) => categoricalCrossentropy(p, y), probs, [n, c]),
      theirs((p) => tf.mean(tfl.metrics.categoricalCrossentropy(tf.tensor(rows, [n, c]), p)) as tf.Scalar, probs, [
        n,
        c,
      ]),
    );
  });

  it('binaryCrossentropy = mean of tf.metrics.binaryCrossentropy (tfjs-layers)', () => {
    const probs = uniforms(n * c, 0.02, 0.98);
    const targets = uniforms(n * c, 0, 1).map(Math.round);
    const t = tensor(targets, [n, c], { dtype: 'float64' });
    expectAgree(
      ours((p) => binaryCrossentropy(p, t), probs, [n, c]),
      theirs((p) => tf.mean(tfl.metrics.binaryCrossentropy(tf.tensor(targets, [n, c]), p)) as tf.Scalar, probs, [n, c]),
    );
  });

  // tfjs-layers exports no sparse metric; its sparse loss one-hot encodes the indices and calls this one
  it('sparseCategoricalCrossentropy (indices [N] and [N, 1]) = tf.metrics.categoricalCrossentropy of the one-hot rows', () => {
    const probs = uniforms(n * c, 0.05, 1);
    const { indices, rows } = oneHot(n, c);
    const expected = theirs(
      (p) => tf.mean(tfl.metrics.categoricalCrossentropy(tf.tensor(rows, [n, c]), p)) as tf.Scalar,
      probs,
      [n, c],
    );
    expectAgree(
      ours((p) => sparseCategoricalCrossentropy(p, indices), probs, [n, c]),
      expected,
    );
    const column = tensor(indices, [n, 1]);
    expectAgree(
      ours((p) => sparseCategoricalCrossentropy(p, column), probs, [n, c]),
      expected,
    );
  });

  it('the Keras-named cross-entropies with fromLogits: true = tf.losses on logits', () => {
    const z = normals(n * c);
    const { indices, rows } = oneHot(n, c);
    const y = tensor(rows, [n, c], { dtype: 'float64' });
    const softmaxCe = theirs((p) => tf.losses.softmaxCrossEntropy(tf.tensor(rows, [n, c]), p) as tf.Scalar, z, [n, c]);
    expectAgree(
      ours((p) => categoricalCrossentropy(p, y, { fromLogits: true }), z, [n, c]),
      softmaxCe,
    );
    expectAgree(
      ours((p) => sparseCategoricalCrossentropy(p, indices, { fromLogits: true }), z, [n, c]),
      softmaxCe,
    );
    const targets = uniforms(n * c, 0, 1).map(Math.round);
    const t = tensor(targets, [n, c], { dtype: 'float64' });
    expectAgree(
      ours((p) => binaryCrossentropy(p, t, { fromLogits: true }), z, [n, c]),
      theirs((p) => tf.losses.sigmoidCrossEntropy(tf.tensor(targets, [n, c]), p) as tf.Scalar, z, [n, c]),
    );
  });

  it('meanAbsoluteError = tf.losses.absoluteDifference', () => {
    const pred = normals(n * c);
    const target = normals(n * c);
    const t = tensor(target, [n, c], { dtype: 'float64' });
    expectAgree(
      ours((p) => meanAbsoluteError(p, t), pred, [n, c]),
      theirs((p) => tf.losses.absoluteDifference(tf.tensor(target, [n, c]), p) as tf.Scalar, pred, [n, c]),
    );
  });

  it('meanSquaredError = tf.losses.meanSquaredError', () => {
    const pred = normals(n * c);
    const target = normals(n * c);
    const t = tensor(target, [n, c], { dtype: 'float64' });
    expectAgree(
      ours((p) => meanSquaredError(p, t), pred, [n, c]),
      theirs((p) => tf.losses.meanSquaredError(tf.tensor(target, [n, c]), p) as tf.Scalar, pred, [n, c]),
    );
  });
});

describe("reduction 'sum' on rank 3 vs TF.js Reduction.SUM", () => {
  it('meanSquaredError [2, 3, 4] sum = tf.losses.meanSquaredError(…, Reduction.SUM)', () => {
    const pred = normals(24);
    const target = normals(24);
    const t = tensor(target, [2, 3, 4], { dtype: 'float64' });
    expectAgree(
      ours((p) => meanSquaredError(p, t, { reduction: 'sum' }), pred, [2, 3, 4]),
      theirs(
        (p) => tf.losses.meanSquaredError(tf.tensor(target, [2, 3, 4]), p, undefined, tf.Reduction.SUM) as tf.Scalar,
        pred,
        [2, 3, 4],
      ),
    );
  });

  it('softmaxCrossEntropy [2, 3, 4] sum = tf.losses.softmaxCrossEntropy(…, Reduction.SUM)', () => {
    const z = normals(24);
    const { rows } = oneHot(6, 4);
    const y = tensor(rows, [2, 3, 4], { dtype: 'float64' });
    expectAgree(
      ours((p) => softmaxCrossEntropy(p, y, { reduction: 'sum' }), z, [2, 3, 4]),
      theirs(
        (p) =>
          tf.losses.softmaxCrossEntropy(tf.tensor(rows, [2, 3, 4]), p, undefined, 0, tf.Reduction.SUM) as tf.Scalar,
        z,
        [2, 3, 4],
      ),
    );
  });
});
