/**
 * OpInfo of matMul (see Note [OpInfos]). Samples cover the four transpose variants, batch
 * broadcasting, 1×1 and sizes that are not multiples of the GEMM's 4×4 tile; the expected values
 * come from `naiveMatMul` below, which indexes every operand from the definition.
 */

import type { FusedActivation } from '../../kernels/backend';
import { add } from '../../ops/add';
import { zeros } from '../../ops/creation';
import { fusedMatMul } from '../../ops/fusedMatMul';
import { matMul } from '../../ops/matMul';
import { relu } from '../../ops/relu';
import type { Tensor } from '../../tensor';
import type { OpInfo, Sample } from '../opInfo';
import { float64, randomNormal } from './helpers';

/**
 * y[..., i, j] = Σ_p op(a)[..., i, p]·op(b)[..., p, j], batch dims broadcast from the right: each
 * output batch index picks index 0 of a size-1 (or missing) operand dimension.
 */
function naiveMatMul(a: Tensor, b: Tensor, ta: boolean, tb: boolean): Sample['expected'] {
  const [ar, ac] = a.shape.slice(-2) as [number, number];
  const [br, bc] = b.shape.slice(-2) as [number, number];
  const [m, k] = ta ? [ac, ar] : [ar, ac];
  const n = tb ? br : bc;
  const rank = Math.max(a.rank, b.rank) - 2;
  const dim = (s: readonly number[], d: number): number => s[s.length - 2 - rank + d] ?? 1;
  const batch = Array.from({ length: rank }, (_, d) => Math.max(dim(a.shape, d), dim(b.shape, d)));
  const count = batch.reduce((p, d) => p * d, 1);
  const values: number[] = [];
  for (let o = 0; o < count; o++) {
    // the batch index of o, then the matrix each operand uses there
    let aMat = 0;
    let bMat = 0;
    let rest = o;
    const index = batch.map(() => 0);
    for (let d = rank - 1; d >= 0; d--) {
      index[d] = rest % batch[d]!;
      rest = Math.floor(rest / batch[d]!);
    }
    for (let d = 0; d < rank; d++) {
      aMat = aMat * dim(a.shape, d) + (dim(a.shape, d) === 1 ? 0 : index[d]!);
      bMat = bMat * dim(b.shape, d) + (dim(b.shape, d) === 1 ? 0 : index[d]!);
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const x = a.data[aMat * ar * ac + (ta ? p * ac + i : i * ac + p)]!;
          const w = b.data[bMat * br * bc + (tb ? j * bc + p : p * bc + j)]!;
          s += x * w;
        }
        values.push(s);
      }
    }
  }
  return { shape: [...batch, m, n], values };
}

function sample(aShape: number[], bShape: number[], ta: boolean, tb: boolean, seed: number): Sample {
  const a = randomNormal(aShape, seed);
  const b = randomNormal(bShape, seed + 1000);
  const t = (s: number[], flag: boolean): string => `[${s}]${flag ? 'ᵀ' : ''}`;
  return {
    title: `a=${t(aShape, ta)} b=${t(bShape, tb)}`,
    inputs: [a, b],
    run: (x, w) => matMul(x, w, ta, tb),
    expected: naiveMatMul(a, b, ta, tb),
  };
}

/** fusedMatMul against the unfused composition act(matMul(a, b) + bias). */
function fusedSample(
  aShape: number[],
  bShape: number[],
  ta: boolean,
  tb: boolean,
  withBias: boolean,
  activation: FusedActivation,
  seed: number,
): Sample {
  const a = randomNormal(aShape, seed);
  const b = randomNormal(bShape, seed + 1000);
  const n = tb ? bShape.at(-2)! : bShape.at(-1)!;
  const bias = withBias ? randomNormal([n], seed + 2000) : null;
  const z = matMul(a, b, ta, tb);
  const pre = bias === null ? z : add(z, bias);
  const y = activation === 'relu' ? relu(pre) : pre;
  const t = (s: number[], flag: boolean): string => `[${s}]${flag ? 'ᵀ' : ''}`;
  return {
    title: `a=${t(aShape, ta)} b=${t(bShape, tb)} ${withBias ? `bias=[${n}]` : 'no bias'} ${activation}`,
    inputs: bias === null ? [a, b] : [a, b, bias],
    run: (x, w, c) => fusedMatMul(x!, w!, { transposeA: ta, transposeB: tb, bias: c ?? null, activation }),
    expected: { shape: y.shape, values: y.data },
  };
}

export const matMulOpInfos: OpInfo[] = [
  {
    name: 'matMul',
    supportsGrad: true,
    sampleInputs: () => [
      {
        title: 'a=[2,3] b=[3,2] by hand',
        inputs: [float64([1, 2, 3, 4, 5, 6], [2, 3]), float64([7, 8, 9, 10, 11, 12], [3, 2])],
        run: (x, w) => matMul(x, w),
        // [1, 2, 3]·[7, 9, 11] = 58, [1, 2, 3]·[8, 10, 12] = 64, [4, 5, 6]·… = 139, 154
        expected: { shape: [2, 2], values: [58, 64, 139, 154] },
      },
      sample([1, 1], [1, 1], false, false, 1),
      sample([5, 7], [7, 6], false, false, 2),
      sample([7, 5], [7, 6], true, false, 3),
      sample([5, 7], [6, 7], false, true, 4),
      sample([7, 5], [6, 7], true, true, 5),
      sample([9, 13], [13, 10], false, false, 6),
      sample([1, 17], [17, 1], false, false, 7),
      sample([2, 3, 4], [4, 5], false, false, 8),
      sample([3, 4], [2, 4, 5], false, false, 9),
      sample([2, 1, 4, 3], [3, 5, 4], true, true, 10),
      sample([1, 2, 3], [3, 3, 1], false, false, 11),
      sample([2, 2, 6, 3], [2, 2, 6, 5], true, false, 12),
    ],
    errorInputs: () => [
      {
        title: 'inner dimensions differ',
        run: () => matMul(zeros([2, 3]), zeros([4, 5])),
        error: 'ShapeError',
        message: /matMul: inner dimensions must match: a is \[2, 3\] \(k=3\) and b is \[4, 5\] \(k=4\)/,
      },
      {
        title: 'inner dimensions differ after transposeB',
        run: () => matMul(zeros([2, 3]), zeros([3, 4]), false, true),
        error: 'ShapeError',
        message: /a is \[2, 3\] \(k=3\) and b is \[3, 4\] \(transposed\) \(k=4\)/,
      },
      {
        title: 'a vector is rejected',
        run: () => matMul(zeros([3]), zeros([3, 2])),
        error: 'ShapeError',
        message:
          /both operands must have rank >= 2.*a with shape \[3\] \(rank 1\) and b with shape \[3, 2\] \(rank 2\)/,
      },
      {
        title: 'batch dimensions that do not broadcast',
        run: () => matMul(zeros([2, 3, 4]), zeros([3, 4, 5])),
        error: 'ShapeError',
        message:
          /matMul: shapes must be broadcastable.*\[2\] and \[3\]: dimension 2 vs 3 \(the batch dimensions of a \[2, 3, 4\] and b \[3, 4, 5\]\)/,
      },
    ],
  },
  {
    name: 'fusedMatMul',
    supportsGrad: true,
    sampleInputs: () => [
      {
        // [1, 2]·[1, −1] = −1 and [3, 4]·[1, −1] = −1, [1, 2]·[2, 1] = 4 and [3, 4]·[2, 1] = 10;
        // plus bias [0.5, −4.5]: −0.5, −0.5 | −0.5, 5.5; relu keeps 5.5 only
        title: 'a=[2,2] b=[2,2] bias=[2] relu by hand',
        inputs: [float64([1, 2, 3, 4], [2, 2]), float64([1, 2, -1, 1], [2, 2]), float64([0.5, -4.5], [2])],
        run: (x, w, c) => fusedMatMul(x!, w!, { bias: c!, activation: 'relu' }),
        expected: { shape: [2, 2], values: [0, 0, 0, 5.5] },
      },
      fusedSample([5, 7], [7, 6], false, false, true, 'relu', 21),
      fusedSample([5, 7], [7, 6], false, false, true, 'linear', 22),
      fusedSample([5, 7], [7, 6], false, false, false, 'relu', 23),
      fusedSample([5, 7], [7, 6], false, false, false, 'linear', 24),
      fusedSample([7, 5], [6, 7], true, true, true, 'relu', 25),
      fusedSample([9, 13], [13, 10], false, false, true, 'relu', 26),
      fusedSample([1, 17], [17, 1], false, false, true, 'linear', 27),
      fusedSample([2, 3, 4], [4, 5], false, false, true, 'relu', 28),
      fusedSample([2, 1, 4, 3], [3, 5, 4], true, true, true, 'relu', 29),
      fusedSample([3, 4], [2, 4, 5], false, false, false, 'relu', 30),
      fusedSample([2, 2, 6, 3], [2, 2, 6, 5], true, false, true, 'linear', 31),
    ],
    errorInputs: () => [
      {
        title: 'bias [3] for n=5',
        run: () => fusedMatMul(zeros([2, 4]), zeros([4, 5]), { bias: zeros([3]) }),
        error: 'ShapeError',
        message: /^fusedMatMul: bias must have shape \[n\] = \[5\], one value per output channel, but got \[3\]$/,
      },
      {
        title: "activation 'sigmoid'",
        run: () => fusedMatMul(zeros([2, 4]), zeros([4, 5]), { activation: 'sigmoid' as never }),
        error: 'ValueError',
        message: /^fusedMatMul: activation must be 'linear' or 'relu', but got "sigmoid"/,
      },
      {
        title: 'matMul checks name the fused op: inner dimensions differ',
        run: () => fusedMatMul(zeros([2, 3]), zeros([4, 5]), { bias: zeros([5]) }),
        error: 'ShapeError',
        message: /^fusedMatMul: inner dimensions must match: a is \[2, 3\] \(k=3\) and b is \[4, 5\] \(k=4\)/,
      },
      {
        title: 'matMul checks name the fused op: batch dimensions',
        run: () => fusedMatMul(zeros([2, 3, 4]), zeros([3, 4, 5])),
        error: 'ShapeError',
        message:
          /^fusedMatMul: shapes must be broadcastable.*\(the batch dimensions of a \[2, 3, 4\] and b \[3, 4, 5\]\)/,
      },
      {
        title: 'b as a number (plain JavaScript)',
        run: () => fusedMatMul(zeros([2, 3]), 3 as never),
        error: 'ValueError',
        message: /^fusedMatMul: b must be a Tensor, but got number 3$/,
      },
      {
        title: 'transposeB as a string',
        run: () => fusedMatMul(zeros([2, 3]), zeros([4, 3]), { transposeB: 'yes' as never }),
        error: 'ValueError',
        message: /^fusedMatMul: transposeB must be true or false, but got "yes"$/,
      },
      {
        title: "misspelled option 'transposeb'",
        run: () => fusedMatMul(zeros([2, 3]), zeros([3, 4]), { transposeb: true } as never),
        error: 'ValueError',
        message: /^fusedMatMul: unknown option 'transposeb'; did you mean 'transposeB'\?/,
      },
    ],
  },
];
