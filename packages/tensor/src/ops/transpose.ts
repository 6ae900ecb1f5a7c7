import { record } from '../autograd/record';
import { allocate } from '../dtype';
import { ValueError } from '../errors';
import { transpose as transposeKernel } from '../kernels/cpu/transpose';
import { formatShape } from '../shape';
import { Tensor } from '../tensor';

/**
 * Permutes the axes: output axis k is input axis perm[k]. The default reverses them, so a matrix
 * is transposed in the usual sense.
 *
 *   y[j₀, …, j_{r−1}] = x[i]  with  i[perm[k]] = j_k
 *
 * Unlike {@link reshape}, this moves values: the result is a new row-major copy.
 *
 * **Shape:** [x.shape[perm[0]], …, x.shape[perm[r−1]]].
 *
 * @param x    input, any rank
 * @param perm a permutation of 0 … rank−1 (negative entries count from the end). Default: reversed.
 * @throws ValueError if perm is not a permutation of the axes.
 * @example
 * String(transpose(tensor([[1, 2, 3], [4, 5, 6]])));   // '[[1. 4.]\n [2. 5.]\n [3. 6.]]'
 * transpose(zeros([8, 28, 28, 3]), [0, 3, 1, 2]).shape; // [8, 3, 28, 28]
 */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm === undefined ? x.shape.map((_, a) => x.rank - 1 - a) : checkPermutation('transpose', perm, x.rank);
  const outShape = p.map((a) => x.shape[a]!);
  const y = allocate(x.dtype, x.size);
  transposeKernel(x.data, x.shape, p, y);
  // a transpose only moves values, so the gradient moves back: dx = transpose(dy, perm⁻¹)
  return record('transpose', [x], new Tensor(y, outShape), (dy) => [transpose(dy, inversePermutation(p))]);
}

/**
 * Permutes the axes: the same as {@link transpose}, with `perm` required (PyTorch's name for it).
 * @example permute(zeros([2, 3, 4]), [2, 0, 1]).shape; // [4, 2, 3]
 */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  if (perm === undefined) {
    throw new ValueError(`permute: perm is required (one entry per axis of the rank-${x.rank} input)`);
  }
  return transpose(x, perm);
}

/** Resolves negative entries and checks that `perm` lists every axis exactly once. */
function checkPermutation(op: string, perm: readonly number[], rank: number): number[] {
  const p = perm.map((a) => (Number.isInteger(a) && a < 0 ? a + rank : a));
  const seen = new Set(p);
  const valid = p.length === rank && seen.size === rank && p.every((a) => Number.isInteger(a) && a >= 0 && a < rank);
  if (!valid) {
    const axes = Array.from({ length: rank }, (_, a) => a);
    throw new ValueError(
      `${op}: perm must be a permutation of the axes ${formatShape(axes)} (one entry per axis of the rank-${rank} input), ` +
        `but got ${formatShape(perm)}`,
    );
  }
  return p;
}

/** inverse[perm[k]] = k, so transposing by perm and then by inverse is the identity. */
function inversePermutation(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((a, k) => {
    inverse[a] = k;
  });
  return inverse;
}
