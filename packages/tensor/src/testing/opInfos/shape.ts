/**
 * OpInfos of the shape ops (see Note [OpInfos]): reshape, flatten, squeeze, expandDims,
 * transpose, permute, slice, gather, concat, stack, pad. Expected values are worked by hand
 * on arange inputs, where an index is its own value.
 */

import { concat } from '../../ops/concat';
import { tensor, zeros } from '../../ops/creation';
import { expandDims } from '../../ops/expandDims';
import { flatten } from '../../ops/flatten';
import { gather } from '../../ops/gather';
import { pad } from '../../ops/pad';
import { reshape } from '../../ops/reshape';
import { slice } from '../../ops/slice';
import { squeeze } from '../../ops/squeeze';
import { stack } from '../../ops/stack';
import { permute, transpose } from '../../ops/transpose';
import type { Tensor } from '../../tensor';
import type { OpInfo, Sample } from '../opInfo';
import { iota, randomNormal } from './helpers';

const sample = (title: string, inputs: Tensor[], run: Sample['run'], expected?: Sample['expected']): Sample => ({
  title,
  inputs,
  run,
  expected,
});

export const shapeOpInfos: OpInfo[] = [
  {
    name: 'reshape',
    supportsGrad: true,
    sampleInputs: () => [
      sample('x=[2,3] to [3,2]', [iota([2, 3])], (x) => reshape(x, [3, 2]), {
        shape: [3, 2],
        values: [0, 1, 2, 3, 4, 5],
      }),
      sample('x=[2,3,4] to [-1,4] infers 6', [randomNormal([2, 3, 4], 1)], (x) => reshape(x, [-1, 4])),
      sample('x=[] to [1,1]', [randomNormal([], 2)], (x) => reshape(x, [1, 1])),
      sample('x=[4] to [2,1,-1]', [randomNormal([4], 3)], (x) => reshape(x, [2, 1, -1])),
    ],
    errorInputs: () => [
      {
        title: 'size mismatch names both shapes',
        run: () => reshape(zeros([2, 3]), [4, -1]),
        error: 'ShapeError',
        message: /cannot reshape \[2, 3\] \(6 elements\) into \[4, -1\]: 6 is not a multiple of 4/,
      },
      {
        title: 'sizes differ without -1',
        run: () => reshape(zeros([2, 3]), [4, 2]),
        error: 'ShapeError',
        message: /cannot reshape \[2, 3\] \(6 elements\) into \[4, 2\] \(8 elements\)/,
      },
      {
        title: 'two -1',
        run: () => reshape(zeros([2, 3]), [-1, -1]),
        error: 'ValueError',
        message: /only one dimension can be -1, but got \[-1, -1\]/,
      },
      {
        title: 'negative dimension',
        run: () => reshape(zeros([2, 3]), [-2, -3]),
        error: 'ValueError',
        message: /non-negative integers or -1, but got -2 at axis 0/,
      },
    ],
  },
  {
    name: 'flatten',
    supportsGrad: true,
    sampleInputs: () => [
      sample('x=[2,3,4] all axes', [randomNormal([2, 3, 4], 4)], (x) => flatten(x)),
      sample('x=[2,2,2,3] startAxis=1', [iota([2, 2, 2, 3])], (x) => flatten(x, 1), {
        shape: [2, 12],
        values: Array.from({ length: 24 }, (_, i) => i),
      }),
      sample('x=[2,3,4,5] axes 1..2', [randomNormal([2, 3, 4, 5], 5)], (x) => flatten(x, 1, 2)),
      sample('x=[] becomes [1]', [randomNormal([], 6)], (x) => flatten(x), {
        shape: [1],
        values: [randomNormal([], 6).item()],
      }),
    ],
    errorInputs: () => [
      {
        title: 'startAxis after endAxis',
        run: () => flatten(zeros([2, 3, 4]), 2, 1),
        error: 'ValueError',
        message: /startAxis must not come after endAxis, but got startAxis=2, endAxis=1/,
      },
      {
        title: 'axis out of range',
        run: () => flatten(zeros([2, 3]), 3),
        error: 'ValueError',
        message: /flatten: axis must be an integer in \[-2, 1\].*but got 3/,
      },
    ],
  },
  {
    name: 'squeeze',
    supportsGrad: true,
    sampleInputs: () => [
      sample('x=[1,3,1,2] all size-1 axes', [randomNormal([1, 3, 1, 2], 7)], (x) => squeeze(x)),
      sample('x=[1,3,1] axis=-1', [iota([1, 3, 1])], (x) => squeeze(x, -1), { shape: [1, 3], values: [0, 1, 2] }),
      sample('x=[1,1] axes [0,1]', [randomNormal([1, 1], 8)], (x) => squeeze(x, [0, 1])),
    ],
    errorInputs: () => [
      {
        title: 'axis of size 3',
        run: () => squeeze(zeros([2, 3]), 1),
        error: 'ShapeError',
        message: /only axes of size 1 can be removed, but got axis 1 of size 3 in shape \[2, 3\]/,
      },
    ],
  },
  {
    name: 'expandDims',
    supportsGrad: true,
    sampleInputs: () => [
      sample('x=[2,3] axis=0', [randomNormal([2, 3], 9)], (x) => expandDims(x)),
      sample('x=[2,3] axis=-1 appends', [iota([2, 3])], (x) => expandDims(x, -1), {
        shape: [2, 3, 1],
        values: [0, 1, 2, 3, 4, 5],
      }),
      sample('x=[] axis=0', [randomNormal([], 10)], (x) => expandDims(x, 0)),
    ],
    errorInputs: () => [
      {
        title: 'axis 3 on rank 2',
        run: () => expandDims(zeros([2, 3]), 3),
        error: 'ValueError',
        message: /expandDims: axis must be an integer in \[-3, 2\].*but got 3/,
      },
    ],
  },
  {
    name: 'transpose',
    supportsGrad: true,
    sampleInputs: () => [
      // [[0 1 2] [3 4 5]] transposed is [[0 3] [1 4] [2 5]]
      sample('x=[2,3] default', [iota([2, 3])], (x) => transpose(x), { shape: [3, 2], values: [0, 3, 1, 4, 2, 5] }),
      sample('x=[2,3,4] perm=[1,2,0]', [randomNormal([2, 3, 4], 11)], (x) => transpose(x, [1, 2, 0])),
      sample('x=[2,3,4,5] perm=[0,3,1,2] (NHWC to NCHW)', [randomNormal([2, 3, 4, 5], 12)], (x) =>
        permute(x, [0, 3, 1, 2]),
      ),
      sample('x=[] default', [randomNormal([], 13)], (x) => transpose(x)),
      // x[i, j, k] = 4i + 2j + k; y = x transposed [2, 1, 0], y[k, j, i] = x[i, j, k]
      sample('x=[2,2,2] perm=[-1,1,0]', [iota([2, 2, 2])], (x) => transpose(x, [-1, 1, 0]), {
        shape: [2, 2, 2],
        values: [0, 4, 2, 6, 1, 5, 3, 7],
      }),
    ],
    errorInputs: () => [
      {
        title: 'repeated axis',
        run: () => transpose(zeros([2, 3, 4]), [0, 0, 1]),
        error: 'ValueError',
        message: /perm must be a permutation of the axes \[0, 1, 2\].*but got \[0, 0, 1\]/,
      },
      {
        title: 'wrong length',
        run: () => permute(zeros([2, 3]), [1, 0, 2]),
        error: 'ValueError',
        message: /transpose: perm must be a permutation of the axes \[0, 1\].*but got \[1, 0, 2\]/,
      },
    ],
  },
  {
    name: 'slice',
    supportsGrad: true,
    sampleInputs: () => [
      // rows 0..1 of columns 1..2 of [[0 1 2] [3 4 5]]
      sample('x=[2,3] begin=[0,1] size=[2,2]', [iota([2, 3])], (x) => slice(x, [0, 1], [2, 2]), {
        shape: [2, 2],
        values: [1, 2, 4, 5],
      }),
      sample('x=[4,3] begin=1 (number, axis 0)', [iota([4, 3])], (x) => slice(x, 1, 2), {
        shape: [2, 3],
        values: [3, 4, 5, 6, 7, 8],
      }),
      sample('x=[3,4,5] size -1 to the end', [randomNormal([3, 4, 5], 14)], (x) => slice(x, [1, 0, 2], [-1, 3, -1])),
      sample('x=[5] empty block', [randomNormal([5], 15)], (x) => slice(x, [5], [0])),
      sample('x=[2,3,4,2] begin shorter than rank', [randomNormal([2, 3, 4, 2], 16)], (x) => slice(x, [1, 1])),
    ],
    errorInputs: () => [
      {
        title: 'block leaves the tensor',
        run: () => slice(zeros([2, 4]), [0, 3], [1, 2]),
        error: 'ValueError',
        message: /begin\[1\] \+ size\[1\] must be at most 4.*but got begin 3 \+ size 2 = 5/,
      },
      {
        title: 'negative begin',
        run: () => slice(zeros([2, 4]), [-1]),
        error: 'ValueError',
        message: /begin\[0\] must be an integer in \[0, 2\].*but got -1/,
      },
      {
        title: 'too many entries',
        run: () => slice(zeros([2]), [0, 0]),
        error: 'ValueError',
        message: /at most one entry per axis \(1\), but got begin \[0, 0\]/,
      },
    ],
  },
  {
    name: 'gather',
    supportsGrad: true,
    sampleInputs: () => [
      sample('x=[3,2] indices=[2,0,2] axis=0', [iota([3, 2])], (x) => gather(x, [2, 0, 2]), {
        shape: [3, 2],
        values: [4, 5, 0, 1, 4, 5],
      }),
      sample('x=[2,3,4] indices=[3,3,0] axis=-1 (repeats accumulate)', [randomNormal([2, 3, 4], 17)], (x) =>
        gather(x, [3, 3, 0], -1),
      ),
      sample('x=[4,3] indices tensor [2,2] axis=0', [randomNormal([4, 3], 18)], (x) =>
        gather(
          x,
          tensor([
            [1, 0],
            [3, 1],
          ]),
          0,
        ),
      ),
      sample('x=[2,5,2] Int32Array axis=1', [randomNormal([2, 5, 2], 19)], (x) =>
        gather(x, Int32Array.from([4, 1]), 1),
      ),
    ],
    errorInputs: () => [
      {
        title: 'index out of range',
        run: () => gather(zeros([5, 2]), [0, 7]),
        error: 'ValueError',
        message: /indices must be integers in \[0, 5\) \(the size of axis 0\), but got 7 at position 1/,
      },
      {
        title: 'fractional index',
        run: () => gather(zeros([5, 2]), [1.5], 0),
        error: 'ValueError',
        message: /but got 1.5 at position 0/,
      },
    ],
  },
  {
    name: 'concat',
    supportsGrad: true,
    sampleInputs: () => [
      sample('[1,2] + [2,2] axis=0', [iota([1, 2]), iota([2, 2])], (a, b) => concat([a!, b!]), {
        shape: [3, 2],
        values: [0, 1, 0, 1, 2, 3],
      }),
      sample('[2,1] + [2,2] axis=-1', [iota([2, 1]), iota([2, 2])], (a, b) => concat([a!, b!], -1), {
        shape: [2, 3],
        values: [0, 0, 1, 1, 2, 3],
      }),
      sample(
        'three [2,3,4] [2,1,4] [2,2,4] axis=1',
        [randomNormal([2, 3, 4], 20), randomNormal([2, 1, 4], 21), randomNormal([2, 2, 4], 22)],
        (a, b, c) => concat([a!, b!, c!], 1),
      ),
      sample('the same tensor twice', [randomNormal([3], 23)], (a) => concat([a!, a!])),
    ],
    errorInputs: () => [
      {
        title: 'other dimension differs',
        run: () => concat([zeros([2, 3]), zeros([2, 4])], 0),
        error: 'ShapeError',
        message:
          /same shape except along axis 0, but got \[2, 3\] \(tensor 0\) and \[2, 4\] \(tensor 1\): dimension 1 is 3 vs 4/,
      },
      {
        title: 'ranks differ',
        run: () => concat([zeros([2, 3]), zeros([2])], 0),
        error: 'ShapeError',
        message: /rank 2 vs 1/,
      },
      { title: 'empty list', run: () => concat([]), error: 'ValueError', message: /at least one tensor/ },
      { title: 'scalars', run: () => concat([zeros([]), zeros([])]), error: 'ValueError', message: /use stack/ },
    ],
  },
  {
    name: 'stack',
    supportsGrad: true,
    sampleInputs: () => [
      sample('two [3] axis=0', [iota([3]), iota([3])], (a, b) => stack([a!, b!]), {
        shape: [2, 3],
        values: [0, 1, 2, 0, 1, 2],
      }),
      sample('two [3] axis=-1', [iota([3]), iota([3])], (a, b) => stack([a!, b!], -1), {
        shape: [3, 2],
        values: [0, 0, 1, 1, 2, 2],
      }),
      sample(
        'three [2,3] axis=1',
        [randomNormal([2, 3], 24), randomNormal([2, 3], 25), randomNormal([2, 3], 26)],
        (a, b, c) => stack([a!, b!, c!], 1),
      ),
      sample('scalars', [randomNormal([], 27), randomNormal([], 28)], (a, b) => stack([a!, b!])),
    ],
    errorInputs: () => [
      {
        title: 'shapes differ names the first mismatch',
        run: () => stack([zeros([2, 3]), zeros([2, 3]), zeros([3, 2]), zeros([1])]),
        error: 'ShapeError',
        message: /same shape, but got \[2, 3\] \(tensor 0\) and \[3, 2\] \(tensor 2\)/,
      },
    ],
  },
  {
    name: 'pad',
    supportsGrad: true,
    sampleInputs: () => [
      // [[0 1]] with one row above and one column on the right, filled with 9
      sample(
        'x=[1,2] [[1,0],[0,1]] value 9',
        [iota([1, 2])],
        (x) =>
          pad(
            x,
            [
              [1, 0],
              [0, 1],
            ],
            9,
          ),
        {
          shape: [2, 3],
          values: [9, 9, 9, 0, 1, 9],
        },
      ),
      sample('x=[1,3,3,2] spatial padding 1', [randomNormal([1, 3, 3, 2], 29)], (x) =>
        pad(x, [
          [0, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ]),
      ),
      sample('x=[2,3] no padding', [randomNormal([2, 3], 30)], (x) =>
        pad(x, [
          [0, 0],
          [0, 0],
        ]),
      ),
      sample('x=[] scalar', [randomNormal([], 31)], (x) => pad(x, [])),
    ],
    errorInputs: () => [
      {
        title: 'negative amount',
        run: () =>
          pad(zeros([2, 2]), [
            [0, 0],
            [-1, 1],
          ]),
        error: 'ValueError',
        message: /paddings\[1\] must be a pair of non-negative integers \[before, after\], but got \[-1, 1\]/,
      },
      {
        title: 'one pair per axis',
        run: () => pad(zeros([2, 2]), [[1, 1]]),
        error: 'ValueError',
        message: /one \[before, after\] pair per axis \(2\), but got 1 pairs for shape \[2, 2\]/,
      },
    ],
  },
];
