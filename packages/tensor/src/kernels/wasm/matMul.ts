/**
 * Note [Running the wasm GEMM from JS]
 * A WebAssembly module can only read its own linear memory, one ArrayBuffer that JS can see into
 * but that cannot alias our Float32Arrays. So every call does:
 *   1. place A, B and C after the workspaces (layout() in ./runtime.ts), growing the memory in
 *      64 KiB pages if needed; the memory is kept and reused by later calls, it never shrinks:
 *        [statics][workspaces][A: (batch−1)·aStride + m·k][B: ...][C: batch·m·n]
 *   2. copy A and B in: O(m·k + k·n), small next to the 2·m·n·k flops of the product;
 *   3. run sgemm once per batch entry, with byte addresses (a stride-0 operand is copied once),
 *      split between the threads when there are several (Note [Splitting a GEMM between threads]);
 *   4. copy C out.
 * After memory.grow a private memory's old ArrayBuffer is detached, so the Float32Array view is
 * re-made then.
 *
 * Only float32 runs in WebAssembly. float64 inputs (gradcheck runs in float64) go to the 'cpu'
 * backend's JavaScript GEMM: a float64 SIMD kernel would do 2 lanes per vector instead of 4, and
 * float64 is used for checking, not training.
 */
import type { TypedArray } from '../../dtype';
import { matMul as cpuMatMul } from '../cpu/gemm';
import { heapF32, layout, wasmKernel } from './runtime';
import { parallelSgemm } from './threads';

/** Backend.matMul: float32 in WebAssembly, anything else on the JavaScript GEMM. */
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
  const g = wasmKernel();
  const f32 = a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array;
  if (g === null || !f32) {
    cpuMatMul(a, b, c, batch, m, n, k, transA, transB, aBatchStride, bBatchStride);
    return;
  }
  if (m === 0 || n === 0 || batch === 0) return;
  if (k === 0) {
    c.fill(0, 0, batch * m * n);
    return;
  }
  // element offsets in `heap` of the three operands (A and B include every batch entry they span)
  const aLen = (batch - 1) * aBatchStride + m * k;
  const bLen = (batch - 1) * bBatchStride + k * n;
  const cLen = batch * m * n;
  const at = layout(g, aLen, bLen, cLen);
  if (at === null) {
    // the operands do not fit in a 32-bit memory (4 GiB): the JavaScript GEMM has no such limit
    cpuMatMul(a, b, c, batch, m, n, k, transA, transB, aBatchStride, bBatchStride);
    return;
  }
  const [aAt, bAt, cAt] = at as [number, number, number];
  const heap = heapF32();
  heap.set(a.subarray(0, aLen), aAt);
  heap.set(b.subarray(0, bLen), bAt);
  const tA = transA ? 1 : 0;
  const tB = transB ? 1 : 0;
  // leading dimensions: the stored widths ([m, k] or [k, m]; [k, n] or [n, k])
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  for (let bi = 0; bi < batch; bi++) {
    // byte addresses = element offsets · 4
    const aPtr = (aAt + bi * aBatchStride) * 4;
    const bPtr = (bAt + bi * bBatchStride) * 4;
    const cPtr = (cAt + bi * m * n) * 4;
    parallelSgemm(g, aPtr, lda, bPtr, ldb, cPtr, n, m, n, k, tA, tB);
  }
  c.set(heap.subarray(cAt, cAt + cLen));
}
