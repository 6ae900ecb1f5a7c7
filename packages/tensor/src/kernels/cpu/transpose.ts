/**
 * Axis permutation. Output axis k is input axis perm[k]:
 *   y[j₀, …, j_{r−1}] = x[i]  with  i[perm[k]] = j_k,
 * so y's shape is [xShape[perm[0]], …, xShape[perm[r−1]]].
 */
import type { TypedArray } from '../../dtype';

/**
 * Writes the transpose of `x` (shape `xShape`) into `y` (the permuted shape, same size).
 * y is walked in row-major order while the matching offset into x is updated incrementally.
 */
export function transpose(x: TypedArray, xShape: readonly number[], perm: readonly number[], y: TypedArray): void {
  const rank = perm.length;
  if (y.length === 0) return;
  if (rank === 0) {
    y[0] = x[0]!;
    return;
  }
  // Row-major strides of x. Stepping one along output axis k moves `step[k]` in x, because
  // output axis k is input axis perm[k].
  const xStrides = new Array<number>(rank);
  let s = 1;
  for (let a = rank - 1; a >= 0; a--) {
    xStrides[a] = s;
    s *= xShape[a]!;
  }
  const len = new Int32Array(rank);
  const step = new Int32Array(rank);
  for (let k = 0; k < rank; k++) {
    len[k] = xShape[perm[k]!]!;
    step[k] = xStrides[perm[k]!]!;
  }
  const lastLen = len[rank - 1]!;
  const lastStep = step[rank - 1]!;
  // coord[k] is the output index along axis k (the last axis is the inner loop); xOffset = Σ_k coord[k]·step[k]
  const coord = new Int32Array(rank);
  let xOffset = 0;
  let j = 0;
  while (j < y.length) {
    // one output row: y[…, 0 … lastLen−1] reads x with stride lastStep
    for (let c = 0; c < lastLen; c++) y[j++] = x[xOffset + c * lastStep]!;
    // odometer over the outer output axes: increment rank−2, carry into rank−3, ...
    for (let k = rank - 2; k >= 0; k--) {
      coord[k]!++;
      xOffset += step[k]!;
      if (coord[k]! < len[k]!) break;
      xOffset -= step[k]! * len[k]!;
      coord[k] = 0;
    }
  }
}
