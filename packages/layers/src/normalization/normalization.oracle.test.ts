/**
 * Oracle tests: BatchNormalization against TF.js layers' BatchNormalization, and
 * LocalResponseNormalization against tf.localResponseNormalization (same definition: α multiplies
 * the sum of squares), forward and gradient, on random configurations. TF.js computes in float32,
 * so the tolerances are float32's.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Generator, rand, type Tensor } from '@sinapse/tensor';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchNormalization } from './BatchNormalization';
import { LocalResponseNormalization } from './LocalResponseNormalization';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= tol * (1 + Math.abs(e)))) {
      expect.fail(`element ${i}: sinapse ${a}, TF.js ${e} (tolerance ${tol})`);
    }
  }
}

function toTf(t: Tensor): tf.Tensor {
  return tf.tensor(Array.from(t.data), [...t.shape], 'float32');
}

interface BnConfig {
  shape: number[];
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
}

/** Random shapes (rank 2 to 4) with varied axes, momentum and epsilon. */
function bnConfigs(count: number): BnConfig[] {
  const g = new Generator(2024);
  const configs: BnConfig[] = [];
  for (let i = 0; i < count; i++) {
    const rank = 2 + (i % 3);
    const shape = Array.from({ length: rank }, () => g.int(1, 5));
    shape[0] = g.int(2, 6); // a batch of one has zero variance everywhere
    // half on the last axis (-1), half on a middle one (1, or -2 on rank ≥ 3)
    const axis = i % 2 === 0 ? -1 : rank > 2 && i % 4 === 3 ? -2 : 1;
    configs.push({
      shape,
      axis,
      momentum: [0.99, 0.9, 0.5, 0][i % 4]!,
      epsilon: [1e-3, 1e-5, 0.1][i % 3]!,
      center: i % 5 !== 3,
      scale: i % 5 !== 4,
    });
  }
  return configs;
}

function describeBn(c: BnConfig): string {
  return `x=[${c.shape}] axis=${c.axis} momentum=${c.momentum} epsilon=${c.epsilon} center=${c.center} scale=${c.scale}`;
}

interface BnPair {
  ours: BatchNormalization;
  theirs: tfl.layers.Layer;
  x: Tensor;
  /** TF.js's output for x, in x's layout. */
  reference: (training: boolean) => Float32Array;
}

/**
 * Both layers with the same random weights (gamma, beta, movingMean, movingVariance > 0).
 *
 * NOTE: the TF.js CPU batchNorm kernel (tfjs-backend-cpu kernels/BatchNorm.ts, 4.22) cycles through
 * the mean/variance values along the flat index, i.e. it assumes the channel axis is the last one;
 * for axis 1 of a rank-4 input it normalizes with the wrong channel's statistics. So the reference
 * moves `axis` to the end (transpose), runs TF.js with axis -1, and transposes back.
 */
function makeBnPair(c: BnConfig, seed: number): BnPair {
  const x = rand(c.shape, { low: -3, high: 5, generator: new Generator(seed) });
  const ours = new BatchNormalization({
    axis: c.axis,
    momentum: c.momentum,
    epsilon: c.epsilon,
    center: c.center,
    scale: c.scale,
  });
  ours.build(x.shape);
  const g = new Generator(seed + 1);
  const weights = ours.weights.map((w) =>
    w.name.endsWith('moving_variance')
      ? rand(w.shape, { low: 0.2, high: 3, generator: g })
      : rand(w.shape, { low: -2, high: 2, generator: g }),
  );
  ours.setWeights(weights);
  const rank = c.shape.length;
  const axis = c.axis < 0 ? c.axis + rank : c.axis;
  const perm = [...c.shape.keys()].filter((a) => a !== axis).concat(axis);
  const inverse = perm.map((_, a) => perm.indexOf(a));
  const theirs = tfl.layers.batchNormalization({
    axis: -1,
    momentum: c.momentum,
    epsilon: c.epsilon,
    center: c.center,
    scale: c.scale,
  });
  theirs.build(perm.map((a) => c.shape[a]!));
  // same Keras order in both: gamma, beta, moving mean, moving variance
  theirs.setWeights(weights.map(toTf));
  const reference = (training: boolean): Float32Array => {
    const y = theirs.apply(tf.transpose(toTf(x), perm), { training }) as tf.Tensor;
    return tf.transpose(y, inverse).dataSync() as Float32Array;
  };
  return { ours, theirs, x, reference };
}

describe('BatchNormalization vs TF.js layers', () => {
  bnConfigs(10).forEach((c, i) => {
    it(`inference: ${describeBn(c)}`, () => {
      const { ours, x, reference } = makeBnPair(c, 10 * i);
      expectClose(ours.apply(x).data, reference(false), 1e-5);
    });
  });

  // TF.js's training branch reads gamma and beta unconditionally, so it needs center and scale on.
  bnConfigs(10)
    .map((c) => ({ ...c, center: true, scale: true }))
    .forEach((c, i) => {
      it(`training output and moving statistics after one step: ${describeBn(c)}`, () => {
        const { ours, theirs, x, reference } = makeBnPair(c, 10 * i + 5);
        expectClose(ours.apply(x, { training: true }).data, reference(true), 1e-4);
        const theirWeights = theirs.getWeights();
        ours.getWeights().forEach((w, k) => {
          expectClose(w.data, theirWeights[k]!.dataSync(), 1e-5);
        });
      });
    });

  it('training gradients w.r.t. input, gamma and beta: x=[4, 3, 2, 3]', () => {
    const c: BnConfig = { shape: [4, 3, 2, 3], axis: -1, momentum: 0.9, epsilon: 1e-3, center: true, scale: true };
    const { ours, x } = makeBnPair(c, 77);
    const [gamma, beta] = ours.getWeights();
    const r = rand(c.shape, { low: -1, high: 1, generator: new Generator(78) });
    // TF.js reference: the same composition TF.js layers uses in training (tf.moments + tf.batchNorm)
    const f = (tx: tf.Tensor, tg: tf.Tensor, tb: tf.Tensor): tf.Tensor => {
      const { mean, variance } = tf.moments(tx, [0, 1, 2]);
      return tf.sum(tf.mul(tf.batchNorm(tx, mean, variance, tb, tg, 1e-3), toTf(r)));
    };
    const [dx, dGamma, dBeta] = tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([
      toTf(x),
      toTf(gamma!),
      toTf(beta!),
    ]);
    x.requiresGrad = true;
    ours.apply(x, { training: true }).backward(r);
    expectClose(x.grad!.data, dx!.dataSync(), 1e-4);
    expectClose(ours.trainableWeights[0]!.grad!.data, dGamma!.dataSync(), 1e-4);
    expectClose(ours.trainableWeights[1]!.grad!.data, dBeta!.dataSync(), 1e-4);
  });
});

describe('LocalResponseNormalization vs tf.localResponseNormalization', () => {
  const g = new Generator(99);
  for (let i = 0; i < 10; i++) {
    const shape = [g.int(1, 3), g.int(1, 4), g.int(1, 4), g.int(1, 9)];
    const depthRadius = g.int(0, 4);
    const bias = [2, 1, 0.5, 3][i % 4]!;
    const alpha = [1e-4, 1, 0.3, 2e-2][i % 4]!;
    const beta = [0.75, 0.5, 1.2, 0.3][(i + 1) % 4]!;
    it(`forward and gradient: x=[${shape}] depthRadius=${depthRadius} bias=${bias} alpha=${alpha} beta=${beta}`, () => {
      const x = rand(shape, { low: -3, high: 3, generator: new Generator(500 + i) });
      x.requiresGrad = true;
      const r = rand(shape, { low: -1, high: 1, generator: new Generator(600 + i) });
      const y = new LocalResponseNormalization({ depthRadius, bias, alpha, beta }).apply(x);
      y.backward(r);

      const lrn = (t: tf.Tensor): tf.Tensor =>
        tf.localResponseNormalization(t as tf.Tensor4D, depthRadius, bias, alpha, beta);
      expectClose(y.data, lrn(toTf(x)).dataSync(), 1e-5);
      const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(lrn(t), toTf(r))))(toTf(x));
      expectClose(x.grad!.data, dx.dataSync(), 1e-4);
    });
  }
});
