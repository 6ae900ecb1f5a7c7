import type { TypedArray } from '../../dtype';

/**
 * Batched matrix product straight from the definition, the oracle for the fast GEMM:
 *   C[b][i][j] = Σ_p op(A[b])[i][p] · op(B[b])[p][j]
 * Stored layouts (row-major): A[b] is [m, k] (or [k, m] if transA), B[b] is [k, n] (or [n, k] if
 * transB), C[b] is [m, n]. So op(A)[i][p] sits at a[aOff + i·k + p], or a[aOff + p·m + i] if
 * transposed, and likewise for B. The sum runs in a JS number (float64) and is stored once.
 */
export function matMul(
  a: TypedArray,
  b: TypedArray,
  c: TypedArray,
  batch: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  aBatchStride: number,
  bBatchStride: number,
): void {
  for (let bi = 0; bi < batch; bi++) {
    const aOff = bi * aBatchStride;
    const bOff = bi * bBatchStride;
    const cOff = bi * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) {
          const aip = transA ? a[aOff + p * m + i]! : a[aOff + i * k + p]!;
          const bpj = transB ? b[bOff + j * k + p]! : b[bOff + p * n + j]!;
          sum += aip * bpj;
        }
        c[cOff + i * n + j] = sum;
      }
    }
  }
}
