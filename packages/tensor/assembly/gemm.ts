/**
 * Note [WASM SGEMM: the same algorithm, four lanes at a time]
 * This is AssemblyScript (TypeScript syntax, WebAssembly types: i32, usize, f32, v128), compiled
 * by scripts/build-wasm.mjs into a WebAssembly module that src/kernels/wasm/ runs. It computes
 *   C = op(A) · op(B),   op(A) [m, k], op(B) [k, n], C [m, n], all float32, row-major,
 * with exactly the algorithm of ../src/kernels/cpu/gemm.ts: read Note [GEMM: packing, blocking
 * and the micro-kernel] there first. Blocking, packing and the loop nest are the same; what
 * changes is the micro-kernel, which now works on 128-bit SIMD vectors (v128 = 4 float32 lanes).
 *
 * The micro-kernel. The MR×NR = 4×8 tile of C lives in 8 vector accumulators: row r of the tile
 * is two vectors, columns 0..3 and 4..7. One step p of the K loop is an outer product:
 *
 *     b0 b1        = the 8 values of B's row p           (two v128 loads, unit stride)
 *     ar           = A[r][p] copied into all 4 lanes      (v128.load32_splat, one per row)
 *     c[r][0] += ar · b0,  c[r][1] += ar · b1             (f32x4.mul then f32x4.add)
 *
 * so 6 loads feed 8 multiplies and 8 adds = 64 flops. Baseline WebAssembly SIMD has no fused
 * multiply-add, so each product is rounded to float32 before it is added (the reference kernel
 * rounds the same way, in float64). Why 4×8 and not bigger: x86-64 has 16 vector registers. The
 * tile takes 8, B's row 2, the splat 1 and the product a temporary: 12. An 8×8 tile (16
 * accumulators) would spill to the stack on every step and run slower.
 *
 * Block sizes (float32 now, so half the bytes of the JS kernel's float64 packs):
 *   KC = 256: a B sliver is KC·NR·4 B = 8 KiB and an A sliver 4 KiB: both stay in L1 (32 KiB);
 *   MC = 128: the packed A block is MC·KC·4 B = 128 KiB, inside L2, reused for every B sliver;
 *   NC = 1024: the packed B block is KC·NC·4 B = 1 MiB, reused for every A block.
 *
 * Ragged edges: packing pads the last sliver with zeros, so the micro-kernel always computes a
 * full 4×8 tile. A full tile is stored straight into C; an edge tile is first written to a small
 * scratch tile and only its real mr×nr corner is copied to C.
 *
 * Memory layout (the ABI, see src/kernels/wasm/runtime.ts). Every thread that runs sgemm needs
 * its own packing buffers, so they are not statics: the caller passes a workspace `ws` of
 * workspaceBytes() bytes, laid out as
 *
 *     ws → [aPack MC·KC f32][bPack KC·NC f32][edge tile MR·NR f32]
 *
 * JS places one workspace per thread right after the module's static data (operandBase()), then
 * A, B and C after them, growing the memory as needed. Nothing is ever allocated from inside the
 * module, so it needs no allocator and no garbage collector (built with --runtime stub).
 *
 * Leading dimensions. A, B and C are addressed BLAS-style with a leading dimension: row i of a
 * stored matrix starts lda (ldb, ldc) floats after row i−1. For whole matrices that is just their
 * width, but it lets a thread work on a block of C (some rows, or some columns) in place, reading
 * the matching rows of op(A) or columns of op(B) from the full operands: see Note [Splitting a
 * GEMM between threads] in src/kernels/wasm/threads.ts.
 */

/** Micro-tile: rows of op(A) and columns of op(B) per micro-kernel call (NR = 2 vectors). */
const MR: i32 = 4;
const NR: i32 = 8;
/** Cache blocks, in elements (see the Note for the sizes). */
const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 1024;

// Offsets of the scratch regions inside a workspace (bytes; each a multiple of 64, one cache line).
const A_PACK: usize = 0;
const B_PACK: usize = A_PACK + <usize>(MC * KC * 4);
const EDGE_TILE: usize = B_PACK + <usize>(KC * NC * 4);
const WORKSPACE: usize = EDGE_TILE + <usize>(MR * NR * 4);

/** The first byte after the module's static data, 64-byte aligned: workspaces and operands go from here. */
export function operandBase(): usize {
  return (__heap_base + 63) & ~(<usize>63);
}

/** Bytes of one thread's sgemm workspace (packed A block, packed B block, edge tile). */
export function workspaceBytes(): usize {
  return WORKSPACE;
}

/**
 * C = op(A)·op(B) for one matrix. aPtr, bPtr and cPtr are byte addresses of row-major float32
 * arrays with leading dimensions lda, ldb, ldc (in floats): A is [m, k] (or [k, m] when transA),
 * B is [k, n] (or [n, k] when transB), C is [m, n]. C is overwritten. ws is this thread's
 * workspace (workspaceBytes() bytes, 64-byte aligned). The caller guarantees m, n, k ≥ 1 and that
 * the memory is large enough.
 */
export function sgemm(
  aPtr: usize,
  lda: i32,
  bPtr: usize,
  ldb: i32,
  cPtr: usize,
  ldc: i32,
  m: i32,
  n: i32,
  k: i32,
  transA: i32,
  transB: i32,
  ws: usize,
): void {
  const aPack = ws + A_PACK;
  const bPack = ws + B_PACK;
  const edge = ws + EDGE_TILE;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      // the first K block writes C, later ones add to it
      const accumulate = pc > 0;
      packB(bPtr, ldb, transB !== 0, pc, kc, jc, nc, bPack);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(aPtr, lda, transA !== 0, ic, mc, pc, kc, aPack);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bSliver = bPack + <usize>(jr * kc * 4);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const aSliver = aPack + <usize>(ir * kc * 4);
            // c[(ic + ir)·ldc + jc + jr]: the tile's top-left element
            const cTile = cPtr + ((<usize>(ic + ir) * <usize>ldc + <usize>(jc + jr)) << 2);
            if (mr === MR && nr === NR) {
              microKernel(kc, aSliver, bSliver, cTile, (<usize>ldc) << 2, accumulate);
            } else {
              microKernel(kc, aSliver, bSliver, edge, <usize>(NR * 4), false);
              storeEdge(edge, cTile, ldc, mr, nr, accumulate);
            }
          }
        }
      }
    }
  }
}

/**
 * Copies op(A)[ic : ic+mc, pc : pc+kc] into aPack as MR-row slivers: sliver s holds rows
 * ic + s·MR + r (r < MR) and stores op(A)[row][pc + p] at element s·MR·kc + p·MR + r. Rows past
 * mc are 0. op(A)[i][p] is a[i·lda + p], or a[p·lda + i] when A is stored transposed.
 */
function packA(aPtr: usize, lda: i32, transA: bool, ic: i32, mc: i32, pc: i32, kc: i32, aPack: usize): void {
  // byte steps between consecutive rows i and consecutive columns p of op(A)
  const rowStep: usize = transA ? 4 : (<usize>lda) << 2;
  const colStep: usize = transA ? (<usize>lda) << 2 : 4;
  let dst = aPack;
  for (let s = 0; s < mc; s += MR) {
    const rows = min(MR, mc - s);
    let src = aPtr + <usize>(ic + s) * rowStep + <usize>pc * colStep;
    if (rows === MR && transA) {
      // Aᵀ stored [k, m]: the 4 values of one packed column are contiguous, one vector copy
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        src += colStep;
        dst += 16;
      }
    } else if (rows === MR) {
      // A stored [m, k]: each packed column takes one value from each of the 4 rows. Four columns
      // at a time: load 4 consecutive values of each row (4 vectors, a 4×4 block) and transpose
      // the block in registers with shuffles, so 4 vector loads and stores replace 16 scalar ones.
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const r0 = v128.load(src);
        const r1 = v128.load(src + rowStep);
        const r2 = v128.load(src + 2 * rowStep);
        const r3 = v128.load(src + 3 * rowStep);
        // t0 = (r0[0], r1[0], r0[1], r1[1]), t1 = the same for rows 2, 3; t2, t3 for lanes 2, 3
        const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
        const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
        const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
        const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
        // column p + j = (r0[j], r1[j], r2[j], r3[j])
        v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
        v128.store(dst, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 16);
        v128.store(dst, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 32);
        v128.store(dst, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 48);
        src += 4 * colStep;
        dst += 64;
      }
      for (; p < kc; p++) {
        store<f32>(dst, load<f32>(src));
        store<f32>(dst, load<f32>(src + rowStep), 4);
        store<f32>(dst, load<f32>(src + 2 * rowStep), 8);
        store<f32>(dst, load<f32>(src + 3 * rowStep), 12);
        src += colStep;
        dst += 16;
      }
    } else {
      // the ragged last sliver: real rows, then zeros
      for (let p = 0; p < kc; p++) {
        v128.store(dst, f32x4.splat(0));
        for (let r = 0; r < rows; r++) store<f32>(dst + ((<usize>r) << 2), load<f32>(src + <usize>r * rowStep));
        src += colStep;
        dst += 16;
      }
    }
  }
}

/**
 * Copies op(B)[pc : pc+kc, jc : jc+nc] into bPack as NR-column slivers: sliver s holds columns
 * jc + s·NR + q (q < NR) and stores op(B)[pc + p][col] at element s·NR·kc + p·NR + q. Columns
 * past nc are 0. op(B)[p][j] is b[p·ldb + j], or b[j·ldb + p] when B is stored transposed.
 */
function packB(bPtr: usize, ldb: i32, transB: bool, pc: i32, kc: i32, jc: i32, nc: i32, bPack: usize): void {
  const rowStep: usize = transB ? 4 : (<usize>ldb) << 2;
  const colStep: usize = transB ? (<usize>ldb) << 2 : 4;
  let dst = bPack;
  for (let s = 0; s < nc; s += NR) {
    const cols = min(NR, nc - s);
    let src = bPtr + <usize>pc * rowStep + <usize>(jc + s) * colStep;
    if (cols === NR && !transB) {
      // B stored [k, n]: the 8 values of one packed row are contiguous, two vector copies
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += rowStep;
        dst += 32;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        v128.store(dst, f32x4.splat(0));
        v128.store(dst, f32x4.splat(0), 16);
        for (let q = 0; q < cols; q++) store<f32>(dst + ((<usize>q) << 2), load<f32>(src + <usize>q * colStep));
        src += rowStep;
        dst += 32;
      }
    }
  }
}

/**
 * The 4×8 tile C[r][j] (+)= Σ_p aSliver[p][r] · bSliver[p][j] over p < kc (see the Note).
 * a points at the A sliver (4 floats per p), b at the B sliver (8 floats per p), c at the tile's
 * top-left with rows ldc bytes apart. accumulate: add to C (later K blocks) or overwrite it.
 */
// biome-ignore format: the accumulators are laid out as the 4×8 tile they hold
function microKernel(kc: i32, a: usize, b: usize, c: usize, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let ar = v128.load32_splat(a);
    c00 = f32x4.add(c00, f32x4.mul(ar, b0)); c01 = f32x4.add(c01, f32x4.mul(ar, b1));
    ar = v128.load32_splat(a, 4);
    c10 = f32x4.add(c10, f32x4.mul(ar, b0)); c11 = f32x4.add(c11, f32x4.mul(ar, b1));
    ar = v128.load32_splat(a, 8);
    c20 = f32x4.add(c20, f32x4.mul(ar, b0)); c21 = f32x4.add(c21, f32x4.mul(ar, b1));
    ar = v128.load32_splat(a, 12);
    c30 = f32x4.add(c30, f32x4.mul(ar, b0)); c31 = f32x4.add(c31, f32x4.mul(ar, b1));
    a += 16;
    b += 32;
  }
  const c1 = c + ldc;
  const c2 = c1 + ldc;
  const c3 = c2 + ldc;
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c1)); c11 = f32x4.add(c11, v128.load(c1, 16));
    c20 = f32x4.add(c20, v128.load(c2)); c21 = f32x4.add(c21, v128.load(c2, 16));
    c30 = f32x4.add(c30, v128.load(c3)); c31 = f32x4.add(c31, v128.load(c3, 16));
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c1, c10); v128.store(c1, c11, 16);
  v128.store(c2, c20); v128.store(c2, c21, 16);
  v128.store(c3, c30); v128.store(c3, c31, 16);
}

/** Copies the real mr×nr corner of the edge tile (rows NR floats apart) into C (rows ldc floats apart). */
function storeEdge(edge: usize, c: usize, ldc: i32, mr: i32, nr: i32, accumulate: bool): void {
  for (let r = 0; r < mr; r++) {
    const src = edge + ((<usize>(r * NR)) << 2);
    const dst = c + ((<usize>r * <usize>ldc) << 2);
    for (let q = 0; q < nr; q++) {
      const at = (<usize>q) << 2;
      const v = load<f32>(src + at);
      store<f32>(dst + at, accumulate ? load<f32>(dst + at) + v : v);
    }
  }
}
