/**
 * fusedConv2d and fusedMatMul against two independent computations:
 *   - TensorFlow.js's tf.fused.conv2d and tf.fused.matMul (CPU backend, a devDependency), forward
 *     and backward, on random configurations. As in cnnOracle.test.ts, Sinapse runs in float64
 *     on float32-representable inputs and TF.js in float32, so they agree to 1e-4;
 *   - the unfused composition act(conv2d(x, k) + bias) in float32 on the active backend, which
 *     the Conv2D and Dense layers ran before. y, dx and dkernel (or da, db) must be identical bit
 *     for bit: the same conv or GEMM kernels see the same operands, the bias add is the same
 *     float32 addition, and relu's mask [pre > 0] equals [y > 0]. Only dbias is summed in another
 *     order (Note [WASM bias + activation: four lanes, no branches]), so it agrees to rounding.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FusedActivation } from '../kernels/backend';
import { Generator } from '../random';
import { Tensor } from '../tensor';
import { add } from './add';
import { conv2d } from './conv2d';
import { fusedConv2d } from './fusedConv2d';
import { fusedMatMul } from './fusedMatMul';
import { matMul } from './matMul';
import { relu } from './relu';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Pad = 'valid' | 'same';
type Pair = [number, number];

/** A leaf of the given dtype with float32-representable values in [-1, 1). */
function randomLeaf(shape: number[], g: Generator, dtype: 'float32' | 'float64' = 'float64'): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.fround(g.uniform() * 2 - 1);
  return new Tensor(data, shape).requireGrad();
}

const toTf = (t: Tensor) => tf.tensor(Array.from(t.data), [...t.shape]);

function expectAllClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-4): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i]! - want[i]!);
    if (err > tol * (1 + Math.abs(want[i]!))) {
      throw new Error(`element ${i}: Sinapse ${got[i]}, expected ${want[i]}`);
    }
  }
}

interface ConvConfig {
  title: string;
  x: number[];
  size: Pair;
  filters: number;
  strides: Pair;
  dilation: Pair;
  padding: Pad;
  bias: boolean;
  activation: FusedActivation;
}

/** Random geometries with a non-empty output; dilation > 1 only with stride 1 (TF.js's rule). */
function randomConvConfigs(count: number, seed: number): ConvConfig[] {
  const g = new Generator(seed);
  const out: ConvConfig[] = [];
  while (out.length < count) {
    const size: Pair = [g.int(1, 6), g.int(1, 6)];
    let strides: Pair = [g.int(1, 4), g.int(1, 4)];
    let dilation: Pair = [1, 1];
    if (g.uniform() < 0.2) {
      dilation = [g.int(1, 4), g.int(1, 4)];
      strides = [1, 1];
    }
    const padding: Pad = g.uniform() < 0.5 ? 'same' : 'valid';
    const x = [g.int(1, 4), g.int(1, 11), g.int(1, 11), g.int(1, 5)];
    if (padding === 'valid' && ((size[0] - 1) * dilation[0] >= x[1]! || (size[1] - 1) * dilation[1] >= x[2]!)) continue;
    const filters = g.int(1, 9);
    const bias = g.uniform() < 0.8;
    const activation: FusedActivation = g.uniform() < 0.6 ? 'relu' : 'linear';
    const title =
      `x=[${x}] k=${size.join('x')}x${filters} strides=${strides} dilation=${dilation} ${padding} ` +
      `${bias ? 'bias' : 'no bias'} ${activation}`;
    out.push({ title, x, size, filters, strides, dilation, padding, bias, activation });
  }
  return out;
}

describe('fusedConv2d vs tf.fused.conv2d', () => {
  it.each(randomConvConfigs(50, 23).map((c) => [c.title, c] as const))('%s', (_t, c) => {
    const g = new Generator(31);
    const x = randomLeaf(c.x, g);
    const w = randomLeaf([c.size[0], c.size[1], c.x[3]!, c.filters], g);
    const b = c.bias ? randomLeaf([c.filters], g) : null;
    const options = { strides: c.strides, padding: c.padding, dilationRate: c.dilation };
    const y = fusedConv2d(x, w, { ...options, bias: b, activation: c.activation });
    const dy = randomLeaf([...y.shape], g);
    y.backward(dy);

    const f = (xt: tf.Tensor, wt: tf.Tensor, bt?: tf.Tensor) =>
      tf.fused.conv2d({
        x: xt as tf.Tensor4D,
        filter: wt as tf.Tensor4D,
        strides: c.strides,
        pad: c.padding,
        dilations: c.dilation,
        bias: bt,
        activation: c.activation,
      });
    const inputs = b === null ? [toTf(x), toTf(w)] : [toTf(x), toTf(w), toTf(b)];
    const tfY = f(inputs[0]!, inputs[1]!, inputs[2]);
    expect(y.shape).toEqual(tfY.shape);
    expectAllClose(y.data, tfY.dataSync());
    // TF.js has no conv2d gradient for dilation > 1: those are gradient-checked in the OpInfos
    if (c.dilation[0] > 1 || c.dilation[1] > 1) return;
    const tfGrads = tf.grads((...ts: tf.Tensor[]) => f(ts[0]!, ts[1]!, ts[2]))(inputs, toTf(dy));
    expectAllClose(x.grad!.data, tfGrads[0]!.dataSync());
    expectAllClose(w.grad!.data, tfGrads[1]!.dataSync());
    if (b !== null) expectAllClose(b.grad!.data, tfGrads[2]!.dataSync());
  });
});

interface MatMulConfig {
  title: string;
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
  bias: boolean;
  activation: FusedActivation;
}

/** Random [m, k]·[k, n] products (with a batch a third of the time), every transpose combination. */
function randomMatMulConfigs(count: number, seed: number): MatMulConfig[] {
  const g = new Generator(seed);
  const out: MatMulConfig[] = [];
  for (let i = 0; i < count; i++) {
    const [m, k, n] = [g.int(1, 12), g.int(1, 12), g.int(1, 12)];
    const transposeA = g.uniform() < 0.5;
    const transposeB = g.uniform() < 0.5;
    const batch = g.uniform() < 0.3 ? [g.int(1, 4)] : [];
    const a = [...batch, ...(transposeA ? [k, m] : [m, k])];
    const b = [...batch, ...(transposeB ? [n, k] : [k, n])];
    const bias = g.uniform() < 0.8;
    const activation: FusedActivation = g.uniform() < 0.6 ? 'relu' : 'linear';
    const title = `a=[${a}]${transposeA ? 'ᵀ' : ''} b=[${b}]${transposeB ? 'ᵀ' : ''} ${bias ? 'bias' : 'no bias'} ${activation}`;
    out.push({ title, a, b, transposeA, transposeB, bias, activation });
  }
  return out;
}

describe('fusedMatMul vs tf.fused.matMul', () => {
  it.each(randomMatMulConfigs(40, 29).map((c) => [c.title, c] as const))('%s', (_t, c) => {
    const g = new Generator(37);
    const a = randomLeaf(c.a, g);
    const b = randomLeaf(c.b, g);
    const n = c.transposeB ? c.b.at(-2)! : c.b.at(-1)!;
    const bias = c.bias ? randomLeaf([n], g) : null;
    const y = fusedMatMul(a, b, { transposeA: c.transposeA, transposeB: c.transposeB, bias, activation: c.activation });
    const dy = randomLeaf([...y.shape], g);
    y.backward(dy);

    const f = (at: tf.Tensor, bt: tf.Tensor, biasT?: tf.Tensor) =>
      tf.fused.matMul({
        a: at,
        b: bt,
        transposeA: c.transposeA,
        transposeB: c.transposeB,
        bias: biasT,
        activation: c.activation,
      });
    const inputs = bias === null ? [toTf(a), toTf(b)] : [toTf(a), toTf(b), toTf(bias)];
    const tfY = f(inputs[0]!, inputs[1]!, inputs[2]);
    expect(y.shape).toEqual(tfY.shape);
    expectAllClose(y.data, tfY.dataSync());
    const tfGrads = tf.grads((...ts: tf.Tensor[]) => f(ts[0]!, ts[1]!, ts[2]))(inputs, toTf(dy));
    expectAllClose(a.grad!.data, tfGrads[0]!.dataSync());
    expectAllClose(b.grad!.data, tfGrads[1]!.dataSync());
    if (bias !== null) expectAllClose(bias.grad!.data, tfGrads[2]!.dataSync());
  });
});

// ---- against the unfused ops, in float32 on the active backend ----------------------------------

/** dbias: a float32 sum over `rows` terms in another order; 1e-5 relative to Σ|terms| is ample. */
function expectBiasClose(got: ArrayLike<number>, want: ArrayLike<number>, dpreAbsSum: number[]): void {
  for (let c = 0; c < want.length; c++) {
    expect(Math.abs(got[c]! - want[c]!)).toBeLessThanOrEqual(1e-5 * (dpreAbsSum[c]! + 1));
  }
}

describe('fusedConv2d equals conv2d + add + relu (float32, active backend)', () => {
  const lenet = (title: string, x: number[], filters: number, padding: Pad): ConvConfig => ({
    title,
    x,
    size: [5, 5],
    filters,
    strides: [1, 1],
    dilation: [1, 1],
    padding,
    bias: true,
    activation: 'relu',
  });
  // LeNet-5's two convolutions at batch 8, then random ones
  const configs = [
    lenet('LeNet conv1 x=[8,28,28,1] 5x5x6 same', [8, 28, 28, 1], 6, 'same'),
    lenet('LeNet conv2 x=[8,14,14,6] 5x5x16 valid', [8, 14, 14, 6], 16, 'valid'),
    ...randomConvConfigs(20, 41),
  ];
  it.each(configs.map((c) => [c.title, c] as const))('%s', (_t, c) => {
    const g = new Generator(43);
    const make = () => {
      const g2 = new Generator(44);
      return {
        x: randomLeaf(c.x, g2, 'float32'),
        w: randomLeaf([c.size[0], c.size[1], c.x[3]!, c.filters], g2, 'float32'),
        b: c.bias ? randomLeaf([c.filters], g2, 'float32') : null,
      };
    };
    const options = { strides: c.strides, padding: c.padding, dilationRate: c.dilation };
    const fused = make();
    const y = fused.x.fusedConv2d(fused.w, { ...options, bias: fused.b, activation: c.activation });
    const plain = make();
    const z = conv2d(plain.x, plain.w, options);
    const pre = plain.b === null ? z : add(z, plain.b);
    const yPlain = c.activation === 'relu' ? relu(pre) : pre;
    expect(Array.from(y.data)).toEqual(Array.from(yPlain.data));

    const dy = randomLeaf([...y.shape], g, 'float32');
    y.backward(dy);
    yPlain.backward(dy);
    expect(Array.from(fused.x.grad!.data)).toEqual(Array.from(plain.x.grad!.data));
    expect(Array.from(fused.w.grad!.data)).toEqual(Array.from(plain.w.grad!.data));
    if (fused.b !== null) {
      const sums = new Array<number>(c.filters).fill(0);
      // Σ|dpre| per filter bounds the rounding of either order of summation
      for (let i = 0; i < dy.size; i++) sums[i % c.filters]! += Math.abs(dy.data[i]!);
      expectBiasClose(fused.b.grad!.data, plain.b!.grad!.data, sums);
    }
  });
});

describe('fusedMatMul equals matMul + add + relu (float32, active backend)', () => {
  it.each(randomMatMulConfigs(20, 47).map((c) => [c.title, c] as const))('%s', (_t, c) => {
    const g = new Generator(53);
    const n = c.transposeB ? c.b.at(-2)! : c.b.at(-1)!;
    const make = () => {
      const g2 = new Generator(54);
      return {
        a: randomLeaf(c.a, g2, 'float32'),
        b: randomLeaf(c.b, g2, 'float32'),
        bias: c.bias ? randomLeaf([n], g2, 'float32') : null,
      };
    };
    const fused = make();
    const y = fused.a.fusedMatMul(fused.b, {
      transposeA: c.transposeA,
      transposeB: c.transposeB,
      bias: fused.bias,
      activation: c.activation,
    });
    const plain = make();
    const z = matMul(plain.a, plain.b, c.transposeA, c.transposeB);
    const pre = plain.bias === null ? z : add(z, plain.bias);
    const yPlain = c.activation === 'relu' ? relu(pre) : pre;
    expect(Array.from(y.data)).toEqual(Array.from(yPlain.data));

    const dy = randomLeaf([...y.shape], g, 'float32');
    y.backward(dy);
    yPlain.backward(dy);
    expect(Array.from(fused.a.grad!.data)).toEqual(Array.from(plain.a.grad!.data));
    expect(Array.from(fused.b.grad!.data)).toEqual(Array.from(plain.b.grad!.data));
    if (fused.bias !== null) {
      const sums = new Array<number>(n).fill(0);
      for (let i = 0; i < dy.size; i++) sums[i % n]! += Math.abs(dy.data[i]!);
      expectBiasClose(fused.bias.grad!.data, plain.bias!.grad!.data, sums);
    }
  });
});
