/**
 * Optimizers against TF.js's (`tf.train.*`) on the same quadratic, same hyperparameters, a few
 * steps: L(w) = Σ a_i (w_i − c_i)², gradients from each framework's own autograd.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { Parameter } from '@sinapse/layers';
import { mul, sub, sum } from '@sinapse/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam } from './Adam';
import type { Optimizer } from './Optimizer';
import { RMSprop } from './RMSprop';
import { SGD } from './SGD';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const w0 = [1.5, -0.5, 2, 0.25, -3];
const a = [1, 0.5, 2, 4, 0.1];
const c = [0, 1, -1, 0.5, 2];
const steps = 8;

function ours(optimizer: Optimizer): number[] {
  const w = new Parameter(Float32Array.from(w0), [5], 'w');
  for (let i = 0; i < steps; i++) {
    sum(mul(sub(w, tensorOf(c)).square(), tensorOf(a))).backward();
    optimizer.step([w]);
    w.zeroGrad();
  }
  return Array.from(w.data);
}

function tensorOf(values: number[]): Parameter {
  return new Parameter(Float32Array.from(values), [values.length], 'const', false);
}

function theirs(optimizer: tf.Optimizer): number[] {
  const w = tf.variable(tf.tensor1d(w0));
  for (let i = 0; i < steps; i++) {
    optimizer.minimize(() => tf.sum(tf.mul(tf.square(tf.sub(w, tf.tensor1d(c))), tf.tensor1d(a))) as tf.Scalar);
  }
  return Array.from(w.dataSync());
}

describe('vs TF.js tf.train, 8 steps on a quadratic', () => {
  it.each([
    ['Adam(lr 0.1)', () => new Adam({ learningRate: 0.1 }), () => tf.train.adam(0.1, 0.9, 0.999, 1e-7)],
    [
      'Adam(lr 0.05, beta1 0.8, beta2 0.99, eps 1e-4)',
      () => new Adam({ learningRate: 0.05, beta1: 0.8, beta2: 0.99, epsilon: 1e-4 }),
      () => tf.train.adam(0.05, 0.8, 0.99, 1e-4),
    ],
    ['RMSprop(lr 0.01)', () => new RMSprop({ learningRate: 0.01 }), () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7)],
    [
      'RMSprop(lr 0.01, rho 0.8, momentum 0.5)',
      () => new RMSprop({ learningRate: 0.01, rho: 0.8, momentum: 0.5 }),
      () => tf.train.rmsprop(0.01, 0.8, 0.5, 1e-7),
    ],
    ['SGD(lr 0.05)', () => new SGD({ learningRate: 0.05 }), () => tf.train.sgd(0.05)],
    [
      'SGD(lr 0.05, momentum 0.9) = tf.train.momentum',
      () => new SGD({ learningRate: 0.05, momentum: 0.9 }),
      () => tf.train.momentum(0.05, 0.9),
    ],
    [
      'SGD(lr 0.05, momentum 0.9, nesterov) = tf.train.momentum(useNesterov)',
      () => new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true }),
      () => tf.train.momentum(0.05, 0.9, true),
    ],
  ])('%s', (_name, mine, tfjs) => {
    const got = ours(mine());
    const want = theirs(tfjs());
    // TF.js works in float32 throughout, Sinapse in float64 stored to float32; Adam's m/√v
    // magnifies the rounding of small gradients near the minimum, hence 4 digits (5e-5)
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
  });
});
