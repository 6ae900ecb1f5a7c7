/**
 * conv2d and the pools against an independent implementation: TensorFlow.js's CPU backend
 * (a devDependency, never a runtime one), forward and backward, on random configurations.
 * Both sides get the same float32-representable inputs; Sinapse runs in float64 and TF.js in
 * float32, so results agree to float32 rounding of sums of up to ~100 terms (tolerance 1e-4).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../random';
import { Tensor } from '../tensor';
import { avgPool2d } from './avgPool2d';
import { conv2d } from './conv2d';
import { conv2dTranspose } from './conv2dTranspose';
import { depthwiseConv2d } from './depthwiseConv2d';
import { globalAvgPool2d } from './globalAvgPool2d';
import { globalMaxPool2d } from './globalMaxPool2d';
import { l2Pool2d } from './l2Pool2d';
import { maxPool2d } from './maxPool2d';
import { resizeBilinear } from './resizeBilinear';
import { separableConv2d } from './separableConv2d';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Pad = 'valid' | 'same';
type Pair = [number, number];

/** A float64 leaf with float32-representable values in [-1, 1). */
function randomLeaf(shape: number[], g: Generator): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.fround(g.uniform() * 2 - 1);
  return new Tensor(data, shape).requireGrad();
}

const toTf = (t: Tensor) => tf.tensor(Array.from(t.data), [...t.shape]);

function expectAllClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-4): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i]! - want[i]!);
    if (err > tol * (1 + Math.abs(want[i]!))) {
      throw new Error(`element ${i}: Sinapse ${got[i]}, TF.js ${want[i]}`);
    }
  }
}

interface WindowConfig {
  title: string;
  x: number[];
  size: Pair;
  strides: Pair;
  dilation: Pair;
  padding: Pad;
}

/** Random geometries whose output is not empty; dilation only when asked (and then stride 1). */
function randomConfigs(count: number, seed: number, withDilation: boolean, onlyValid = false): WindowConfig[] {
  const g = new Generator(seed);
  const out: WindowConfig[] = [];
  while (out.length < count) {
    const size: Pair = [g.int(1, 6), g.int(1, 6)];
    let strides: Pair = [g.int(1, 4), g.int(1, 4)];
    let dilation: Pair = [1, 1];
    // TF.js rejects strides > 1 together with dilations > 1 (Sinapse allows it; see gradCheck samples)
    if (withDilation && g.uniform() < 0.3) {
      dilation = [g.int(1, 4), g.int(1, 4)];
      strides = [1, 1];
    }
    const padding: Pad = g.uniform() < 0.5 && !onlyValid ? 'same' : 'valid';
    const x = [g.int(1, 4), g.int(1, 11), g.int(1, 11), g.int(1, 5)];
    const effH = (size[0] - 1) * dilation[0] + 1;
    const effW = (size[1] - 1) * dilation[1] + 1;
    if (padding === 'valid' && (effH > x[1]! || effW > x[2]!)) continue;
    const title = `x=[${x}] k=${size.join('x')} strides=${strides} dilation=${dilation} ${padding}`;
    out.push({ title, x, size, strides, dilation, padding });
  }
  return out;
}

describe('conv2d vs TF.js', () => {
  // 66 configurations, 15 of them dilated: TF.js has no conv2d gradient for dilation > 1,
  // so those compare the forward only (their gradients are checked by gradCheck and the
  // reference kernels); the rest, over 50, compare both gradients too.
  it.each(randomConfigs(66, 11, true).map((c) => [c.title, c] as const))('%s', (_t, c) => {
    const g = new Generator(5);
    const filters = g.int(1, 5);
    const x = randomLeaf(c.x, g);
    const w = randomLeaf([c.size[0], c.size[1], c.x[3]!, filters], g);
    const y = conv2d(x, w, { strides: c.strides, padding: c.padding, dilationRate: c.dilation });
    const dy = randomLeaf([...y.shape], g);
    y.backward(dy);

    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.padding, 'NHWC', c.dilation);
    const tfY = f(toTf(x), toTf(w));
    expect(y.shape).toEqual(tfY.shape);
    expectAllClose(y.data, tfY.dataSync());
    if (c.dilation[0] > 1 || c.dilation[1] > 1) return;
    const [tfDx, tfDw] = tf.grads(f)([toTf(x), toTf(w)], toTf(dy));
    expectAllClose(x.grad!.data, tfDx!.dataSync());
    expectAllClose(w.grad!.data, tfDw!.dataSync());
  });
});

describe.each([
  ['maxPool2d', maxPool2d, tf.maxPool],
  ['avgPool2d', avgPool2d, tf.avgPool],
] as const)('%s vs TF.js', (_name, ours, theirs) => {
  it.each(randomConfigs(50, 13, false).map((c) => [c.title, c] as const))('%s', (_t, c) => {
    const g = new Generator(6);
    const x = randomLeaf(c.x, g);
    const y = ours(x, { poolSize: c.size, strides: c.strides, padding: c.padding });
    const dy = randomLeaf([...y.shape], g);
    y.backward(dy);

    const f = (a: tf.Tensor) => theirs(a as tf.Tensor4D, c.size, c.strides, c.padding);
    const tfY = f(toTf(x));
    expect(y.shape).toEqual(tfY.shape);
    expectAllClose(y.data, tfY.dataSync());
    // TF.js 4.x's avgPool gradient with 'same' padding is wrong at the border (see below):
    // there the gradient is checked by gradCheck (OpInfo samples) and the reference kernels.
    if (ours === avgPool2d && c.padding === 'same') return;
    const tfDx = tf.grad(f)(toTf(x), toTf(dy));
    expectAllClose(x.grad!.data, tfDx.dataSync());
  });
});

describe('avgPool2d same padding: TF.js 4.x gradient differs (TF.js bug, not followed)', () => {
  it('x=[1,3,3,1] pool=2 strides=2 same: TF.js divides the border gradient by 4, not by the real-cell count', () => {
    // Windows: top-left has 4 real cells, top-right 2, bottom-left 2, bottom-right 1.
    // Forward, both divide by the real cells; backward, TF.js divides every window by 4.
    const x = new Tensor(new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), [1, 3, 3, 1]).requireGrad();
    const y = avgPool2d(x, { poolSize: 2, strides: 2, padding: 'same' });
    expectAllClose(y.data, [3, 4.5, 7.5, 9], 1e-12);
    y.backward(new Tensor(new Float64Array([1, 1, 1, 1]), [1, 2, 2, 1]));
    // ours: cell (2, 2) alone in its window gets 1/1; cells in 2-cell windows get 1/2
    expectAllClose(x.grad!.data, [0.25, 0.25, 0.5, 0.25, 0.25, 0.5, 0.5, 0.5, 1], 1e-12);

    const f = (a: tf.Tensor) => tf.avgPool(a as tf.Tensor4D, 2, 2, 'same');
    expectAllClose(f(toTf(x)).dataSync(), [3, 4.5, 7.5, 9]);
    const tfDx = tf
      .grad(f)(toTf(x), tf.ones([1, 2, 2, 1]))
      .dataSync();
    expect(tfDx[8]).toBeCloseTo(0.25, 6); // TF.js: 1/4 for a window with one real cell
    expect(tfDx[2]).toBeCloseTo(0.25, 6); // TF.js: 1/4 for a window with two real cells
  });
});

describe('l2Pool2d vs TF.js sqrt(avgPool(x²)·count), valid padding', () => {
  it.each(randomConfigs(50, 17, false, true).map((c) => [c.title, c] as const))('%s', (_t, c) => {
    const g = new Generator(7);
    const x = randomLeaf(c.x, g);
    const y = l2Pool2d(x, { poolSize: c.size, strides: c.strides, padding: 'valid' });
    const dy = randomLeaf([...y.shape], g);
    y.backward(dy);

    // 'valid': every window has poolH·poolW real cells
    const count = c.size[0] * c.size[1];
    const f = (a: tf.Tensor) =>
      tf.sqrt(tf.mul(tf.avgPool(tf.square(a) as tf.Tensor4D, c.size, c.strides, 'valid'), count));
    const tfY = f(toTf(x));
    expect(y.shape).toEqual(tfY.shape);
    expectAllClose(y.data, tfY.dataSync());
    expectAllClose(x.grad!.data, tf.grad(f)(toTf(x), toTf(dy)).dataSync(), 1e-3);
  });
});

describe.each([
  ['globalMaxPool2d', globalMaxPool2d, (a: tf.Tensor) => tf.max(a, [1, 2])],
  ['globalAvgPool2d', globalAvgPool2d, (a: tf.Tensor) => tf.mean(a, [1, 2])],
] as const)('%s vs TF.js reduction over axes [1, 2]', (_name, ours, theirs) => {
  it.each(randomConfigs(50, 19, false).map((c) => [c.title, c] as const))('%s', (_t, c) => {
    const g = new Generator(8);
    const x = randomLeaf(c.x, g);
    const y = ours(x);
    const dy = randomLeaf([...y.shape], g);
    y.backward(dy);
    const tfY = theirs(toTf(x));
    expect(y.shape).toEqual(tfY.shape);
    expectAllClose(y.data, tfY.dataSync());
    expectAllClose(x.grad!.data, tf.grad(theirs)(toTf(x), toTf(dy)).dataSync());
  });
});

describe('depthwiseConv2d and separableConv2d vs TF.js', () => {
  // TF.js's depthwiseConv2d gradients do not support dilation > 1: those compare the forward only
  it.each(randomConfigs(40, 17, true).map((c) => [c.title, c] as const))('%s', (_t, c) => {
    const g = new Generator(8);
    const multiplier = g.int(1, 4);
    const x = randomLeaf(c.x, g);
    const w = randomLeaf([c.size[0], c.size[1], c.x[3]!, multiplier], g);
    const y = depthwiseConv2d(x, w, { strides: c.strides, padding: c.padding, dilationRate: c.dilation });
    const dy = randomLeaf([...y.shape], g);
    y.backward(dy);

    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.padding, 'NHWC', c.dilation);
    const tfY = f(toTf(x), toTf(w));
    expect(y.shape).toEqual(tfY.shape);
    expectAllClose(y.data, tfY.dataSync());

    const filters = g.int(1, 5);
    const p = randomLeaf([1, 1, c.x[3]! * multiplier, filters], g);
    const ys = separableConv2d(x, w, p, { strides: c.strides, padding: c.padding, dilationRate: c.dilation });
    const tfYs = tf.separableConv2d(
      toTf(x) as tf.Tensor4D,
      toTf(w) as tf.Tensor4D,
      toTf(p) as tf.Tensor4D,
      c.strides,
      c.padding,
      c.dilation,
    );
    expect(ys.shape).toEqual(tfYs.shape);
    expectAllClose(ys.data, tfYs.dataSync());
    if (c.dilation[0] > 1 || c.dilation[1] > 1) return;
    const [tfDx, tfDw] = tf.grads(f)([toTf(x), toTf(w)], toTf(dy));
    expectAllClose(x.grad!.data, tfDx!.dataSync());
    expectAllClose(w.grad!.data, tfDw!.dataSync());
  });
});

describe('conv2dTranspose vs TF.js tf.conv2dTranspose (output shape from Keras rule)', () => {
  // TF.js has no dilation for conv2dTranspose; outputPadding becomes TF.js's explicit outputShape
  const g = new Generator(43);
  const configs = Array.from({ length: 30 }, () => {
    const k: Pair = [g.int(1, 5), g.int(1, 5)];
    const strides: Pair = [g.int(1, 4), g.int(1, 4)];
    const padding: Pad = g.uniform() < 0.5 ? 'same' : 'valid';
    const outputPadding: Pair | null = g.uniform() < 0.4 ? [g.int(0, strides[0]), g.int(0, strides[1])] : null;
    const x = [g.int(1, 3), g.int(1, 6), g.int(1, 6), g.int(1, 4)];
    return [
      `x=[${x}] k=${k.join('x')} strides=${strides} ${padding} outputPadding=${outputPadding}`,
      x,
      k,
      strides,
      padding,
      outputPadding,
    ] as const;
  });
  it.each(configs)('%s', (_t, xShape, k, strides, padding, outputPadding) => {
    const rng = new Generator(9);
    const filters = rng.int(1, 4);
    const x = randomLeaf([...xShape], rng);
    const w = randomLeaf([k[0], k[1], filters, xShape[3]!], rng);
    let y: Tensor;
    try {
      y = conv2dTranspose(x, w, { strides, padding, outputPadding });
    } catch {
      return; // 'same' with an outputPadding whose output would not convolve back: refused, as Keras
    }
    const dy = randomLeaf([...y.shape], rng);
    y.backward(dy);
    const outShape = y.shape as [number, number, number, number];
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, outShape, strides, padding);
    const tfY = f(toTf(x), toTf(w));
    expectAllClose(y.data, tfY.dataSync());
    const [tfDx, tfDw] = tf.grads(f)([toTf(x), toTf(w)], toTf(dy));
    expectAllClose(x.grad!.data, tfDx!.dataSync());
    expectAllClose(w.grad!.data, tfDw!.dataSync());
  });
});

describe('resizeBilinear vs TF.js tf.image.resizeBilinear(halfPixelCenters: true)', () => {
  const g = new Generator(47);
  const configs = Array.from({ length: 20 }, () => {
    const x = [g.int(1, 3), g.int(1, 6), g.int(1, 6), g.int(1, 4)];
    const size: Pair = [g.int(1, 13), g.int(1, 13)];
    return [`x=[${x}] to ${size.join('x')}`, x, size] as const;
  });
  it.each(configs)('%s', (_t, xShape, size) => {
    const rng = new Generator(10);
    const x = randomLeaf([...xShape], rng);
    const y = resizeBilinear(x, size);
    const dy = randomLeaf([...y.shape], rng);
    y.backward(dy);
    const f = (a: tf.Tensor) => tf.image.resizeBilinear(a as tf.Tensor4D, size, false, true);
    expectAllClose(y.data, f(toTf(x)).dataSync());
    // TF.js 4.22's ResizeBilinearGrad (CPU) ignores halfPixelCenters (it samples at o·in/out, and
    // its output shape is wrong for non-square inputs), so its gradient cannot be the oracle. The op
    // is linear, y = A·x, so dx = Aᵀ·dy is checked through TF.js's forward instead: for random v,
    // ⟨A·v, dy⟩ (TF.js) must equal ⟨v, dx⟩ (Sinapse).
    for (let trial = 0; trial < 3; trial++) {
      const v = randomLeaf([...xShape], rng);
      const av = f(toTf(v)).dataSync();
      let left = 0;
      for (let i = 0; i < av.length; i++) left += av[i]! * dy.data[i]!;
      let right = 0;
      for (let i = 0; i < v.size; i++) right += v.data[i]! * x.grad!.data[i]!;
      expectAllClose([right], [left]);
    }
  });
});
