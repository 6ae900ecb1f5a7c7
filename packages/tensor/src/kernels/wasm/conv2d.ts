import type { TypedArray } from '../../dtype';
import type { Conv2DInfo } from '../conv2dInfo';
import { chunkRows, isPointwise, makeConv2dKernels } from '../cpu/conv2d';
import { matMul } from './matMul';
import { heapF32, type KernelExports, layout, wasmKernel } from './runtime';

/**
 * Note [Running the wasm conv2d from JS]
 * The three conv2d kernels are the products of Note [im2col] (kernels/cpu/conv2d.ts), with the
 * columns matrix built inside the module (assembly/conv2d.ts) right next to the GEMM operands, so
 * the big matrix never exists in JS and is never copied. Each kernel lays its operands out from
 * operandBase() (each region starts on a 16-byte boundary), copies the inputs in once, and then,
 * for each chunk of at most chunkRows(info) output rows (the same memory bound as the JS version):
 *   conv2d:               im2col(x → cols);   y[r0 ..] = cols · Wm                  (sgemm)
 *   conv2dBackpropInput:  dcols = dY[r0 ..] · Wmᵀ (sgemm);   col2im(dcols → dx)      (dx copied in: +=)
 *   conv2dBackpropFilter: im2col(x → cols);   part = colsᵀ · dY[r0 ..] (sgemm);  dw += part in JS
 * and finally copies y or dx out. The chunks and the order of every sum are those of the JS
 * version, so both give the same float32 results. float64, the pointwise 1x1 case (no im2col) and
 * anything that does not fit in memory take the JS im2col around `matMul` (`jsConv`).
 */
const jsConv = makeConv2dKernels(matMul);

/** The loaded kernel, with the geometry set, when this conv runs in WebAssembly; else null. */
function convKernel(info: Conv2DInfo, ...arrays: TypedArray[]): KernelExports | null {
  const g = wasmKernel();
  const rows = info.batch * info.outHeight * info.outWidth;
  const empty = rows === 0 || info.inChannels === 0 || info.outChannels === 0;
  if (g === null || empty || isPointwise(info) || arrays.some((a) => !(a instanceof Float32Array))) return null;
  // biome-ignore format: Conv2DInfo's order
  g.convGeometry(
    info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth,
    info.dilationHeight, info.dilationWidth, info.padTop, info.padLeft,
  );
  return g;
}

/** Sizes shared by the three kernels: patch = KH·KW·C, rows = N·OH·OW, |x| = N·H·W·C. */
function convSizes(info: Conv2DInfo) {
  const patch = info.filterHeight * info.filterWidth * info.inChannels;
  const rows = info.batch * info.outHeight * info.outWidth;
  const xLen = info.batch * info.inHeight * info.inWidth * info.inChannels;
  return { F: info.outChannels, patch, rows, xLen, step: Math.min(rows, chunkRows(info)) };
}

/** Backend.conv2d: y = cols · Wm chunk by chunk, cols built in wasm memory. */
export function conv2d(x: TypedArray, w: TypedArray, y: TypedArray, info: Conv2DInfo): void {
  const g = convKernel(info, x, w, y);
  const { F, patch, rows, xLen, step } = convSizes(info);
  const at = g && layout(g, xLen, patch * F, step * patch, rows * F);
  if (g === null || at === null) {
    jsConv.conv2d(x, w, y, info);
    return;
  }
  const [xAt, wAt, colsAt, yAt] = at as [number, number, number, number];
  const heap = heapF32();
  heap.set(x.subarray(0, xLen), xAt);
  heap.set(w.subarray(0, patch * F), wAt);
  for (let r0 = 0; r0 < rows; r0 += step) {
    const count = Math.min(step, rows - r0);
    g.im2col(xAt * 4, colsAt * 4, r0, count);
    // rows r0 .. r0+count of y: y[r0·F ..]
    g.sgemm(colsAt * 4, wAt * 4, (yAt + r0 * F) * 4, count, F, patch, 0, 0);
  }
  y.set(heap.subarray(yAt, yAt + rows * F));
}

/** Backend.conv2dBackpropInput: dx += col2im(dY · Wmᵀ) chunk by chunk, dx accumulated in wasm memory. */
export function conv2dBackpropInput(dy: TypedArray, w: TypedArray, dx: TypedArray, info: Conv2DInfo): void {
  const g = convKernel(info, dy, w, dx);
  const { F, patch, rows, xLen, step } = convSizes(info);
  const at = g && layout(g, rows * F, patch * F, step * patch, xLen);
  if (g === null || at === null) {
    jsConv.conv2dBackpropInput(dy, w, dx, info);
    return;
  }
  const [dyAt, wAt, dcolsAt, dxAt] = at as [number, number, number, number];
  const heap = heapF32();
  heap.set(dy.subarray(0, rows * F), dyAt);
  heap.set(w.subarray(0, patch * F), wAt);
  heap.set(dx.subarray(0, xLen), dxAt);
  for (let r0 = 0; r0 < rows; r0 += step) {
    const count = Math.min(step, rows - r0);
    // dcols[i, k] = Σ_f dy[r0 + i, f] · Wm[k, f]   (Wm stored [patch, F], so transB)
    g.sgemm((dyAt + r0 * F) * 4, wAt * 4, dcolsAt * 4, count, patch, F, 0, 1);
    g.col2im(dcolsAt * 4, dxAt * 4, r0, count);
  }
  dx.set(heap.subarray(dxAt, dxAt + xLen));
}

/** Backend.conv2dBackpropFilter: dw += colsᵀ · dY, summed over the chunks, cols built in wasm memory. */
export function conv2dBackpropFilter(x: TypedArray, dy: TypedArray, dw: TypedArray, info: Conv2DInfo): void {
  const g = convKernel(info, x, dy, dw);
  const { F, patch, rows, xLen, step } = convSizes(info);
  const at = g && layout(g, xLen, rows * F, step * patch, patch * F);
  if (g === null || at === null) {
    jsConv.conv2dBackpropFilter(x, dy, dw, info);
    return;
  }
  const [xAt, dyAt, colsAt, partAt] = at as [number, number, number, number];
  const heap = heapF32();
  heap.set(x.subarray(0, xLen), xAt);
  heap.set(dy.subarray(0, rows * F), dyAt);
  for (let r0 = 0; r0 < rows; r0 += step) {
    const count = Math.min(step, rows - r0);
    g.im2col(xAt * 4, colsAt * 4, r0, count);
    // part[k, f] = Σ_i cols[i, k] · dy[r0 + i, f]   (cols stored [count, patch], so transA)
    g.sgemm(colsAt * 4, (dyAt + r0 * F) * 4, partAt * 4, patch, F, count, 1, 0);
    for (let i = 0; i < patch * F; i++) dw[i] = dw[i]! + heap[partAt + i]!;
  }
}
