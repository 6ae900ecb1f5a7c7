/**
 * 2-D convolution as a matrix product (im2col + GEMM), the way most CPU frameworks run it.
 * Read ../reference/conv2d.ts first: this computes exactly the same sums, reordered.
 *
 * Note [im2col]
 * Write each output position (n, oh, ow) as one row r = (n·OH + oh)·OW + ow, and lay the input
 * cells its window reads side by side in that row, in kernel order (kh, kw, c):
 *   cols[r, (kh·KW + kw)·C + c] = x[n, oh·sh − padTop + kh·dh, ow·sw − padLeft + kw·dw, c]
 *                                 (0 where that cell is padding).
 * The HWIO kernel w[kh, kw, c, f] is already, in memory, a matrix Wm of shape [KH·KW·C, F] with
 * rows in the same (kh, kw, c) order, so the convolution becomes one plain matrix product
 *   y[r, f] = Σ_k cols[r, k] · Wm[k, f]        i.e.  Y[N·OH·OW, F] = cols · Wm,
 * and Y in row-major order *is* the NHWC output [N, OH, OW, F]: nothing is copied or transposed.
 * The gradients are the two other products of the same three matrices:
 *   dWm   = colsᵀ · dY        [KH·KW·C, F]   (backprop filter)
 *   dcols = dY · Wmᵀ          [N·OH·OW, KH·KW·C], then col2im: add each dcols entry back to the
 *                              input cell it was copied from (cells read by several windows
 *                              collect several contributions).
 * The price is memory: cols holds every input cell KH·KW/(sh·sw) times. We therefore process the
 * rows in chunks that keep cols under a fixed budget, and reuse one buffer across calls.
 *
 * A 1x1 kernel with stride 1 and no padding needs no im2col at all: cols would be x itself.
 *
 * Everything here except the matrix product is backend-independent, so the three kernels are
 * built by `makeConv2dKernels(matMul)` around whichever GEMM is passed in: the 'cpu' backend
 * passes the JavaScript one (./gemm.ts), the 'wasm' backend its WebAssembly SIMD one.
 */
import type { TypedArray } from '../../dtype';
import type { Backend } from '../backend';
import type { Conv2DInfo } from '../conv2dInfo';
import { matMul as cpuMatMul } from './gemm';

/** Largest cols chunk, in elements: 1M elements = 8 MB in float64, 4 MB in float32. */
const COLS_BUDGET = 1 << 20;

// Scratch buffers reused across calls (one per dtype, grown on demand). JS is single-threaded
// and no kernel here calls another while holding one, so sharing is safe.
let scratch32 = new Float32Array(0);
let scratch64 = new Float64Array(0);
let dscratch32 = new Float32Array(0);
let dscratch64 = new Float64Array(0);

/** A zero-filled view of `size` elements with the dtype of `like`, from the reusable buffer. */
function scratch(like: TypedArray, size: number, second = false): TypedArray {
  if (like instanceof Float64Array) {
    if (second) {
      if (dscratch64.length < size) dscratch64 = new Float64Array(size);
      return dscratch64.subarray(0, size).fill(0);
    }
    if (scratch64.length < size) scratch64 = new Float64Array(size);
    return scratch64.subarray(0, size).fill(0);
  }
  if (second) {
    if (dscratch32.length < size) dscratch32 = new Float32Array(size);
    return dscratch32.subarray(0, size).fill(0);
  }
  if (scratch32.length < size) scratch32 = new Float32Array(size);
  return scratch32.subarray(0, size).fill(0);
}

/** True when cols would equal x: 1x1 kernel, stride 1, no padding (dilation is then irrelevant). */
export function isPointwise(info: Conv2DInfo): boolean {
  return (
    info.filterHeight === 1 &&
    info.filterWidth === 1 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.padTop === 0 &&
    info.padLeft === 0 &&
    info.padBottom === 0 &&
    info.padRight === 0
  );
}

/** Rows per chunk so that a chunk of cols (rows × KH·KW·C) stays within COLS_BUDGET. */
export function chunkRows(info: Conv2DInfo): number {
  const patch = info.filterHeight * info.filterWidth * info.inChannels;
  return Math.max(1, Math.floor(COLS_BUDGET / patch));
}

/**
 * Fills cols[0 .. count) with rows r0 .. r0+count of the patch matrix (Note [im2col]).
 * cols must be zero-filled: padded cells are simply skipped.
 */
function im2col(x: TypedArray, info: Conv2DInfo, r0: number, count: number, cols: TypedArray): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = info;
  const patch = KH * KW * C;
  for (let i = 0; i < count; i++) {
    const r = r0 + i;
    const ow = r % OW;
    const oh = Math.floor(r / OW) % OH;
    const n = Math.floor(r / (OW * OH));
    for (let kh = 0; kh < KH; kh++) {
      const ih = oh * sh - padTop + kh * dh;
      if (ih < 0 || ih >= H) continue;
      for (let kw = 0; kw < KW; kw++) {
        const iw = ow * sw - padLeft + kw * dw;
        if (iw < 0 || iw >= W) continue;
        // cols[i, (kh·KW + kw)·C + c] = x[((n·H + ih)·W + iw)·C + c]: C contiguous values
        const src = ((n * H + ih) * W + iw) * C;
        const dst = i * patch + (kh * KW + kw) * C;
        for (let c = 0; c < C; c++) cols[dst + c] = x[src + c]!;
      }
    }
  }
}

/** The adjoint of im2col: dx[n, ih, iw, c] += dcols[i, (kh·KW + kw)·C + c] for every copy made. */
function col2im(dcols: TypedArray, info: Conv2DInfo, r0: number, count: number, dx: TypedArray): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = info;
  const patch = KH * KW * C;
  for (let i = 0; i < count; i++) {
    const r = r0 + i;
    const ow = r % OW;
    const oh = Math.floor(r / OW) % OH;
    const n = Math.floor(r / (OW * OH));
    for (let kh = 0; kh < KH; kh++) {
      const ih = oh * sh - padTop + kh * dh;
      if (ih < 0 || ih >= H) continue; // padding: its gradient is dropped
      for (let kw = 0; kw < KW; kw++) {
        const iw = ow * sw - padLeft + kw * dw;
        if (iw < 0 || iw >= W) continue;
        const dst = ((n * H + ih) * W + iw) * C;
        const src = i * patch + (kh * KW + kw) * C;
        for (let c = 0; c < C; c++) dx[dst + c] = dx[dst + c]! + dcols[src + c]!;
      }
    }
  }
}

/** The three conv2d kernels of a backend, lowered to im2col plus the given matrix product. */
export type Conv2dKernels = Pick<Backend, 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter'>;

/** Builds conv2d and its two backprops around `matMul` (which has Backend.matMul's contract). */
export function makeConv2dKernels(matMul: Backend['matMul']): Conv2dKernels {
  /** y = cols · Wm, chunk by chunk (Note [im2col]). y is zero-filled by the caller. */
  function conv2d(x: TypedArray, w: TypedArray, y: TypedArray, info: Conv2DInfo): void {
    const F = info.outChannels;
    const patch = info.filterHeight * info.filterWidth * info.inChannels;
    const rows = info.batch * info.outHeight * info.outWidth;
    if (isPointwise(info)) {
      // x viewed as [N·H·W, C] is already cols; y[r, f] = Σ_c x[r, c] · w[c, f]
      matMul(x, w, y, 1, rows, F, patch, false, false, 0, 0);
      return;
    }
    const step = chunkRows(info);
    for (let r0 = 0; r0 < rows; r0 += step) {
      const count = Math.min(step, rows - r0);
      const cols = scratch(x, count * patch);
      im2col(x, info, r0, count, cols);
      // rows r0 .. r0+count of y are contiguous: y[r0·F ..]
      matMul(cols, w, y.subarray(r0 * F, (r0 + count) * F), 1, count, F, patch, false, false, 0, 0);
    }
  }

  /** dx += col2im(dY · Wmᵀ), chunk by chunk. */
  function conv2dBackpropInput(dy: TypedArray, w: TypedArray, dx: TypedArray, info: Conv2DInfo): void {
    const F = info.outChannels;
    const patch = info.filterHeight * info.filterWidth * info.inChannels;
    const rows = info.batch * info.outHeight * info.outWidth;
    const pointwise = isPointwise(info);
    const step = pointwise ? rows : chunkRows(info);
    for (let r0 = 0; r0 < rows; r0 += step) {
      const count = Math.min(step, rows - r0);
      // dcols[i, k] = Σ_f dy[r0 + i, f] · Wm[k, f]   (Wm stored [patch, F], so transB)
      const dcols = scratch(dy, count * patch);
      matMul(dy.subarray(r0 * F, (r0 + count) * F), w, dcols, 1, count, patch, F, false, true, 0, 0);
      if (pointwise) {
        // cols was x itself, so col2im is a plain add
        for (let i = 0; i < dcols.length; i++) dx[i] = dx[i]! + dcols[i]!;
      } else {
        col2im(dcols, info, r0, count, dx);
      }
    }
  }

  /** dw += colsᵀ · dY, summed over the chunks. */
  function conv2dBackpropFilter(x: TypedArray, dy: TypedArray, dw: TypedArray, info: Conv2DInfo): void {
    const F = info.outChannels;
    const patch = info.filterHeight * info.filterWidth * info.inChannels;
    const rows = info.batch * info.outHeight * info.outWidth;
    const pointwise = isPointwise(info);
    const step = pointwise ? rows : chunkRows(info);
    for (let r0 = 0; r0 < rows; r0 += step) {
      const count = Math.min(step, rows - r0);
      let cols: TypedArray;
      if (pointwise) {
        cols = x.subarray(r0 * patch, (r0 + count) * patch);
      } else {
        cols = scratch(x, count * patch);
        im2col(x, info, r0, count, cols);
      }
      // part[k, f] = Σ_i cols[i, k] · dy[r0 + i, f]   (cols stored [count, patch], so transA)
      const part = scratch(dy, patch * F, true);
      matMul(cols, dy.subarray(r0 * F, (r0 + count) * F), part, 1, patch, F, count, true, false, 0, 0);
      for (let i = 0; i < part.length; i++) dw[i] = dw[i]! + part[i]!;
    }
  }

  return { conv2d, conv2dBackpropInput, conv2dBackpropFilter };
}

/** The 'cpu' backend's kernels: im2col + the JavaScript GEMM. */
export const { conv2d, conv2dBackpropInput, conv2dBackpropFilter } = makeConv2dKernels(cpuMatMul);
