/**
 * OpInfos of the elementwise ops and activations (see Note [OpInfos]).
 *
 * Sample points stay away from where an op is not differentiable, because central differences
 * straddling a corner measure neither side's slope: relu, abs, leakyRelu at 0, maximum/minimum at
 * ties, clip at its bounds. Values are drawn from a grid offset from those points (see `grid`).
 * log, sqrt and pow's base are sampled on positive numbers.
 */

import {
  abs,
  add,
  clip,
  div,
  exp,
  gelu,
  leakyRelu,
  log,
  logSoftmax,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  relu,
  sigmoid,
  softmax,
  softplus,
  sqrt,
  square,
  sub,
  tanh,
  tensor,
  where,
} from '../../ops/index';
import { Generator } from '../../random';
import { type Shape, sizeOf } from '../../shape';
import type { Tensor, TensorLike } from '../../tensor';
import type { ErrorSample, OpInfo, Sample } from '../opInfo';
import { float64, randomUniform } from './helpers';

/**
 * Float64 values k/10 + offset for random integers k in [−20, 20): with different offsets, two
 * grids never come closer than the difference of the offsets, and a grid with offset 0.05 keeps
 * 0.05 away from every multiple of 0.1 (so from 0 and from bounds like ±0.5).
 */
function grid(shape: Shape, offset: number, seed: number): Tensor {
  const g = new Generator(seed);
  const values = Array.from({ length: sizeOf(shape) }, () => g.int(-20, 20) / 10 + offset);
  return float64(values, shape);
}

/** A few characters for a title: '[2, 3]' → '[2,3]'. */
function s(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

// ---- binary ops --------------------------------------------------------------------------------

type BinaryFn = (a: TensorLike, b: TensorLike) => Tensor;

/** Shape pairs every binary op is checked on: equal, both-sided broadcast, trailing, rank 0. */
const binaryShapes: Array<[Shape, Shape]> = [
  [
    [2, 3],
    [2, 3],
  ],
  [
    [3, 1],
    [1, 4],
  ],
  [[2, 3, 4], [4]],
  [[], [2, 2]],
  [[2, 1, 3], []],
];

/**
 * Samples for a binary op: random shapes from `binaryShapes`, a number on either side, and the
 * hand-worked cases in `golden`. `makeA`/`makeB` draw values suited to the op.
 */
function binarySamples(
  fn: BinaryFn,
  makeA: (shape: Shape, seed: number) => Tensor,
  makeB: (shape: Shape, seed: number) => Tensor,
  golden: Sample[],
): Sample[] {
  const samples: Sample[] = binaryShapes.map(([sa, sb], i) => ({
    title: `a=${s(sa)} b=${s(sb)}`,
    inputs: [makeA(sa, 10 + i), makeB(sb, 20 + i)],
    run: (a, b) => fn(a!, b!),
  }));
  const scalar = makeB([], 30).item();
  samples.push({
    title: `a=[2,3] b=number ${scalar}`,
    inputs: [makeA([2, 3], 31)],
    run: (a) => fn(a!, scalar),
  });
  const scalarA = makeA([], 32).item();
  samples.push({
    title: `a=number ${scalarA} b=[3]`,
    inputs: [makeB([3], 33)],
    run: (b) => fn(scalarA, b!),
  });
  return [...samples, ...golden];
}

function binaryErrors(name: string, fn: BinaryFn): ErrorSample[] {
  return [
    {
      title: 'a=[2,3] b=[4] not broadcastable',
      run: () => fn(tensor([1, 2, 3, 4, 5, 6], [2, 3]), tensor([1, 2, 3, 4])),
      error: 'ShapeError',
      message: new RegExp(`^${name}: shapes must be broadcastable .*but got \\[2, 3\\] and \\[4\\]: dimension 3 vs 4`),
    },
    {
      title: 'a=[3,2] b=[2,3] not broadcastable',
      run: () => fn(tensor([1, 2, 3, 4, 5, 6], [3, 2]), tensor([1, 2, 3, 4, 5, 6], [2, 3])),
      error: 'ShapeError',
      message: new RegExp(`^${name}: shapes must be broadcastable .*\\[3, 2\\] and \\[2, 3\\]`),
    },
    {
      title: 'b is an array, not a tensor',
      run: () => fn(tensor([1, 2]), [1, 2] as unknown as number),
      error: 'ValueError',
      message: new RegExp(`^${name}: b must be a Tensor or a number, but got an array of length 2`),
    },
  ];
}

const pos = (shape: Shape, seed: number) => randomUniform(shape, 0.5, 2, seed);
const any = (shape: Shape, seed: number) => randomUniform(shape, -2, 2, seed);
/** Divisors away from 0: magnitude in [0.5, 2], random sign. */
const divisor = (shape: Shape, seed: number) => mul(pos(shape, seed), sign(shape, seed + 1000));
/** ±1 at random. */
function sign(shape: Shape, seed: number): Tensor {
  const g = new Generator(seed);
  return float64(
    Array.from({ length: sizeOf(shape) }, () => (g.uniform() < 0.5 ? -1 : 1)),
    shape,
  );
}
const gridA = (shape: Shape, seed: number) => grid(shape, 0.02, seed);
const gridB = (shape: Shape, seed: number) => grid(shape, 0.07, seed);

const m = [
  [1, 2, 3],
  [4, 5, 6],
];

const binaryOpInfos: OpInfo[] = [
  {
    name: 'add',
    supportsGrad: true,
    sampleInputs: () =>
      binarySamples(add, any, any, [
        {
          title: 'golden [[1,2,3],[4,5,6]] + [10,20,30]',
          inputs: [float64(m), float64([10, 20, 30])],
          run: (a, b) => add(a!, b!),
          expected: { shape: [2, 3], values: [11, 22, 33, 14, 25, 36] },
        },
      ]),
    errorInputs: () => binaryErrors('add', add),
  },
  {
    name: 'sub',
    supportsGrad: true,
    sampleInputs: () =>
      binarySamples(sub, any, any, [
        {
          title: 'golden [[1],[2]] - [1,10]',
          inputs: [float64([[1], [2]]), float64([1, 10])],
          run: (a, b) => sub(a!, b!),
          expected: { shape: [2, 2], values: [0, -9, 1, -8] },
        },
      ]),
    errorInputs: () => binaryErrors('sub', sub),
  },
  {
    name: 'mul',
    supportsGrad: true,
    sampleInputs: () =>
      binarySamples(mul, any, any, [
        {
          title: 'golden [[1,2,3],[4,5,6]] * [[2],[-1]]',
          inputs: [float64(m), float64([[2], [-1]])],
          run: (a, b) => mul(a!, b!),
          expected: { shape: [2, 3], values: [2, 4, 6, -4, -5, -6] },
        },
        {
          title: 'x * x (the same tensor twice: gradients add up to 2x)',
          inputs: [any([2, 2], 40)],
          run: (x) => mul(x!, x!),
        },
      ]),
    errorInputs: () => binaryErrors('mul', mul),
  },
  {
    name: 'div',
    supportsGrad: true,
    sampleInputs: () =>
      binarySamples(div, any, divisor, [
        {
          title: 'golden [1,2,3] / [[2],[-4]]',
          inputs: [float64([1, 2, 3]), float64([[2], [-4]])],
          run: (a, b) => div(a!, b!),
          expected: { shape: [2, 3], values: [0.5, 1, 1.5, -0.25, -0.5, -0.75] },
        },
      ]),
    errorInputs: () => binaryErrors('div', div),
  },
  {
    name: 'pow',
    supportsGrad: true,
    sampleInputs: () =>
      binarySamples(pow, pos, any, [
        {
          title: 'golden [1,2,3] ^ [[2],[0.5]]',
          inputs: [float64([1, 2, 3]), float64([[2], [0.5]])],
          run: (a, b) => pow(a!, b!),
          expected: { shape: [2, 3], values: [1, 4, 9, 1, Math.SQRT2, Math.sqrt(3)] },
        },
        {
          // a negative base is fine with an integer exponent; only the base is checked
          // (∂/∂b at a < 0 is defined as 0, which central differences, all NaN there, cannot confirm)
          title: 'negative base x=[-2,-0.5,1.5] ^ 3',
          inputs: [float64([-2, -0.5, 1.5])],
          run: (x) => pow(x!, 3),
          expected: { shape: [3], values: [-8, -0.125, 3.375] },
        },
      ]),
    errorInputs: () => binaryErrors('pow', pow),
  },
  {
    name: 'maximum',
    supportsGrad: true,
    sampleInputs: () =>
      binarySamples(maximum, gridA, gridB, [
        {
          title: 'golden [1,-2,3] max [[0],[2]]',
          inputs: [float64([1, -2, 3]), float64([[0], [2]])],
          run: (a, b) => maximum(a!, b!),
          expected: { shape: [2, 3], values: [1, 0, 3, 2, 2, 3] },
        },
      ]),
    errorInputs: () => binaryErrors('maximum', maximum),
  },
  {
    name: 'minimum',
    supportsGrad: true,
    sampleInputs: () =>
      binarySamples(minimum, gridA, gridB, [
        {
          title: 'golden [1,-2,3] min [[0],[2]]',
          inputs: [float64([1, -2, 3]), float64([[0], [2]])],
          run: (a, b) => minimum(a!, b!),
          expected: { shape: [2, 3], values: [0, -2, 0, 1, -2, 2] },
        },
      ]),
    errorInputs: () => binaryErrors('minimum', minimum),
  },
];

// ---- unary ops and activations -----------------------------------------------------------------

type UnaryFn = (x: Tensor) => Tensor;

/** Shapes every unary op is checked on, rank 0 to rank 4 (an NHWC batch). */
const unaryShapes: Shape[] = [[], [5], [2, 3], [1, 2, 2, 3]];

/**
 * An OpInfo for a unary op: random samples on `unaryShapes` drawn by `make`, the hand-worked
 * `golden` cases, and the wrong-type error every op shares plus `errors`.
 */
function unaryInfo(
  name: string,
  fn: UnaryFn,
  make: (shape: Shape, seed: number) => Tensor,
  golden: Array<{ x: number[]; y: number[]; run?: UnaryFn; title?: string }>,
  errors: ErrorSample[] = [],
): OpInfo {
  return {
    name,
    supportsGrad: true,
    sampleInputs: () => [
      ...unaryShapes.map((shape, i) => ({
        title: `x=${s(shape)}`,
        inputs: [make(shape, 50 + i)],
        run: (x: Tensor) => fn(x),
      })),
      ...golden.map((g) => ({
        title: g.title ?? `golden x=[${g.x.join(',')}]`,
        inputs: [float64(g.x)],
        run: (x: Tensor) => (g.run ?? fn)(x),
        expected: { shape: [g.x.length], values: g.y },
      })),
    ],
    errorInputs: () => [
      {
        title: 'x is a number, not a tensor',
        run: () => fn(3 as unknown as Tensor),
        error: 'ValueError',
        message: new RegExp(`^${name}: x must be a Tensor, but got number 3`),
      },
      ...errors,
    ],
  };
}

/** Values in ±[0.05, 2] (never near 0). */
const nonzero = (shape: Shape, seed: number) => grid(shape, 0.05, seed);

const unaryOpInfos: OpInfo[] = [
  unaryInfo('neg', neg, any, [{ x: [1, -2.5, 0], y: [-1, 2.5, -0] }]),
  unaryInfo('exp', exp, any, [{ x: [0, 1, -1], y: [1, Math.E, 1 / Math.E] }]),
  unaryInfo('log', log, pos, [{ x: [1, Math.E, 0.5], y: [0, 1, -Math.LN2] }]),
  unaryInfo('sqrt', sqrt, pos, [{ x: [4, 0.25, 2], y: [2, 0.5, Math.SQRT2] }]),
  unaryInfo('square', square, any, [{ x: [-3, 0.5, 0], y: [9, 0.25, 0] }]),
  unaryInfo('abs', abs, nonzero, [{ x: [-3, 0.5, -0.25], y: [3, 0.5, 0.25] }]),
  unaryInfo('relu', relu, nonzero, [{ x: [-3, 0.5, -0.25, 2], y: [0, 0.5, 0, 2] }]),
  unaryInfo(
    'leakyRelu',
    leakyRelu,
    nonzero,
    [
      { title: 'golden x=[-2,0.5,3] alpha=0.2 (default)', x: [-2, 0.5, 3], y: [-0.4, 0.5, 3] },
      { title: 'golden x=[-2,0.5] alpha=0.01', x: [-2, 0.5], y: [-0.02, 0.5], run: (x) => leakyRelu(x, 0.01) },
    ],
    [
      {
        title: 'alpha=NaN',
        run: () => leakyRelu(tensor([1]), Number.NaN),
        error: 'ValueError',
        message: /^leakyRelu: alpha must be a finite number, but got alpha=NaN/,
      },
    ],
  ),
  unaryInfo('sigmoid', sigmoid, any, [
    // σ(ln 3) = 1 / (1 + 1/3) = 3/4
    { x: [0, Math.log(3), -Math.log(3)], y: [0.5, 0.75, 0.25] },
  ]),
  unaryInfo('tanh', tanh, any, [
    // tanh(ln 2) = (2 − 1/2) / (2 + 1/2) = 3/5
    { x: [0, Math.LN2, -Math.LN2], y: [0, 0.6, -0.6] },
  ]),
  unaryInfo('softplus', softplus, any, [
    // ln(1 + 1) = ln 2; ln(1 + 3) − ln 3 = ln(4/3) for x = −ln 3; far out, 0 and x without overflow
    { x: [0, -Math.log(3), 1000, -1000], y: [Math.LN2, Math.log(4 / 3), 1000, 0] },
  ]),
  unaryInfo(
    'gelu',
    gelu,
    any,
    [
      // Φ(1) = 0.8413447460685429 (erf(1/√2) = 0.6826894921370859, the one-sigma mass)
      { x: [0, 1, -1], y: [0, 0.8413447460685429, -0.15865525393145707] },
      // x = 4: Φ(4) = 1 − 3.167124183311998e-5; x = −6: −6·Φ(−6) = −6 · 9.865876450376946e-10
      { title: 'golden tails x=[4,-6]', x: [4, -6], y: [4 * (1 - 3.167124183311998e-5), -6 * 9.865876450376946e-10] },
      {
        // u = √(2/π)·(1 + 0.044715) at x = 1
        title: 'golden approximate x=[1,-1]',
        x: [1, -1],
        y: [
          0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * 1.044715)),
          -0.5 * (1 - Math.tanh(Math.sqrt(2 / Math.PI) * 1.044715)),
        ],
        run: (x) => gelu(x, true),
      },
      {
        title: 'approximate x=[5] (random values)',
        x: [-1.7, -0.3, 0.2, 0.9, 2.6],
        y: [-1.7, -0.3, 0.2, 0.9, 2.6].map(
          (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
        ),
        run: (x) => gelu(x, true),
      },
    ],
    [
      {
        title: "approximate='tanh'",
        run: () => gelu(tensor([1]), 'tanh' as unknown as boolean),
        error: 'ValueError',
        message: /^gelu: approximate must be true or false, but got "tanh"/,
      },
    ],
  ),
  unaryInfo(
    'clip',
    (x) => clip(x, -0.5, 0.5),
    nonzero,
    [
      {
        title: 'golden x=[-2,-0.4,0.25,0.45,3] in [-0.5,0.5]',
        x: [-2, -0.4, 0.25, 0.45, 3],
        y: [-0.5, -0.4, 0.25, 0.45, 0.5],
      },
    ],
    [
      {
        title: 'min=2 > max=1',
        run: () => clip(tensor([1, 2]), 2, 1),
        error: 'ValueError',
        message: /^clip: min must be less than or equal to max, but got min=2, max=1/,
      },
      {
        title: 'min=NaN',
        run: () => clip(tensor([1, 2]), Number.NaN, 1),
        error: 'ValueError',
        message: /^clip: min must be less than or equal to max, but got min=NaN, max=1/,
      },
    ],
  ),
];

// ---- where, softmax, logSoftmax ------------------------------------------------------------------

/** A float64 0/1 mask. */
function mask(shape: Shape, seed: number): Tensor {
  const t = randomUniform(shape, 0, 1, seed);
  for (let i = 0; i < t.size; i++) t.data[i] = t.data[i]! < 0.5 ? 0 : 1;
  return t;
}

const whereOpInfo: OpInfo = {
  name: 'where',
  supportsGrad: true,
  sampleInputs: () => [
    ...(
      [
        [
          [2, 3],
          [2, 3],
          [2, 3],
        ],
        [[3, 1], [1, 4], []],
        [[4], [2, 3, 4], [3, 1]],
      ] as Array<[Shape, Shape, Shape]>
    ).map(([sc, sa, sb], i) => ({
      title: `condition=${s(sc)} a=${s(sa)} b=${s(sb)}`,
      inputs: [mask(sc, 60 + i), any(sa, 70 + i), any(sb, 80 + i)],
      run: (c: Tensor, a: Tensor, b: Tensor) => where(c, a, b),
      noGrad: [0],
    })),
    {
      title: 'golden condition=[1,0,-2,0] a=[1,2,3,4] b=0',
      inputs: [float64([1, 0, -2, 0]), float64([1, 2, 3, 4])],
      run: (c, a) => where(c!, a!, 0),
      expected: { shape: [4], values: [1, 0, 3, 0] },
      noGrad: [0],
    },
  ],
  errorInputs: () => [
    {
      title: 'condition=[3] a=[2] not broadcastable',
      run: () => where(tensor([1, 0, 1]), tensor([1, 2]), 0),
      error: 'ShapeError',
      message: /^where: shapes must be broadcastable .*but got \[3\] and \[2\]/,
    },
    {
      title: 'a is a string',
      run: () => where(tensor([1]), 'x' as unknown as number, 0),
      error: 'ValueError',
      message: /^where: a must be a Tensor or a number, but got string x/,
    },
  ],
};

/** Softmax-like ops: random shapes and axes, plus golden rows and a bad axis. */
function softmaxInfo(
  name: 'softmax' | 'logSoftmax',
  fn: (x: Tensor, axis?: number) => Tensor,
  golden: Sample[],
): OpInfo {
  const cases: Array<[Shape, number]> = [
    [[6], -1],
    [[2, 5], -1],
    [[3, 4, 2], 1],
    [[3, 4, 2], 0],
    [[1, 2, 2, 3], 3],
  ];
  return {
    name,
    supportsGrad: true,
    sampleInputs: () => [
      ...cases.map(([shape, axis], i) => ({
        title: `x=${s(shape)} axis=${axis}`,
        inputs: [randomUniform(shape, -3, 3, 90 + i)],
        run: (x: Tensor) => fn(x, axis),
      })),
      ...golden,
    ],
    errorInputs: () => [
      {
        title: 'x=[2,3] axis=2',
        run: () => fn(tensor(m), 2),
        error: 'ValueError',
        message: new RegExp(`^${name}: axis must be an integer in \\[-2, 1\\] for a rank-2 tensor, but got 2`),
      },
      {
        title: 'x=[] (a scalar has no axis)',
        run: () => fn(tensor(1)),
        error: 'ValueError',
        message: new RegExp(`^${name}: a rank-0 tensor \\(a scalar\\) has no axes, but got axis -1`),
      },
    ],
  };
}

const softmaxOpInfos: OpInfo[] = [
  softmaxInfo('softmax', softmax, [
    {
      // e^0 : e^(ln 3) = 1 : 3, so [1/4, 3/4]; a constant row gives the uniform distribution
      title: 'golden [[0, ln 3], [5, 5]]',
      inputs: [
        float64([
          [0, Math.log(3)],
          [5, 5],
        ]),
      ],
      run: (x) => softmax(x!),
      expected: { shape: [2, 2], values: [0.25, 0.75, 0.5, 0.5] },
    },
    {
      title: 'golden [[0, 5], [ln 3, 5]] axis=0',
      inputs: [
        float64([
          [0, 5],
          [Math.log(3), 5],
        ]),
      ],
      run: (x) => softmax(x!, 0),
      expected: { shape: [2, 2], values: [0.25, 0.5, 0.75, 0.5] },
    },
  ]),
  softmaxInfo('logSoftmax', logSoftmax, [
    {
      // ln(1/4) = −2 ln 2, ln(3/4) = ln 3 − 2 ln 2
      title: 'golden [0, ln 3]',
      inputs: [float64([0, Math.log(3)])],
      run: (x) => logSoftmax(x!),
      expected: { shape: [2], values: [-2 * Math.LN2, Math.log(3) - 2 * Math.LN2] },
    },
  ]),
];

export const elementwiseOpInfos: OpInfo[] = [...binaryOpInfos, ...unaryOpInfos, whereOpInfo, ...softmaxOpInfos];
