/**
 * OpInfos of the reductions (see Note [OpInfos]): sum, mean, max, min, variance, argmax.
 * Random samples use continuous values, so max/min have no ties (ties are tested in max.test.ts).
 */
import { argmax } from '../../ops/argmax';
import { zeros } from '../../ops/creation';
import { max } from '../../ops/max';
import { mean } from '../../ops/mean';
import { min } from '../../ops/min';
import { sum } from '../../ops/sum';
import { variance } from '../../ops/variance';
import type { Tensor } from '../../tensor';
import type { ErrorSample, OpInfo, Sample } from '../opInfo';
import { FLOAT64, float64, iota, randomNormal } from './helpers';

type Axis = number | number[] | undefined;
type Reduction = (x: Tensor, axis?: Axis, keepDims?: boolean) => Tensor;

/** [[0 1 2] [3 4 5]] in float64. */
const m23 = (): Tensor => iota([2, 3]);

/** The same random configurations for every reduction: ranks 0–4, negative and split axes, keepDims both ways. */
const configs: Array<{ shape: number[]; axis: Axis; keepDims: boolean }> = [
  { shape: [], axis: undefined, keepDims: false },
  { shape: [5], axis: 0, keepDims: false },
  { shape: [5], axis: -1, keepDims: true },
  { shape: [3, 4], axis: undefined, keepDims: true },
  { shape: [3, 4], axis: 1, keepDims: false },
  { shape: [2, 3, 4], axis: [0, 2], keepDims: false },
  { shape: [2, 3, 4], axis: [-2, -1], keepDims: true },
  { shape: [2, 3, 2, 3], axis: [1, 3], keepDims: true },
];

function randomSamples(op: Reduction, seedBase: number): Sample[] {
  return configs.map((c, k) => ({
    title: `x=[${c.shape}] axis=${JSON.stringify(c.axis)} keepDims=${c.keepDims}`,
    inputs: [randomNormal(c.shape, seedBase + k)],
    run: (x: Tensor) => op(x, c.axis, c.keepDims),
  }));
}

/** Errors every reduction shares: the axis checks of normalizeAxes. */
function axisErrors(name: string, op: Reduction): ErrorSample[] {
  return [
    {
      title: 'axis out of range',
      run: () => op(zeros([2, 3]), 2),
      error: 'ValueError',
      message: new RegExp(`${name}: axis must be an integer in \\[-2, 1\\] for a rank-2 tensor, but got 2`),
    },
    {
      title: 'repeated axis',
      run: () => op(zeros([2, 3]), [1, -1]),
      error: 'ValueError',
      message: new RegExp(`${name}: axes must not repeat, but got \\[1, -1\\]`),
    },
  ];
}

const emptyError = (name: string, op: Reduction): ErrorSample => ({
  title: 'empty range',
  run: () => op(zeros([2, 0]), 1),
  error: 'ValueError',
  message: new RegExp(`${name}: cannot reduce over zero elements, but got shape \\[2, 0\\] with axes \\[1\\]`),
});

export const reductionsOpInfos: OpInfo[] = [
  {
    name: 'sum',
    supportsGrad: true,
    sampleInputs: () => [
      // [[0 1 2] [3 4 5]]: column sums 3 5 7, row sums 3 12, total 15
      { title: 'x=[2,3] axis=0', inputs: [m23()], run: (x) => sum(x, 0), expected: { shape: [3], values: [3, 5, 7] } },
      {
        title: 'x=[2,3] axis=-1 keepDims',
        inputs: [m23()],
        run: (x) => sum(x, -1, true),
        expected: { shape: [2, 1], values: [3, 12] },
      },
      { title: 'x=[2,3] all', inputs: [m23()], run: (x) => sum(x), expected: { shape: [], values: [15] } },
      {
        title: 'x=[2,0] axis=1 empty sum is 0',
        inputs: [zeros([2, 0], FLOAT64)],
        run: (x) => sum(x, 1),
        expected: { shape: [2], values: [0, 0] },
      },
      ...randomSamples(sum, 100),
    ],
    errorInputs: () => axisErrors('sum', sum),
  },
  {
    name: 'mean',
    supportsGrad: true,
    sampleInputs: () => [
      {
        title: 'x=[2,3] axis=0',
        inputs: [m23()],
        run: (x) => mean(x, 0),
        expected: { shape: [3], values: [1.5, 2.5, 3.5] },
      },
      { title: 'x=[2,3] all', inputs: [m23()], run: (x) => mean(x), expected: { shape: [], values: [2.5] } },
      ...randomSamples(mean, 200),
    ],
    errorInputs: () => axisErrors('mean', mean),
  },
  {
    name: 'max',
    supportsGrad: true,
    sampleInputs: () => [
      {
        title: 'x=[2,3] axis=1',
        inputs: [
          float64([
            [3, -1, 2],
            [0, 5, 4],
          ]),
        ],
        run: (x) => max(x, 1),
        expected: { shape: [2], values: [3, 5] },
      },
      ...randomSamples(max, 300),
    ],
    errorInputs: () => [...axisErrors('max', max), emptyError('max', max)],
  },
  {
    name: 'min',
    supportsGrad: true,
    sampleInputs: () => [
      {
        title: 'x=[2,3] axis=0 keepDims',
        inputs: [
          float64([
            [3, -1, 2],
            [0, 5, 4],
          ]),
        ],
        run: (x) => min(x, 0, true),
        expected: { shape: [1, 3], values: [0, -1, 2] },
      },
      ...randomSamples(min, 400),
    ],
    errorInputs: () => [...axisErrors('min', min), emptyError('min', min)],
  },
  {
    name: 'variance',
    supportsGrad: true,
    sampleInputs: () => [
      // rows [0 1 2] and [3 4 5]: mean 1 and 4, variance (1 + 0 + 1)/3 = 2/3 each
      {
        title: 'x=[2,3] axis=1',
        inputs: [m23()],
        run: (x) => variance(x, 1),
        expected: { shape: [2], values: [2 / 3, 2 / 3] },
      },
      // columns [0 3], [1 4], [2 5]: variance (1.5² + 1.5²)/2 = 2.25
      {
        title: 'x=[2,3] axis=0 keepDims',
        inputs: [m23()],
        run: (x) => variance(x, 0, true),
        expected: { shape: [1, 3], values: [2.25, 2.25, 2.25] },
      },
      ...randomSamples(variance, 500),
    ],
    errorInputs: () => axisErrors('variance', variance),
  },
  {
    name: 'argmax',
    supportsGrad: false,
    sampleInputs: () => [
      {
        title: 'x=[2,3] axis=1 first maximum wins',
        inputs: [
          float64([
            [1, 9, 9],
            [7, 2, 7],
          ]),
        ],
        run: (x) => argmax(x, 1),
        expected: { shape: [2], values: [1, 0] },
      },
      {
        title: 'x=[2,3] axis=0',
        inputs: [
          float64([
            [1, 9, 3],
            [7, 2, 7],
          ]),
        ],
        run: (x) => argmax(x, 0),
        expected: { shape: [3], values: [1, 0, 1] },
      },
      {
        title: 'x=[2,3] flattened',
        inputs: [
          float64([
            [1, 9, 3],
            [7, 2, 10],
          ]),
        ],
        run: (x) => argmax(x),
        expected: { shape: [], values: [5] },
      },
      {
        title: 'x=[2,3,2] axis=-2',
        inputs: [
          float64([
            [
              [0, 5],
              [2, 1],
              [1, 7],
            ],
            [
              [4, 4],
              [9, 3],
              [8, 3],
            ],
          ]),
        ],
        run: (x) => argmax(x, -2),
        expected: { shape: [2, 2], values: [1, 2, 1, 0] },
      },
    ],
    errorInputs: () => [
      {
        title: 'axis out of range',
        run: () => argmax(zeros([2, 3]), -3),
        error: 'ValueError',
        message: /argmax: axis must be an integer in \[-2, 1\] for a rank-2 tensor, but got -3/,
      },
      {
        title: 'empty range',
        run: () => argmax(zeros([0])),
        error: 'ValueError',
        message: /argmax: cannot search an empty range, but got shape \[0\]/,
      },
    ],
  },
];
