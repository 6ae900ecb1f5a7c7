import type { TypedArray } from '../../dtype';
import type { FusedActivation } from '../backend';
import type { Conv2DInfo } from '../conv2dInfo';
import { isPointwise, makeConv2dKernels } from '../cpu/conv2d';
import { biasActivation, tilePeriod } from './activation';
import { directApplies, directConvForward } from './directConv';
import { matMul } from './matMul';
import { GEOMETRY, heapF32, type KernelExports, layout, wasmKernel, workspace, writeGeometry } from './runtime';
import { getNumThreads, MIN_PARALLEL_FLOPS, runParallel } from './threads';

/**
 * Note [Running the wasm conv2d from JS]
 * The three conv2d kernels are the products of Note [im2col] (kernels/cpu/conv2d.ts), with the
 * columns matrix built inside the module (assembly/conv2d.ts) right next to the GEMM operands, so
 * the big matrix never exists in JS and is never copied. Each kernel lays out, after the
 * workspaces (layout() in ./runtime.ts; each region on a 16-byte boundary), the geometry (15
 * int32 and a work counter), its operands, and one cols buffer per thread; copies the inputs in
 * once; runs the convolution tasks of Note [Convolution tasks] on the threads; and copies y or dx
 * out. The work is cut into units that the threads take one at a time from the shared counter
 * (nextUnit in assembly/conv2d.ts), so a thread that starts late simply takes fewer:
 *   conv2d:               a unit is a chunk of rows: im2col(x → cols), y[rows] = cols · Wm
 *   conv2dBackpropInput:  a unit is whole images (col2im of two images never touches the same dx
 *                         cell, so the threads never add to the same float); per chunk of rows
 *                         dcols = dY[rows] · Wmᵀ, col2im(dcols → dx)              (dx copied in: +=)
 *   conv2dBackpropFilter: a unit is a chunk c: part[c] = colsᵀ · dY[c]; then
 *                         dw += part[0], += part[1], … in chunk order, here in JS.
 * A chunk is at most CHUNK_FLOATS / (KH·KW·C) rows, so a thread's cols (256 KB) stays in its
 * core's L2 cache between im2col writing it and sgemm packing it.
 * Same results for any thread count: every y and dx element is computed by one thread in the
 * same order, and the filter gradient is summed in chunk order whoever computed each part.
 * float64, the pointwise 1x1 case (no im2col) and anything that does not fit in memory take the
 * JS im2col around `matMul` (`jsConv`).
 */
const jsConv = makeConv2dKernels(matMul);

/** Floats in one thread's cols chunk: 64 Ki floats = 256 KB, inside a core's L2. */
const CHUNK_FLOATS = 1 << 16;

/** With fewer input channels than this, conv2d forward and its filter gradient build colsᵀ instead of cols. */
export const TRANSPOSED_BELOW_CHANNELS = 4;

/** Rows of the patch matrix per chunk (at least 1). */
export function wasmChunkRows(info: Conv2DInfo): number {
  const patch = info.filterHeight * info.filterWidth * info.inChannels;
  return Math.max(1, Math.floor(CHUNK_FLOATS / patch));
}

/** The loaded kernel when this conv runs in WebAssembly; else null (see the Note). */
export function convKernel(info: Conv2DInfo, ...arrays: TypedArray[]): KernelExports | null {
  const g = wasmKernel();
  const rows = info.batch * info.outHeight * info.outWidth;
  const empty = rows === 0 || info.inChannels === 0 || info.outChannels === 0;
  if (g === null || empty || isPointwise(info) || arrays.some((a) => !(a instanceof Float32Array))) return null;
  return g;
}

/** Sizes shared by the three kernels: patch = KH·KW·C, rows = N·OH·OW, |x| = N·H·W·C. */
export function convSizes(info: Conv2DInfo) {
  const patch = info.filterHeight * info.filterWidth * info.inChannels;
  const rows = info.batch * info.outHeight * info.outWidth;
  const xLen = info.batch * info.inHeight * info.inWidth * info.inChannels;
  const step = Math.min(rows, wasmChunkRows(info));
  // one thread for products too small to be worth waking a worker
  const small = 2 * rows * patch * info.outChannels < MIN_PARALLEL_FLOPS;
  return { F: info.outChannels, patch, rows, xLen, step, threads: small ? 1 : getNumThreads() };
}

/**
 * Byte address of the task's work counter (assembly/conv2d.ts's nextUnit): the int32 right after
 * the geometry, which writeGeometry sets to 0.
 */
export function workCounter(geom: number): number {
  return geom + 60;
}

/** Backend.conv2d: y = cols · Wm, rows split between the threads. */
export function conv2d(x: TypedArray, w: TypedArray, y: TypedArray, info: Conv2DInfo): void {
  fusedConv2d(x, w, y, info, null, 'linear');
}

/**
 * Backend.fusedConv2d: conv2d, then y = act(y + bias) while y is still in wasm memory (one pass
 * of assembly/activation.ts's kernels), so y is copied out once instead of out, in and out again.
 */
export function fusedConv2d(
  x: TypedArray,
  w: TypedArray,
  y: TypedArray,
  info: Conv2DInfo,
  bias: TypedArray | null,
  activation: FusedActivation,
): void {
  const g = convKernel(info, x, w, y, ...(bias === null ? [] : [bias]));
  const F = info.outChannels;
  const rows = info.batch * info.outHeight * info.outWidth;
  // the bias repeated to the activation kernel's tile (see ./activation.ts)
  const period = bias === null ? 0 : tilePeriod(F);
  let at: [number, number] | null = null;
  if (g !== null) {
    // few input channels, stride 1: no patch matrix at all (Note [Direct convolution for few
    // input channels] in assembly/directConv.ts); else im2col + GEMM
    at = directApplies(info)
      ? directConvForward(g, x, w, info, convSizes(info).threads, period)
      : im2colConvForward(g, x, w, info, period);
  }
  if (g === null || at === null) {
    jsConv.conv2d(x, w, y, info);
    if (bias !== null || activation !== 'linear') biasActivation(y, bias, F, activation);
    return;
  }
  const [yAt, tileAt] = at;
  const heap = heapF32();
  if (bias !== null) {
    for (let k = 0; k < period; k += F) heap.set(bias.subarray(0, F), tileAt + k);
    g.biasActivation(yAt * 4, tileAt * 4, rows * F, period, activation === 'relu' ? 1 : 0);
  } else if (activation === 'relu') {
    g.relu(yAt * 4, yAt * 4, rows * F);
  }
  y.set(heap.subarray(yAt, yAt + rows * F));
}

/**
 * y = im2col(x) · Wm in wasm memory, rows split between the threads; returns the element offsets
 * of y and of `extra` floats reserved after the operands (the bias tile), or null when the memory
 * cannot grow.
 */
function im2colConvForward(
  g: KernelExports,
  x: TypedArray,
  w: TypedArray,
  info: Conv2DInfo,
  extra: number,
): [yAt: number, extraAt: number] | null {
  const { F, patch, rows, xLen, step, threads } = convSizes(info);
  const parts = Math.min(threads, Math.ceil(rows / step));
  // few input channels: the transposed product (Note [Few input channels: the transposed patch
  // matrix] in assembly/conv2d.ts), whose per-thread buffer also holds yᵀ [F, step]
  const transposed = info.inChannels < TRANSPOSED_BELOW_CHANNELS;
  const perThread = step * patch + (transposed ? step * F : 0);
  const at = layout(g, GEOMETRY, xLen, patch * F, rows * F, parts * perThread, extra);
  if (at === null) return null;
  const [geomAt, xAt, wAt, yAt, colsAt, extraAt] = at as [number, number, number, number, number, number];
  const geom = writeGeometry(geomAt, info);
  const heap = heapF32();
  heap.set(x.subarray(0, xLen), xAt);
  heap.set(w.subarray(0, patch * F), wAt);
  // biome-ignore format: convForward's arguments
  runParallel(g, 'convForward', parts, (t) => [
    geom, xAt * 4, wAt * 4, yAt * 4, (colsAt + t * perThread) * 4, workCounter(geom), step, workspace(g, t),
    transposed ? 1 : 0,
  ]);
  return [yAt, extraAt];
}

/** Backend.conv2dBackpropInput: dx += col2im(dY · Wmᵀ), images split between the threads. */
export function conv2dBackpropInput(dy: TypedArray, w: TypedArray, dx: TypedArray, info: Conv2DInfo): void {
  const g = convKernel(info, dy, w, dx);
  const { F, patch, rows, xLen, step, threads } = convSizes(info);
  // a unit of work is as many whole images as fit in a chunk (at least one)
  const rowsPerImage = info.outHeight * info.outWidth;
  const imagesPerUnit = Math.max(1, Math.floor(step / rowsPerImage));
  const parts = Math.min(threads, Math.ceil(info.batch / imagesPerUnit));
  const at = g && layout(g, GEOMETRY, rows * F, patch * F, xLen, parts * step * patch);
  if (g === null || at === null) {
    jsConv.conv2dBackpropInput(dy, w, dx, info);
    return;
  }
  const [geomAt, dyAt, wAt, dxAt, dcolsAt] = at as [number, number, number, number, number];
  const geom = writeGeometry(geomAt, info);
  const heap = heapF32();
  heap.set(dy.subarray(0, rows * F), dyAt);
  heap.set(w.subarray(0, patch * F), wAt);
  heap.set(dx.subarray(0, xLen), dxAt);
  // biome-ignore format: convBackpropInput's arguments
  runParallel(g, 'convBackpropInput', parts, (t) => [
    geom, dyAt * 4, wAt * 4, dxAt * 4, (dcolsAt + t * step * patch) * 4,
    workCounter(geom), imagesPerUnit * rowsPerImage, step, workspace(g, t),
  ]);
  dx.set(heap.subarray(dxAt, dxAt + xLen));
}

/** Backend.conv2dBackpropFilter: dw += Σ_chunks colsᵀ · dY, chunks split between the threads. */
export function conv2dBackpropFilter(x: TypedArray, dy: TypedArray, dw: TypedArray, info: Conv2DInfo): void {
  const g = convKernel(info, x, dy, dw);
  const { F, patch, rows, xLen, step, threads } = convSizes(info);
  const chunks = Math.ceil(rows / step);
  const parts = Math.min(threads, chunks);
  const at = g && layout(g, GEOMETRY, xLen, rows * F, chunks * patch * F, parts * step * patch);
  if (g === null || at === null) {
    jsConv.conv2dBackpropFilter(x, dy, dw, info);
    return;
  }
  const [geomAt, xAt, dyAt, partsAt, colsAt] = at as [number, number, number, number, number];
  const geom = writeGeometry(geomAt, info);
  const heap = heapF32();
  heap.set(x.subarray(0, xLen), xAt);
  heap.set(dy.subarray(0, rows * F), dyAt);
  // biome-ignore format: convBackpropFilter's arguments
  runParallel(g, 'convBackpropFilter', parts, (t) => [
    geom, xAt * 4, dyAt * 4, partsAt * 4, (colsAt + t * step * patch) * 4,
    workCounter(geom), step, workspace(g, t), info.inChannels < TRANSPOSED_BELOW_CHANNELS ? 1 : 0,
  ]);
  // dw += part[c] in chunk order, so the sum does not depend on which thread computed what
  const size = patch * F;
  for (let c = 0; c < chunks; c++) {
    const part = partsAt + c * size;
    for (let i = 0; i < size; i++) dw[i] = dw[i]! + heap[part + i]!;
  }
}
