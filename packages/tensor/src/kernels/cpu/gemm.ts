/**
 * Note [GEMM: packing, blocking and the micro-kernel]
 * A fast matrix product C = op(A)·op(B) ([m, k]·[k, n]) in plain TypeScript. The arithmetic is the
 * same as the triple loop in ../reference/matMul.ts; what changes is the ORDER in which the
 * 2·m·n·k flops touch memory. The triple loop reads a whole row of A and a whole column of B for
 * every single output, so for big matrices almost every read misses the cache. The classic fix
 * (Goto & van de Geijn, "Anatomy of high-performance matrix multiplication", 2008) has three parts.
 *
 * 1. Blocking. Cut the problem into blocks that fit the caches, and reuse each block many times
 *    while it is there:
 *
 *      for jc in [0, n) step NC:                 an [k, NC] slab of B...
 *        for pc in [0, k) step KC:               ...cut into a [KC, NC] block, packed into bPack
 *          for ic in [0, m) step MC:             an [MC, KC] block of A, packed into aPack
 *            for jr in [0, NC) step NR:          a [KC, NR] sliver of bPack (stays in L1)
 *              for ir in [0, MC) step MR:        a [MR, KC] sliver of aPack (streams from L2)
 *                C[ic+ir : +MR, jc+jr : +NR] += aSliver · bSliver      (the micro-kernel)
 *
 *    Sizes, for a core with 32 KiB L1 data cache and ≥ 512 KiB L2 (the packs hold float64):
 *      KC = 256: a B sliver is KC·NR·8 B = 8 KiB, so it and the A sliver (also 8 KiB) sit in L1
 *                while the micro-kernel sweeps them;
 *      MC = 64:  the A block is MC·KC·8 B = 128 KiB, comfortably inside L2, reused for every jr;
 *      NC = 1024: the B block is KC·NC·8 B = 2 MiB, in L3, reused for every ic.
 *
 * 2. Packing. Before a block is used, copy it into a contiguous scratch buffer in exactly the
 *    order the micro-kernel reads it: aPack holds MR-row slivers, each stored column by column
 *    (MR values for p = 0, then MR for p = 1, ...); bPack holds NR-column slivers stored row by
 *    row. The micro-kernel then reads both with unit stride. Packing is also where the four
 *    transpose variants are handled (op(A)[i][p] is a[i·k + p] or a[p·m + i]), so the hot loop has
 *    ONE code path. Slivers at the ragged edge (m or n not a multiple of MR or NR) are padded with
 *    zeros, so the micro-kernel always computes a full tile; only the store skips the padding.
 *    Packing costs O(m·k + k·n) per block against O(m·n·k) flops, so it is cheap.
 *
 * 3. The micro-kernel. The MR×NR = 4×4 tile of C lives in 16 local variables (ideally registers)
 *    for the whole KC loop: each step loads 4 values of A and 4 of B and does 16 multiply-adds, so
 *    every loaded number is used 4 times instead of once.
 *
 * Measured on a 2-core AMD EPYC under Node 20 (noisy: other processes shared the cores), 1024³
 * float32: about 4 GFLOP/s, ~8x the reference triple loop and ~5x TF.js's 'cpu' backend. Tiles
 * 4×4, 3×4, 2×4, 4×2, 8×4, 2×8, 4×8, the K loop unrolled twice, and block sizes KC ∈ {128, 256,
 * 512}, MC ∈ {32, 64, 256} all landed within the noise (3.5–4.5 GFLOP/s): V8 issues scalar
 * multiply-adds, so the micro-kernel's instruction stream, not memory, is the limit once the data
 * is packed. We keep the plain 4×4 tile because it is the easiest to read. (TF.js's wasm backend
 * reaches ~30 GFLOP/s with 128-bit SIMD; so does our 'wasm' backend, assembly/gemm.ts, which
 * runs this same algorithm with a 4×8 SIMD micro-kernel.)
 *
 * Two V8-specific choices:
 *   - The packs are Float64Array for both dtypes. Reading a Float32Array element widens it to a
 *     double anyway, and with one pack type the micro-kernel only ever sees Float64Array, so V8
 *     compiles it for that one element kind (monomorphic) instead of a slower polymorphic path.
 *     (Float32Array packs measured no faster for float32 input, and would lose float64 precision.)
 *     Accumulating in float64 also makes float32 results slightly more accurate than float32
 *     accumulation; C is rounded on store, once per K block.
 *   - Scratch buffers are module-level and grow on demand: no allocation per call or per block.
 */
import type { TypedArray } from '../../dtype';

/** Micro-tile: rows of op(A) and columns of op(B) per micro-kernel call. */
const MR = 4;
const NR = 4;
/** Cache blocks (see Note [GEMM: packing, blocking and the micro-kernel] for the sizes). */
const KC = 256;
const MC = 64;
const NC = 1024;

// Scratch, grown on demand and reused by every call (the kernels run on one thread).
let aPack = new Float64Array(MC * KC);
let bPack = new Float64Array(KC * NC);

/**
 * Batched C[b] = op(A[b]) · op(B[b]); see Backend.matMul for the layouts and strides.
 * C is overwritten (the caller's zero fill is not relied on).
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
  if (m === 0 || n === 0) return;
  if (k === 0) {
    c.fill(0, 0, batch * m * n);
    return;
  }
  const mcMax = Math.min(MC, roundUp(m, MR));
  const ncMax = Math.min(NC, roundUp(n, NR));
  const kcMax = Math.min(KC, k);
  if (aPack.length < mcMax * kcMax) aPack = new Float64Array(mcMax * kcMax);
  if (bPack.length < kcMax * ncMax) bPack = new Float64Array(kcMax * ncMax);
  for (let bi = 0; bi < batch; bi++) {
    gemm(a, bi * aBatchStride, b, bi * bBatchStride, c, bi * m * n, m, n, k, transA, transB);
  }
}

/** One matrix product, C[cOff..] = op(A[aOff..]) · op(B[bOff..]), with the loop nest of the Note. */
function gemm(
  a: TypedArray,
  aOff: number,
  b: TypedArray,
  bOff: number,
  c: TypedArray,
  cOff: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): void {
  const ap = aPack;
  const bp = bPack;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      // the first K block writes C, later ones add to it
      const accumulate = pc > 0;
      packB(b, bOff, bp, transB, k, n, pc, kc, jc, nc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(a, aOff, ap, transA, m, k, ic, mc, pc, kc);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = Math.min(MR, mc - ir);
            microKernel(kc, ap, ir * kc, bp, jr * kc, c, cOff + (ic + ir) * n + jc + jr, n, mr, nr, accumulate);
          }
        }
      }
    }
  }
}

/**
 * Copies op(A)[ic : ic+mc, pc : pc+kc] into `ap` as MR-row slivers: sliver s holds rows
 * ic + s·MR + r (r < MR) and stores op(A)[row][pc + p] at ap[s·MR·kc + p·MR + r]. Rows past m are 0.
 * op(A)[i][p] is a[aOff + i·k + p], or a[aOff + p·m + i] when A is stored transposed ([k, m]).
 */
function packA(
  a: TypedArray,
  aOff: number,
  ap: Float64Array,
  transA: boolean,
  m: number,
  k: number,
  ic: number,
  mc: number,
  pc: number,
  kc: number,
): void {
  // step between consecutive rows i and consecutive columns p of op(A) in `a`
  const rowStride = transA ? 1 : k;
  const colStride = transA ? m : 1;
  let dst = 0;
  for (let s = 0; s < mc; s += MR) {
    const rows = Math.min(MR, mc - s);
    const base = aOff + (ic + s) * rowStride + pc * colStride;
    for (let p = 0; p < kc; p++) {
      const src = base + p * colStride;
      for (let r = 0; r < rows; r++) ap[dst + r] = a[src + r * rowStride]!;
      for (let r = rows; r < MR; r++) ap[dst + r] = 0;
      dst += MR;
    }
  }
}

/**
 * Copies op(B)[pc : pc+kc, jc : jc+nc] into `bp` as NR-column slivers: sliver s holds columns
 * jc + s·NR + q (q < NR) and stores op(B)[pc + p][col] at bp[s·NR·kc + p·NR + q]. Columns past n are 0.
 * op(B)[p][j] is b[bOff + p·n + j], or b[bOff + j·k + p] when B is stored transposed ([n, k]).
 */
function packB(
  b: TypedArray,
  bOff: number,
  bp: Float64Array,
  transB: boolean,
  k: number,
  n: number,
  pc: number,
  kc: number,
  jc: number,
  nc: number,
): void {
  const rowStride = transB ? 1 : n;
  const colStride = transB ? k : 1;
  let dst = 0;
  for (let s = 0; s < nc; s += NR) {
    const cols = Math.min(NR, nc - s);
    const base = bOff + pc * rowStride + (jc + s) * colStride;
    for (let p = 0; p < kc; p++) {
      const src = base + p * rowStride;
      for (let q = 0; q < cols; q++) bp[dst + q] = b[src + q * colStride]!;
      for (let q = cols; q < NR; q++) bp[dst + q] = 0;
      dst += NR;
    }
  }
}

/**
 * The 4×4 tile C[i][j] (+)= Σ_p aSliver[p][i] · bSliver[p][j], i, j < 4, over p < kc.
 * aSliver starts at ap[aIdx] (4 values per p), bSliver at bp[bIdx] (4 per p). The tile's top-left
 * is c[cIdx], rows ldc apart; only the first mr×nr entries are real (the rest is packing padding).
 */
// biome-ignore format: the accumulators are laid out as the 4×4 tile they hold
function microKernel(
  kc: number,
  ap: Float64Array,
  aIdx: number,
  bp: Float64Array,
  bIdx: number,
  c: TypedArray,
  cIdx: number,
  ldc: number,
  mr: number,
  nr: number,
  accumulate: boolean,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ia = aIdx;
  let ib = bIdx;
  for (let p = 0; p < kc; p++) {
    // one column of the A sliver and one row of the B sliver: an outer product, 16 multiply-adds
    const a0 = ap[ia]!, a1 = ap[ia + 1]!, a2 = ap[ia + 2]!, a3 = ap[ia + 3]!;
    const b0 = bp[ib]!, b1 = bp[ib + 1]!, b2 = bp[ib + 2]!, b3 = bp[ib + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    ia += MR;
    ib += NR;
  }
  if (mr === MR && nr === NR) {
    const i0 = cIdx, i1 = cIdx + ldc, i2 = cIdx + 2 * ldc, i3 = cIdx + 3 * ldc;
    if (accumulate) {
      c[i0] = c[i0]! + c00; c[i0 + 1] = c[i0 + 1]! + c01; c[i0 + 2] = c[i0 + 2]! + c02; c[i0 + 3] = c[i0 + 3]! + c03;
      c[i1] = c[i1]! + c10; c[i1 + 1] = c[i1 + 1]! + c11; c[i1 + 2] = c[i1 + 2]! + c12; c[i1 + 3] = c[i1 + 3]! + c13;
      c[i2] = c[i2]! + c20; c[i2 + 1] = c[i2 + 1]! + c21; c[i2 + 2] = c[i2 + 2]! + c22; c[i2 + 3] = c[i2 + 3]! + c23;
      c[i3] = c[i3]! + c30; c[i3 + 1] = c[i3 + 1]! + c31; c[i3 + 2] = c[i3 + 2]! + c32; c[i3 + 3] = c[i3 + 3]! + c33;
    } else {
      c[i0] = c00; c[i0 + 1] = c01; c[i0 + 2] = c02; c[i0 + 3] = c03;
      c[i1] = c10; c[i1 + 1] = c11; c[i1 + 2] = c12; c[i1 + 3] = c13;
      c[i2] = c20; c[i2 + 1] = c21; c[i2 + 2] = c22; c[i2 + 3] = c23;
      c[i3] = c30; c[i3 + 1] = c31; c[i3 + 2] = c32; c[i3 + 3] = c33;
    }
    return;
  }
  // a ragged edge tile: store only the real mr×nr corner
  storeEdge(c, cIdx, ldc, mr, nr, accumulate, 0, c00, c01, c02, c03);
  storeEdge(c, cIdx, ldc, mr, nr, accumulate, 1, c10, c11, c12, c13);
  storeEdge(c, cIdx, ldc, mr, nr, accumulate, 2, c20, c21, c22, c23);
  storeEdge(c, cIdx, ldc, mr, nr, accumulate, 3, c30, c31, c32, c33);
}

/** Stores row `r` of an edge tile (values v0..v3), skipping rows ≥ mr and columns ≥ nr. */
function storeEdge(
  c: TypedArray,
  cIdx: number,
  ldc: number,
  mr: number,
  nr: number,
  accumulate: boolean,
  r: number,
  v0: number,
  v1: number,
  v2: number,
  v3: number,
): void {
  if (r >= mr) return;
  const i = cIdx + r * ldc;
  c[i] = accumulate ? c[i]! + v0 : v0;
  if (nr > 1) c[i + 1] = accumulate ? c[i + 1]! + v1 : v1;
  if (nr > 2) c[i + 2] = accumulate ? c[i + 2]! + v2 : v2;
  if (nr > 3) c[i + 3] = accumulate ? c[i + 3]! + v3 : v3;
}

function roundUp(x: number, multiple: number): number {
  return Math.ceil(x / multiple) * multiple;
}
