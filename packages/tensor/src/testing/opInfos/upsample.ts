/**
 * OpInfo entries for the upsampling ops, conv2dTranspose and resizeBilinear (see Note [OpInfos]):
 * hand-worked samples, random geometries gradient-checked (strides 1–3, both paddings, output
 * padding, dilation), and error inputs.
 */
import { conv2dTranspose } from '../../ops/conv2dTranspose';
import { resizeBilinear } from '../../ops/resizeBilinear';
import { Generator } from '../../random';
import type { Tensor } from '../../tensor';
import type { ErrorSample, OpInfo, Sample } from '../opInfo';
import { float64, iota, randomNormal } from './helpers';

function transposeSamples(): Sample[] {
  const samples: Sample[] = [
    {
      // each input pixel stamps the kernel [[1, 2], [3, 4]] scaled by itself; stride 2: no overlap
      title: 'x=[[1,2]] k=[[1,2],[3,4]] strides=2 valid',
      inputs: [float64([1, 2], [1, 1, 2, 1]), float64([1, 2, 3, 4], [2, 2, 1, 1])],
      run: (x, k) => conv2dTranspose(x!, k!, { strides: 2 }),
      expected: { shape: [1, 2, 4, 1], values: [1, 2, 2, 4, 3, 4, 6, 8] },
    },
    {
      // stride 1: the stamps of 1 and 2 overlap in the middle column: [1, 2+2, 4], [3, 4+6, 8]
      title: 'x=[[1,2]] k=[[1,2],[3,4]] strides=1 valid (overlapping stamps add)',
      inputs: [float64([1, 2], [1, 1, 2, 1]), float64([1, 2, 3, 4], [2, 2, 1, 1])],
      run: (x, k) => conv2dTranspose(x!, k!),
      expected: { shape: [1, 2, 3, 1], values: [1, 4, 4, 3, 10, 8] },
    },
  ];
  const g = new Generator(41);
  while (samples.length < 16) {
    const k: [number, number] = [g.int(1, 5), g.int(1, 5)];
    const strides: [number, number] = [g.int(1, 4), g.int(1, 4)];
    const dilation: [number, number] = g.uniform() < 0.25 ? [g.int(1, 3), g.int(1, 3)] : [1, 1];
    const padding = g.uniform() < 0.5 ? 'same' : 'valid';
    const outputPadding: [number, number] | null =
      g.uniform() < 0.4 ? [g.int(0, strides[0]), g.int(0, strides[1])] : null;
    const x = [g.int(1, 3), g.int(1, 5), g.int(1, 5), g.int(1, 4)];
    const kShape = [k[0], k[1], g.int(1, 4), x[3]!];
    const options = { strides, padding, dilationRate: dilation, outputPadding } as const;
    try {
      conv2dTranspose(randomNormal(x, 0), randomNormal(kShape, 1), options);
    } catch {
      continue; // a geometry whose output would not convolve back (e.g. 'same' with a large outputPadding)
    }
    samples.push({
      title: `x=[${x}] k=[${kShape}] strides=${strides} dilation=${dilation} ${padding} outputPadding=${outputPadding}`,
      inputs: [randomNormal(x, 700 + samples.length), randomNormal(kShape, 800 + samples.length)],
      run: (a: Tensor, b: Tensor) => conv2dTranspose(a, b, options),
    });
  }
  return samples;
}

function transposeErrors(): ErrorSample[] {
  const x = () => randomNormal([1, 3, 3, 2], 0);
  return [
    {
      title: 'kernel last axis 3 vs input channels 2',
      run: () => conv2dTranspose(x(), randomNormal([3, 3, 4, 3], 1)),
      error: 'ShapeError',
      message:
        /^conv2dTranspose: kernel inChannels \(axis 3, after filters\) must equal the input's channels \(axis 3\), but got kernel inChannels 3 and input channels 2/,
    },
    {
      title: 'outputPadding 2 with strides 2',
      run: () => conv2dTranspose(x(), randomNormal([3, 3, 4, 2], 1), { strides: 2, outputPadding: 2 }),
      error: 'ValueError',
      message: /^conv2dTranspose: outputPadding must be integers ≥ 0 and smaller than the strides \[2, 2\], but got 2/,
    },
    {
      title: 'x rank 3',
      run: () => conv2dTranspose(randomNormal([3, 3, 2], 0), randomNormal([3, 3, 4, 2], 1)),
      error: 'ShapeError',
      message: /^conv2dTranspose: input must be rank 4/,
    },
  ];
}

function resizeSamples(): Sample[] {
  return [
    {
      // half-pixel centers: out 0..3 sample in at −0.25, 0.25, 0.75, 1.25 → clamp, 1/4, 3/4, clamp
      title: 'x=[0,4] to width 4',
      inputs: [float64([0, 4], [1, 1, 2, 1])],
      run: (x) => resizeBilinear(x!, [1, 4]),
      expected: { shape: [1, 1, 4, 1], values: [0, 1, 3, 4] },
    },
    {
      title: 'x=arange [1,2,2,1] to 3x3 (sample points 1/6, 5/6... of the cells)',
      inputs: [iota([1, 2, 2, 1])],
      run: (x) => resizeBilinear(x!, [3, 3]),
      // in = (o + 0.5)·2/3 − 0.5 = −1/6, 1/2, 7/6 → lerp 0 (clamped at 0), 1/2, 1 (clamped at 1)
      expected: { shape: [1, 3, 3, 1], values: [0, 0.5, 1, 1, 1.5, 2, 2, 2.5, 3] },
    },
    ...[
      [
        [2, 3, 4, 2],
        [6, 8],
      ],
      [
        [1, 5, 3, 3],
        [2, 7],
      ],
      [
        [2, 4, 4, 1],
        [4, 4],
      ],
      [
        [1, 3, 2, 2],
        [9, 5],
      ],
    ].map(([shape, size], i) => ({
      title: `x=[${shape}] to ${size!.join('x')}`,
      inputs: [randomNormal(shape!, 900 + i)],
      run: (x: Tensor) => resizeBilinear(x, size as [number, number]),
    })),
  ];
}

function resizeErrors(): ErrorSample[] {
  return [
    {
      title: 'size [0, 4]',
      run: () => resizeBilinear(randomNormal([1, 2, 2, 1], 0), [0, 4]),
      error: 'ValueError',
      message: /^resizeBilinear: size must be two positive integers \[outHeight, outWidth\], but got \[0,4\]/,
    },
    {
      title: 'x rank 2',
      run: () => resizeBilinear(randomNormal([2, 2], 0), [4, 4]),
      error: 'ShapeError',
      message: /^resizeBilinear: input must be rank 4/,
    },
  ];
}

export const upsampleOpInfos: OpInfo[] = [
  { name: 'conv2dTranspose', supportsGrad: true, sampleInputs: transposeSamples, errorInputs: transposeErrors },
  { name: 'resizeBilinear', supportsGrad: true, sampleInputs: resizeSamples, errorInputs: resizeErrors },
];
