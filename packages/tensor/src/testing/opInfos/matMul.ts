/**
 * OpInfo of matMul (see Note [OpInfos]). Samples cover the four transpose variants, batch
 * broadcasting, 1×1 and sizes that are not multiples of the GEMM's 4×4 tile; the expected values
 * come from `naiveMatMul` below, which indexes every operand from the definition.
 */
import { randn, tensor, zeros } from '../../ops/creation';
import { matMul } from '../../ops/matMul';
import { Generator } from '../../random';
import type { Tensor } from '../../tensor';
import type { OpInfo, Sample } from '../opInfo';

/** Random float64 values of `shape`, reproducible per seed. */
const rnd = (shape: number[], seed: number): Tensor =>
  randn(shape, { dtype: 'float64', generator: new Generator(seed) });

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
  const a = rnd(aShape, seed);
  const b = rnd(bShape, seed + 1000);
  const t = (s: number[], flag: boolean): string => `[${s}]${flag ? 'ᵀ' : ''}`;
  return {
    title: `a=${t(aShape, ta)} b=${t(bShape, tb)}`,
    inputs: [a, b],
    run: (x, w) => matMul(x, w, ta, tb),
    expected: naiveMatMul(a, b, ta, tb),
  };
}

export const matMulOpInfos: OpInfo[] = [
  {
    name: 'matMul',
    supportsGrad: true,
    sampleInputs: () => [
      {
        title: 'a=[2,3] b=[3,2] by hand',
        inputs: [
          tensor([1, 2, 3, 4, 5, 6], [2, 3], { dtype: 'float64' }),
          tensor([7, 8, 9, 10, 11, 12], [3, 2], { dtype: 'float64' }),
        ],
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
];
