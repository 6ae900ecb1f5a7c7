/**
 * OpInfo entries for the CNN ops: conv2d and the pooling family (see Note [OpInfos]).
 * Hand-worked samples carry their expected values (worked out in the comments); random samples
 * cover strides 1–3, windows 1–5, both paddings, odd and non-square sizes, dilation, batch > 1
 * and channels > 1, and are gradient-checked.
 */

import { add } from '../../ops/add';
import { avgPool2d } from '../../ops/avgPool2d';
import { conv2d } from '../../ops/conv2d';
import { type FusedActivation, fusedConv2d } from '../../ops/fusedConv2d';
import { globalAvgPool2d } from '../../ops/globalAvgPool2d';
import { globalMaxPool2d } from '../../ops/globalMaxPool2d';
import type { Pool2DOptions } from '../../ops/internal/pool2dOptions';
import { l2Pool2d } from '../../ops/l2Pool2d';
import { maxPool2d } from '../../ops/maxPool2d';
import { relu } from '../../ops/relu';
import { Generator } from '../../random';
import type { Tensor } from '../../tensor';
import { lectureImage } from '../fixtures';
import type { ErrorSample, OpInfo, Sample } from '../opInfo';
import { float64, iota, randomNormal } from './helpers';

// The lecture's 4x4 image as [1, 4, 4, 1] (testing/fixtures.ts)
const lecture = () => lectureImage('float64');

type Pair = [number, number];
const fmt = (p: number | Pair) => (typeof p === 'number' ? `${p}` : p.join('x'));

// ---- conv2d ----------------------------------------------------------------------------------

function convSamples(): Sample[] {
  const k1234 = () => float64([1, 2, 3, 4], [2, 2, 1, 1]);
  const samples: Sample[] = [
    {
      // x[i, j] = 4i + j; y[i, j] = x[i,j] + 2x[i,j+1] + 3x[i+1,j] + 4x[i+1,j+1] = 10·(4i + j) + 34
      title: 'x=arange [1,4,4,1] k=[[1,2],[3,4]] valid',
      inputs: [iota([1, 4, 4, 1]), k1234()],
      run: (x, k) => conv2d(x!, k!),
      expected: { shape: [1, 3, 3, 1], values: [34, 44, 54, 74, 84, 94, 114, 124, 134] },
    },
    {
      // the same sums at (0,0), (0,2), (2,0), (2,2)
      title: 'x=arange [1,4,4,1] k=[[1,2],[3,4]] strides=2 valid',
      inputs: [iota([1, 4, 4, 1]), k1234()],
      run: (x, k) => conv2d(x!, k!, { strides: 2 }),
      expected: { shape: [1, 2, 2, 1], values: [34, 54, 114, 134] },
    },
    {
      // dilation 2 reads x[i,j], x[i,j+2], x[i+2,j], x[i+2,j+2]: 10·(4i + j) + 2·2 + 3·8 + 4·10
      title: 'x=arange [1,4,4,1] k=[[1,2],[3,4]] dilation=2 valid',
      inputs: [iota([1, 4, 4, 1]), k1234()],
      run: (x, k) => conv2d(x!, k!, { dilationRate: 2 }),
      expected: { shape: [1, 2, 2, 1], values: [68, 78, 108, 118] },
    },
    {
      // a 3x3 box of ones over [[0,1,2],[3,4,5],[6,7,8]] with one cell of zero padding all round:
      // each output is the sum of the real cells around it, e.g. corner 0+1+3+4 = 8
      title: 'x=arange [1,3,3,1] k=ones 3x3 same',
      inputs: [iota([1, 3, 3, 1]), float64(Array(9).fill(1), [3, 3, 1, 1])],
      run: (x, k) => conv2d(x!, k!, { padding: 'same' }),
      expected: { shape: [1, 3, 3, 1], values: [8, 15, 12, 21, 36, 27, 20, 33, 24] },
    },
    {
      // 1x1 conv mixes channels: y[f] = 1·w[0, f] + 2·w[1, f]
      title: 'x=[1,1,1,2] k=[1,1,2,3] channels mix',
      inputs: [float64([1, 2], [1, 1, 1, 2]), float64([1, 2, 3, 4, 5, 6], [1, 1, 2, 3])],
      run: (x, k) => conv2d(x!, k!),
      expected: { shape: [1, 1, 1, 3], values: [9, 12, 15] },
    },
    {
      // TensorFlow forbids strides > 1 with dilation > 1; Sinapse computes it from the definition
      title: 'x=[2,9,8,2] k=[3,2,2,3] strides=2 dilation=2 same',
      inputs: [randomNormal([2, 9, 8, 2], 1), randomNormal([3, 2, 2, 3], 2)],
      run: (x, k) => conv2d(x!, k!, { strides: 2, dilationRate: 2, padding: 'same' }),
    },
    {
      title: 'x=[1,7,6,2] k=[5,5,2,2] strides=3 same',
      inputs: [randomNormal([1, 7, 6, 2], 3), randomNormal([5, 5, 2, 2], 4)],
      run: (x, k) => conv2d(x!, k!, { strides: 3, padding: 'same' }),
    },
  ];
  // random geometries
  const g = new Generator(21);
  while (samples.length < 17) {
    const kernel: Pair = [g.int(1, 6), g.int(1, 6)];
    const strides: Pair = [g.int(1, 4), g.int(1, 4)];
    const dilation: Pair = g.uniform() < 0.3 ? [g.int(1, 3), g.int(1, 3)] : [1, 1];
    const padding = g.uniform() < 0.5 ? 'same' : 'valid';
    const xShape = [g.int(1, 3), g.int(3, 9), g.int(3, 9), g.int(1, 4)];
    const effH = (kernel[0] - 1) * dilation[0] + 1;
    const effW = (kernel[1] - 1) * dilation[1] + 1;
    if (padding === 'valid' && (effH > xShape[1]! || effW > xShape[2]!)) continue;
    const kShape = [kernel[0], kernel[1], xShape[3]!, g.int(1, 4)];
    const options = { strides, dilationRate: dilation, padding } as const;
    samples.push({
      title: `x=[${xShape}] k=[${kShape}] strides=${fmt(strides)} dilation=${fmt(dilation)} ${padding}`,
      inputs: [randomNormal(xShape, samples.length), randomNormal(kShape, 100 + samples.length)],
      run: (x, k) => conv2d(x!, k!, options),
    });
  }
  return samples;
}

function convErrors(): ErrorSample[] {
  const x = () => randomNormal([1, 4, 4, 1], 0);
  const k = (shape = [3, 3, 1, 2]) => randomNormal(shape, 1);
  return [
    {
      title: 'x rank 2 (a single grayscale image)',
      run: () => conv2d(randomNormal([28, 28], 0), k()),
      error: 'ShapeError',
      message:
        /^conv2d: input must be rank 4 \[batch, height, width, channels\], but got shape \[28, 28\]\. Add batch and channel dimensions, e\.g\. x\.reshape\(\[1, 28, 28, 1\]\)$/,
    },
    {
      title: 'x rank 3 (no batch axis)',
      run: () => conv2d(randomNormal([28, 28, 1], 0), k()),
      error: 'ShapeError',
      message: /rank 4 .* but got shape \[28, 28, 1\]\. Add a batch dimension with expandDims\(0\)/,
    },
    {
      title: 'kernel rank 2',
      run: () => conv2d(x(), k([3, 3])),
      error: 'ShapeError',
      message:
        /conv2d: kernel must be rank 4 \[kernelHeight, kernelWidth, inChannels, filters\], but got shape \[3, 3\]/,
    },
    {
      title: 'kernel inChannels 3 vs input channels 1',
      run: () => conv2d(x(), k([3, 3, 3, 2])),
      error: 'ShapeError',
      message:
        /kernel inChannels \(axis 2\) must equal the input's channels \(axis 3\), but got kernel inChannels 3 and input channels 1 \(input shape \[1, 4, 4, 1\], kernel shape \[3, 3, 3, 2\]\)$/,
    },
    {
      title: 'NCHW input [1,3,28,28] gets a hint',
      run: () => conv2d(randomNormal([1, 3, 28, 28], 0), k([3, 3, 3, 8])),
      error: 'ShapeError',
      message: /input channels 28 .*looks NCHW .*expects NHWC: use x\.transpose\(\[0, 2, 3, 1\]\)/,
    },
    {
      title: 'kernel 5x5 larger than input 4x4 valid',
      run: () => conv2d(x(), k([5, 5, 1, 1])),
      error: 'ShapeError',
      message: /conv2d: kernel 5x5 does not fit in input 4x4 with padding 'valid': output would be 0x0/,
    },
    {
      title: 'kernel 3x3 dilated 2 larger than input 4x4 valid',
      run: () => conv2d(x(), k(), { dilationRate: 2 }),
      error: 'ShapeError',
      message: /kernel 3x3 \(dilated to 5x5 by dilationRate \[2, 2\]\) does not fit in input 4x4 .*output would be 0x0/,
    },
    ...[0, -1, 1.5].map(
      (s): ErrorSample => ({
        title: `strides=${s}`,
        run: () => conv2d(x(), k(), { strides: s }),
        error: 'ValueError',
        message: new RegExp(`^conv2d: strides must be positive integers, but got ${s}$`),
      }),
    ),
    {
      title: 'strides=[1, 0]',
      run: () => conv2d(x(), k(), { strides: [1, 0] }),
      error: 'ValueError',
      message: /strides must be positive integers, but got \[1,0\]/,
    },
    {
      title: 'dilationRate=0',
      run: () => conv2d(x(), k(), { dilationRate: 0 }),
      error: 'ValueError',
      message: /conv2d: dilationRate must be positive integers, but got 0/,
    },
    {
      title: "padding='full'",
      run: () => conv2d(x(), k(), { padding: 'full' as 'same' }),
      error: 'ValueError',
      message: /conv2d: padding must be 'valid' or 'same', but got "full"/,
    },
    {
      title: 'empty input [1,0,4,1]',
      run: () => conv2d(randomNormal([1, 0, 4, 1], 0), k()),
      error: 'ShapeError',
      message: /conv2d: input must not be empty, but got shape \[1, 0, 4, 1\]/,
    },
  ];
}

// ---- fusedConv2d --------------------------------------------------------------------------------

/** The unfused composition fusedConv2d must equal: act(conv2d(x, k) + bias). */
function unfusedConv(
  x: Tensor,
  k: Tensor,
  bias: Tensor | null,
  activation: FusedActivation,
  options: { strides?: Pair; padding?: 'valid' | 'same'; dilationRate?: Pair },
): Sample['expected'] {
  const z = conv2d(x, k, options);
  const pre = bias === null ? z : add(z, bias);
  const y = activation === 'relu' ? relu(pre) : pre;
  return { shape: y.shape, values: y.data };
}

function fusedConvSamples(): Sample[] {
  const samples: Sample[] = [
    {
      // conv2d's first sample, 10·(4i + j) + 34, minus 85 (no pre-activation exactly at relu's
      // corner, where central differences see half the slope), through relu: 34 − 85 → 0, …, 134 − 85
      title: 'x=arange [1,4,4,1] k=[[1,2],[3,4]] bias=-85 relu by hand',
      inputs: [iota([1, 4, 4, 1]), float64([1, 2, 3, 4], [2, 2, 1, 1]), float64([-85], [1])],
      run: (x, k, b) => fusedConv2d(x!, k!, { bias: b!, activation: 'relu' }),
      expected: { shape: [1, 3, 3, 1], values: [0, 0, 0, 0, 0, 9, 29, 39, 49] },
    },
  ];
  // random geometries × {bias, no bias} × {linear, relu}, each against the unfused ops
  const g = new Generator(71);
  while (samples.length < 17) {
    const kernel: Pair = [g.int(1, 5), g.int(1, 5)];
    const strides: Pair = [g.int(1, 3), g.int(1, 3)];
    const dilationRate: Pair = g.uniform() < 0.25 ? [g.int(1, 3), g.int(1, 3)] : [1, 1];
    const padding = g.uniform() < 0.5 ? 'same' : 'valid';
    const xShape = [g.int(1, 3), g.int(3, 8), g.int(3, 8), g.int(1, 4)];
    if (
      padding === 'valid' &&
      ((kernel[0] - 1) * dilationRate[0] >= xShape[1]! || (kernel[1] - 1) * dilationRate[1] >= xShape[2]!)
    )
      continue;
    const kShape = [kernel[0], kernel[1], xShape[3]!, g.int(1, 7)];
    const activation: FusedActivation = samples.length % 2 === 0 ? 'relu' : 'linear';
    const withBias = samples.length % 4 < 3;
    const options = { strides, dilationRate, padding } as const;
    const x = randomNormal(xShape, 300 + samples.length);
    const k = randomNormal(kShape, 400 + samples.length);
    const bias = withBias ? randomNormal([kShape[3]!], 500 + samples.length) : null;
    samples.push({
      title: `x=[${xShape}] k=[${kShape}] strides=${fmt(strides)} dilation=${fmt(dilationRate)} ${padding} ${withBias ? 'bias' : 'no bias'} ${activation}`,
      inputs: bias === null ? [x, k] : [x, k, bias],
      run: (xi, ki, bi) => fusedConv2d(xi!, ki!, { ...options, bias: bi ?? null, activation }),
      expected: unfusedConv(x, k, bias, activation, options),
    });
  }
  return samples;
}

function fusedConvErrors(): ErrorSample[] {
  const x = () => randomNormal([1, 4, 4, 1], 0);
  const k = (shape = [3, 3, 1, 2]) => randomNormal(shape, 1);
  return [
    {
      title: 'bias [3] for 2 filters',
      run: () => fusedConv2d(x(), k(), { bias: randomNormal([3], 2) }),
      error: 'ShapeError',
      message: /^fusedConv2d: bias must have shape \[filters\] = \[2\], one value per output channel, but got \[3\]$/,
    },
    {
      title: 'bias [1, 2] (rank 2)',
      run: () => fusedConv2d(x(), k(), { bias: randomNormal([1, 2], 2) }),
      error: 'ShapeError',
      message: /bias must have shape \[filters\] = \[2\].*but got \[1, 2\]/,
    },
    {
      title: 'bias as a plain array',
      run: () => fusedConv2d(x(), k(), { bias: [1, 2] as never }),
      error: 'ValueError',
      message: /^fusedConv2d: bias must be a Tensor, but got an array of length 2/,
    },
    {
      title: 'x as a nested array (plain JavaScript)',
      run: () => fusedConv2d([[1]] as never, k()),
      error: 'ValueError',
      message: /^fusedConv2d: x must be a Tensor, but got an array of length 1/,
    },
    {
      title: "activation 'tanh'",
      run: () => fusedConv2d(x(), k(), { activation: 'tanh' as never }),
      error: 'ValueError',
      message: /^fusedConv2d: activation must be 'linear' or 'relu', but got "tanh"; apply any other activation/,
    },
    {
      title: "misspelled option 'activaton'",
      run: () => fusedConv2d(x(), k(), { activaton: 'relu' } as never),
      error: 'ValueError',
      message: /^fusedConv2d: unknown option 'activaton'; did you mean 'activation'\?/,
    },
    {
      title: 'conv2d checks name the fused op: kernel rank 2',
      run: () => fusedConv2d(x(), k([3, 3])),
      error: 'ShapeError',
      message:
        /^fusedConv2d: kernel must be rank 4 \[kernelHeight, kernelWidth, inChannels, filters\], but got shape \[3, 3\]/,
    },
    {
      title: 'conv2d checks name the fused op: NCHW input',
      run: () => fusedConv2d(randomNormal([1, 3, 28, 28], 0), k([3, 3, 3, 8]), { bias: randomNormal([8], 2) }),
      error: 'ShapeError',
      message: /^fusedConv2d: kernel inChannels .*looks NCHW/,
    },
    {
      title: 'conv2d checks name the fused op: strides=0',
      run: () => fusedConv2d(x(), k(), { strides: 0 }),
      error: 'ValueError',
      message: /^fusedConv2d: strides must be positive integers, but got 0$/,
    },
  ];
}

// ---- pooling ---------------------------------------------------------------------------------

type PoolFn = (x: Tensor, options?: Pool2DOptions) => Tensor;

/** Random pooling geometries, distinct values so no window ties (central differences need that for max). */
function randomPoolSamples(op: PoolFn, seed: number, count: number): Sample[] {
  const g = new Generator(seed);
  const samples: Sample[] = [];
  while (samples.length < count) {
    const poolSize: Pair = [g.int(1, 6), g.int(1, 6)];
    const strides: Pair = [g.int(1, 4), g.int(1, 4)];
    const padding = g.uniform() < 0.5 ? 'same' : 'valid';
    const xShape = [g.int(1, 3), g.int(2, 10), g.int(2, 10), g.int(1, 4)];
    if (padding === 'valid' && (poolSize[0] > xShape[1]! || poolSize[1] > xShape[2]!)) continue;
    const options = { poolSize, strides, padding } as const;
    samples.push({
      title: `x=[${xShape}] pool=${fmt(poolSize)} strides=${fmt(strides)} ${padding}`,
      inputs: [randomNormal(xShape, seed * 100 + samples.length)],
      run: (x) => op(x!, options),
    });
  }
  return samples;
}

function poolErrors(name: string, op: PoolFn): ErrorSample[] {
  const x = () => randomNormal([1, 4, 4, 1], 0);
  return [
    {
      title: 'x rank 2',
      run: () => op(randomNormal([28, 28], 0)),
      error: 'ShapeError',
      message: new RegExp(
        `^${name}: input must be rank 4 \\[batch, height, width, channels\\], but got shape \\[28, 28\\]\\. Add batch and channel dimensions`,
      ),
    },
    {
      title: 'x rank 3',
      run: () => op(randomNormal([4, 4, 1], 0)),
      error: 'ShapeError',
      message: /but got shape \[4, 4, 1\]\. Add a batch dimension with expandDims\(0\)/,
    },
    {
      title: 'window 3x3 larger than input 2x2 valid',
      run: () => op(randomNormal([1, 2, 2, 1], 0), { poolSize: 3 }),
      error: 'ShapeError',
      message: new RegExp(`^${name}: window 3x3 does not fit in input 2x2 with padding 'valid': output would be 0x0$`),
    },
    ...[0, -2, 1.5].map(
      (s): ErrorSample => ({
        title: `strides=${s}`,
        run: () => op(x(), { strides: s }),
        error: 'ValueError',
        message: new RegExp(`^${name}: strides must be positive integers, but got ${s}$`),
      }),
    ),
    {
      title: 'poolSize=0',
      run: () => op(x(), { poolSize: 0 }),
      error: 'ValueError',
      message: new RegExp(`^${name}: poolSize must be positive integers, but got 0$`),
    },
    {
      title: 'poolSize=[2, 2, 2]',
      run: () => op(x(), { poolSize: [2, 2, 2] as unknown as Pair }),
      error: 'ValueError',
      message: /poolSize must be a number or a pair \[height, width\], but got \[2,2,2\]/,
    },
    {
      title: "padding='causal'",
      run: () => op(x(), { padding: 'causal' as 'same' }),
      error: 'ValueError',
      message: new RegExp(`^${name}: padding must be 'valid' or 'same', but got "causal"$`),
    },
    {
      title: 'empty input [2,4,4,0]',
      run: () => op(randomNormal([2, 4, 4, 0], 0)),
      error: 'ShapeError',
      message: /input must not be empty, but got shape \[2, 4, 4, 0\]/,
    },
  ];
}

// 3x3 image [[1,2,3],[4,5,6],[7,8,9]], pool 2, stride 2, 'same': out 2x2, padding 1 at the
// bottom and right only (TensorFlow puts the odd cell there). Real cells per window:
// top-left {1,2,4,5}, top-right {3,6}, bottom-left {7,8}, bottom-right {9}.
const same3x3 = () => iota([1, 3, 3, 1], 1);
const same3x3Options = { poolSize: 2, strides: 2, padding: 'same' } as const;

function maxPoolSamples(): Sample[] {
  return [
    {
      // the lecture: max of each 2x2 block
      title: 'lecture x=[1,4,4,1] pool=2 strides=2 valid',
      inputs: [lecture()],
      run: (x) => maxPool2d(x!, { poolSize: 2, strides: 2 }),
      expected: { shape: [1, 2, 2, 1], values: [9, 7, 8, 6] },
    },
    {
      title: 'x=[1,3,3,1] pool=2 strides=2 same',
      inputs: [same3x3()],
      run: (x) => maxPool2d(x!, same3x3Options),
      expected: { shape: [1, 2, 2, 1], values: [5, 6, 8, 9] },
    },
    {
      // all negative: a zero-valued pad cell would win; padded cells must be absent instead
      title: 'x=-[1..9] [1,3,3,1] pool=2 strides=2 same (padding never wins)',
      inputs: [float64([-1, -2, -3, -4, -5, -6, -7, -8, -9], [1, 3, 3, 1])],
      run: (x) => maxPool2d(x!, same3x3Options),
      expected: { shape: [1, 2, 2, 1], values: [-1, -3, -7, -9] },
    },
    {
      // 4 = ceil(4/1) outputs per axis, padding 1 in total, all of it at the bottom/right, so
      // y[oh, ow] = x[min(oh+1, 3), min(ow+1, 3)] for x = arange(16)
      title: 'x=arange [1,4,4,1] pool=2 strides=1 same (odd padding at bottom/right)',
      inputs: [iota([1, 4, 4, 1])],
      run: (x) => maxPool2d(x!, { poolSize: 2, strides: 1, padding: 'same' }),
      expected: { shape: [1, 4, 4, 1], values: [5, 6, 7, 7, 9, 10, 11, 11, 13, 14, 15, 15, 13, 14, 15, 15] },
    },
    ...randomPoolSamples(maxPool2d, 31, 12),
  ];
}

function avgPoolSamples(): Sample[] {
  return [
    {
      // (2+2+9+4)/4, (7+3+6+1)/4, (8+5+3+1)/4, (2+4+2+6)/4
      title: 'lecture x=[1,4,4,1] pool=2 strides=2 valid',
      inputs: [lecture()],
      run: (x) => avgPool2d(x!, { poolSize: 2, strides: 2 }),
      expected: { shape: [1, 2, 2, 1], values: [4.25, 4.25, 4.25, 3.5] },
    },
    {
      // means over the real cells only: (1+2+4+5)/4, (3+6)/2, (7+8)/2, 9/1
      title: 'x=[1,3,3,1] pool=2 strides=2 same (divides by real cells)',
      inputs: [same3x3()],
      run: (x) => avgPool2d(x!, same3x3Options),
      expected: { shape: [1, 2, 2, 1], values: [3, 4.5, 7.5, 9] },
    },
    ...randomPoolSamples(avgPool2d, 41, 12),
  ];
}

function l2PoolSamples(): Sample[] {
  return [
    {
      // sqrt(2²+2²+9²+4²) = sqrt(105), sqrt(7²+3²+6²+1²) = sqrt(95), sqrt(99), sqrt(60)
      title: 'lecture x=[1,4,4,1] pool=2 strides=2 valid',
      inputs: [lecture()],
      run: (x) => l2Pool2d(x!, { poolSize: 2, strides: 2 }),
      expected: { shape: [1, 2, 2, 1], values: [Math.sqrt(105), Math.sqrt(95), Math.sqrt(99), Math.sqrt(60)] },
    },
    {
      // sums of squares over the real cells: 1+4+16+25, 9+36, 49+64, 81
      title: 'x=[1,3,3,1] pool=2 strides=2 same',
      inputs: [same3x3()],
      run: (x) => l2Pool2d(x!, same3x3Options),
      expected: { shape: [1, 2, 2, 1], values: [Math.sqrt(46), Math.sqrt(45), Math.sqrt(113), 9] },
    },
    {
      // the right-hand window is all zeros: y = 0 there and its gradient is defined as 0, not NaN;
      // central differences agree (|±ε| gives the same L on both sides)
      title: 'x=[1,2,4,1] pool=2 valid, one all-zero window (gradient 0, not NaN)',
      inputs: [float64([1, -2, 0, 0, 3, 4, 0, 0], [1, 2, 4, 1])],
      run: (x) => l2Pool2d(x!, { poolSize: 2 }),
      expected: { shape: [1, 1, 2, 1], values: [Math.sqrt(30), 0] },
    },
    ...randomPoolSamples(l2Pool2d, 51, 12),
  ];
}

function globalSamples(op: typeof globalMaxPool2d, lectureValue: number): Sample[] {
  return [
    {
      title: 'lecture x=[1,4,4,1]',
      inputs: [lecture()],
      run: (x) => op(x!),
      expected: { shape: [1, 1], values: [lectureValue] },
    },
    {
      title: 'lecture x=[1,4,4,1] keepDims',
      inputs: [lecture()],
      run: (x) => op(x!, { keepDims: true }),
      expected: { shape: [1, 1, 1, 1], values: [lectureValue] },
    },
    { title: 'x=[3,5,4,2]', inputs: [randomNormal([3, 5, 4, 2], 61)], run: (x) => op(x!) },
    { title: 'x=[2,1,7,3] keepDims', inputs: [randomNormal([2, 1, 7, 3], 62)], run: (x) => op(x!, { keepDims: true }) },
  ];
}

function globalErrors(name: string, op: typeof globalMaxPool2d): ErrorSample[] {
  return [
    {
      title: 'x rank 2',
      run: () => op(randomNormal([28, 28], 0)),
      error: 'ShapeError',
      message: new RegExp(`^${name}: input must be rank 4 .*but got shape \\[28, 28\\]\\. Add batch and channel`),
    },
    {
      title: 'x rank 3',
      run: () => op(randomNormal([5, 5, 3], 0)),
      error: 'ShapeError',
      message: /but got shape \[5, 5, 3\]\. Add a batch dimension with expandDims\(0\)/,
    },
    {
      title: 'empty input [1,0,3,2]',
      run: () => op(randomNormal([1, 0, 3, 2], 0)),
      error: 'ShapeError',
      message: new RegExp(`^${name}: input must not be empty, but got shape \\[1, 0, 3, 2\\]$`),
    },
  ];
}

export const cnnOpInfos: OpInfo[] = [
  { name: 'conv2d', supportsGrad: true, sampleInputs: convSamples, errorInputs: convErrors },
  { name: 'fusedConv2d', supportsGrad: true, sampleInputs: fusedConvSamples, errorInputs: fusedConvErrors },
  {
    name: 'maxPool2d',
    supportsGrad: true,
    sampleInputs: maxPoolSamples,
    errorInputs: () => poolErrors('maxPool2d', maxPool2d),
  },
  {
    name: 'avgPool2d',
    supportsGrad: true,
    sampleInputs: avgPoolSamples,
    errorInputs: () => poolErrors('avgPool2d', avgPool2d),
  },
  {
    name: 'l2Pool2d',
    supportsGrad: true,
    sampleInputs: l2PoolSamples,
    errorInputs: () => poolErrors('l2Pool2d', l2Pool2d),
  },
  {
    name: 'globalMaxPool2d',
    supportsGrad: true,
    sampleInputs: () => globalSamples(globalMaxPool2d, 9),
    errorInputs: () => globalErrors('globalMaxPool2d', globalMaxPool2d),
  },
  {
    name: 'globalAvgPool2d',
    supportsGrad: true,
    // 65 / 16
    sampleInputs: () => globalSamples(globalAvgPool2d, 4.0625),
    errorInputs: () => globalErrors('globalAvgPool2d', globalAvgPool2d),
  },
];
