/**
 * Oracle: matMul against TF.js's CPU backend (an independent implementation), forward and both
 * gradients, on 60 random configurations: all four transpose variants, 2-D and batched with
 * NumPy-broadcast batch dimensions. TF.js computes in float32, so the comparison is float32
 * with a tolerance relative to the size of the terms summed: |got − want| ≤ 1e-5·(1 + Σ|x·w|).
 *
 * TF.js's BatchMatMul gradient returns the gradient at the broadcast batch shape instead of
 * summing it back to the operand's shape (its backward check then throws "The gradient of input
 * 'a' has shape '3,4,6', which does not match the shape of the input '4,6'"). So on the TF.js side
 * we broadcast both operands explicitly with tf.broadcastTo, whose gradient does the summing.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
// the gradient rules are registered by a side-effect import (the tfjs-core package entry does not load them)
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../random';
import type { Tensor } from '../tensor';
import { randn } from './creation';
import { matMul } from './matMul';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, scale: number, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i]! - want[i]!) <= 1e-5 * (1 + scale))) {
      expect.fail(`${what}: element ${i} is ${got[i]}, TF.js says ${want[i]}`);
    }
  }
}

const toTf = (t: Tensor): tf.Tensor => tf.tensor(Array.from(t.data), [...t.shape], 'float32');

interface Config {
  aShape: number[];
  bShape: number[];
  ta: boolean;
  tb: boolean;
}

/** A random valid configuration: m, n, k in 1..12, up to two batch dims, some of them 1 or missing. */
function randomConfig(g: Generator): Config {
  const m = g.int(1, 13);
  const n = g.int(1, 13);
  const k = g.int(1, 13);
  const ta = g.uniform() < 0.5;
  const tb = g.uniform() < 0.5;
  const batchRank = g.int(0, 3);
  const batch = Array.from({ length: batchRank }, () => g.int(1, 4));
  // each operand keeps a suffix of the batch dims, and may replace any of them by 1
  const own = (): number[] => batch.slice(g.int(0, batchRank + 1)).map((d) => (g.uniform() < 0.3 ? 1 : d));
  return {
    aShape: [...own(), ...(ta ? [k, m] : [m, k])],
    bShape: [...own(), ...(tb ? [n, k] : [k, n])],
    ta,
    tb,
  };
}

describe('matMul vs TF.js cpu', () => {
  const g = new Generator(2024);
  const configs = Array.from({ length: 60 }, () => randomConfig(g));
  it.each(configs.map((c) => [`a=[${c.aShape}]${c.ta ? 'ᵀ' : ''} b=[${c.bShape}]${c.tb ? 'ᵀ' : ''}`, c] as const))(
    '%s forward and gradients',
    (_title, { aShape, bShape, ta, tb }) => {
      const a = randn(aShape, { generator: new Generator(aShape.length * 7 + 1), requiresGrad: true });
      const b = randn(bShape, { generator: new Generator(bShape.length * 7 + 2), requiresGrad: true });
      const y = matMul(a, b, ta, tb);
      const dy = randn([...y.shape], { generator: new Generator(3) });
      y.backward(dy);

      const [tfY, tfDa, tfDb] = tf.tidy(() => {
        const batch = y.shape.slice(0, -2);
        const f = (x: tf.Tensor, w: tf.Tensor): tf.Tensor =>
          tf.matMul(
            tf.broadcastTo(x, [...batch, ...aShape.slice(-2)]),
            tf.broadcastTo(w, [...batch, ...bShape.slice(-2)]),
            ta,
            tb,
          );
        const [da, db] = tf.grads(f)([toTf(a), toTf(b)], toTf(dy));
        return [f(toTf(a), toTf(b)), da!, db!];
      });
      expect(y.shape).toEqual(tfY.shape);
      // every term is a product of two standard normals, so Σ|x·w| is about the number of terms:
      // k for y; y.size·k products are spread over a's (b's) elements for da (db)
      const k = ta ? aShape[aShape.length - 2]! : aShape[aShape.length - 1]!;
      expectClose(y.data, tfY.dataSync(), k, 'y');
      expectClose(a.grad!.data, tfDa.dataSync(), (y.size * k) / a.size, 'da');
      expectClose(b.grad!.data, tfDb.dataSync(), (y.size * k) / b.size, 'db');
      tf.dispose([tfY, tfDa, tfDb]);
    },
  );
});
