/**
 * OpInfo entries for depthwiseConv2d and separableConv2d (see Note [OpInfos]): a hand-worked sample
 * each, random geometries (strides 1–3, windows 1–4, both paddings, dilation, also together with
 * strides, depth multipliers 1–3, batch and channels > 1), gradient-checked, and the error inputs.
 */
import { depthwiseConv2d } from '../../ops/depthwiseConv2d';
import { separableConv2d } from '../../ops/separableConv2d';
import { Generator } from '../../random';
import type { Tensor } from '../../tensor';
import type { ErrorSample, OpInfo, Sample } from '../opInfo';
import { float64, iota, randomNormal } from './helpers';

type Pair = [number, number];
const fmt = (p: Pair) => p.join('x');

/** Random depthwise geometries with a non-empty output, and the kernel shape [KH, KW, C, M]. */
function randomGeometries(count: number, seed: number) {
  const g = new Generator(seed);
  const out: Array<{ title: string; x: number[]; k: number[]; options: object }> = [];
  while (out.length < count) {
    const kernel: Pair = [g.int(1, 5), g.int(1, 5)];
    const strides: Pair = [g.int(1, 4), g.int(1, 4)];
    const dilation: Pair = g.uniform() < 0.3 ? [g.int(1, 3), g.int(1, 3)] : [1, 1];
    const padding = g.uniform() < 0.5 ? 'same' : 'valid';
    const x = [g.int(1, 3), g.int(3, 8), g.int(3, 8), g.int(1, 4)];
    if (padding === 'valid' && ((kernel[0] - 1) * dilation[0] + 1 > x[1]! || (kernel[1] - 1) * dilation[1] + 1 > x[2]!))
      continue;
    const k = [kernel[0], kernel[1], x[3]!, g.int(1, 4)];
    const title = `x=[${x}] k=[${k}] strides=${fmt(strides)} dilation=${fmt(dilation)} ${padding}`;
    out.push({ title, x, k, options: { strides, dilationRate: dilation, padding } });
  }
  return out;
}

function depthwiseSamples(): Sample[] {
  return [
    {
      // channel 0 is 0, 2, 4, 6 along the row, channel 1 is 1, 3, 5, 7; two filters per channel:
      // c0 by [1, 1] → 2, 6, 10 and by [2, 0] → 0, 4, 8; c1 by [1, 0] → 1, 3, 5 and by [0, −1] → −3, −5, −7.
      // Output channel c·M + m, so each position holds [c0m0, c0m1, c1m0, c1m1]
      title: 'x=arange [1,1,4,2] k=[1,2,2,2] M=2 valid',
      inputs: [iota([1, 1, 4, 2]), float64([1, 2, 1, 0, 1, 0, 0, -1], [1, 2, 2, 2])],
      run: (x, k) => depthwiseConv2d(x!, k!),
      expected: { shape: [1, 1, 3, 4], values: [2, 0, 1, -3, 6, 4, 3, -5, 10, 8, 5, -7] },
    },
    {
      // a 3x3 box over [[0,1,2],[3,4,5],[6,7,8]] with 'same' zero padding (as conv2d with one channel)
      title: 'x=arange [1,3,3,1] k=ones 3x3 same',
      inputs: [iota([1, 3, 3, 1]), float64(Array(9).fill(1), [3, 3, 1, 1])],
      run: (x, k) => depthwiseConv2d(x!, k!, { padding: 'same' }),
      expected: { shape: [1, 3, 3, 1], values: [8, 15, 12, 21, 36, 27, 20, 33, 24] },
    },
    ...randomGeometries(14, 31).map((c, i) => ({
      title: c.title,
      inputs: [randomNormal(c.x, 200 + i), randomNormal(c.k, 300 + i)],
      run: (x: Tensor, k: Tensor) => depthwiseConv2d(x, k, c.options),
    })),
  ];
}

function depthwiseErrors(): ErrorSample[] {
  const x = () => randomNormal([1, 4, 4, 2], 0);
  return [
    {
      title: 'x rank 3 (no batch axis)',
      run: () => depthwiseConv2d(randomNormal([4, 4, 2], 0), randomNormal([3, 3, 2, 1], 1)),
      error: 'ShapeError',
      message: /^depthwiseConv2d: input must be rank 4 .*but got shape \[4, 4, 2\]\. Add a batch dimension/,
    },
    {
      title: 'kernel rank 3',
      run: () => depthwiseConv2d(x(), randomNormal([3, 3, 2], 1)),
      error: 'ShapeError',
      message:
        /^depthwiseConv2d: kernel must be a non-empty rank-4 \[kernelHeight, kernelWidth, channels, depthMultiplier\], but got shape \[3, 3, 2\]/,
    },
    {
      title: 'kernel channels 3 vs input channels 2',
      run: () => depthwiseConv2d(x(), randomNormal([3, 3, 3, 1], 1)),
      error: 'ShapeError',
      message:
        /^depthwiseConv2d: kernel channels \(axis 2\) must equal the input's channels \(axis 3\), but got kernel channels 3 and input channels 2/,
    },
    {
      title: 'kernel 5x5 in a 4x4 input, valid',
      run: () => depthwiseConv2d(x(), randomNormal([5, 5, 2, 1], 1)),
      error: 'ShapeError',
      message: /^depthwiseConv2d: kernel 5x5 does not fit in input 4x4 with padding 'valid': output would be 0x0/,
    },
    {
      title: 'strides 0',
      run: () => depthwiseConv2d(x(), randomNormal([3, 3, 2, 1], 1), { strides: 0 }),
      error: 'ValueError',
      message: /^depthwiseConv2d: strides must be positive integers, but got 0/,
    },
    {
      title: 'unknown option dilations (TF.js spelling)',
      run: () => depthwiseConv2d(x(), randomNormal([3, 3, 2, 1], 1), { dilations: 2 } as never),
      error: 'ValueError',
      message: /^depthwiseConv2d: unknown option 'dilations'; did you mean 'dilationRate'\?/,
    },
  ];
}

function separableSamples(): Sample[] {
  return [
    {
      // depthwise ones 1x1 (identity, M = 1) then pointwise [1, 1, 2, 1] = [1, 10]: y = x_c0 + 10·x_c1
      title: 'x=arange [1,2,2,2] identity depthwise, pointwise [1,10]',
      inputs: [iota([1, 2, 2, 2]), float64([1, 1], [1, 1, 2, 1]), float64([1, 10], [1, 1, 2, 1])],
      run: (x, d, p) => separableConv2d(x!, d!, p!),
      expected: { shape: [1, 2, 2, 1], values: [10, 32, 54, 76] },
    },
    ...randomGeometries(6, 37).map((c, i) => ({
      title: c.title,
      inputs: [
        randomNormal(c.x, 400 + i),
        randomNormal(c.k, 500 + i),
        randomNormal([1, 1, c.k[2]! * c.k[3]!, 1 + (i % 3)], 600 + i),
      ],
      run: (x: Tensor, d: Tensor, p: Tensor) => separableConv2d(x, d, p, c.options),
    })),
  ];
}

function separableErrors(): ErrorSample[] {
  return [
    {
      title: 'pointwise kernel [1, 1, 2, 4] after a depthwise kernel [3, 3, 2, 2] (4 channels)',
      run: () =>
        separableConv2d(randomNormal([1, 4, 4, 2], 0), randomNormal([3, 3, 2, 2], 1), randomNormal([1, 1, 2, 4], 2)),
      error: 'ShapeError',
      message:
        /^separableConv2d: pointwiseKernel must be \[1, 1, channels·depthMultiplier, filters\] = \[1, 1, 4, filters\], but got shape \[1, 1, 2, 4\]/,
    },
    {
      title: 'pointwise kernel 3x3',
      run: () =>
        separableConv2d(randomNormal([1, 4, 4, 2], 0), randomNormal([3, 3, 2, 1], 1), randomNormal([3, 3, 2, 4], 2)),
      error: 'ShapeError',
      message: /^separableConv2d: pointwiseKernel must be \[1, 1, channels·depthMultiplier, filters\]/,
    },
  ];
}

export const depthwiseOpInfos: OpInfo[] = [
  { name: 'depthwiseConv2d', supportsGrad: true, sampleInputs: depthwiseSamples, errorInputs: depthwiseErrors },
  { name: 'separableConv2d', supportsGrad: true, sampleInputs: separableSamples, errorInputs: separableErrors },
];
