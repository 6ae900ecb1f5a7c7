import type { TypedArray } from '../../dtype';
import type { Conv2DInfo } from '../conv2dInfo';
import * as js from '../cpu/pool2d';
import { GEOMETRY, heapF32, type KernelExports, layout, wasmKernel, writeGeometry } from './runtime';
import { getNumThreads, runParallel } from './threads';

/**
 * Note [Running the wasm pools from JS]
 * The four pooling kernels run in WebAssembly (assembly/pool2d.ts, Note [WASM pooling: four
 * channels at a time]). Each call lays out, from the operand area of the module's memory:
 *   geometry   15 int32 (writeGeometry in ./runtime.ts; the pools read the first 14);
 *   the operands, each on a 16-byte boundary;
 * copies the inputs in, calls the export with byte addresses (element offset · 4), and copies the
 * output out. The geometry travels in memory rather than in module globals, so nothing about one
 * call is left in an instance. What goes in and out, with x |N·H·W·C| and y |N·OH·OW·C| floats:
 *   maxPool2d          x in                      y out
 *   maxPool2dBackward  dy, x, dx in (x: argmax)  dx out   (dx copied in: the kernel adds to it)
 *   avgPool2d          x in                      y out
 *   avgPool2dBackward  dy, dx in                 dx out
 * float64 (or any non-float32 array), empty shapes, and memory that cannot grow that far take the
 * JavaScript kernels of ../cpu/pool2d.ts, which compute the same thing.
 * On several threads, a pool over at least MIN_PARALLEL_POOL_FLOATS input floats is split by
 * image: thread t gets images [⌊t·N/T⌋, ⌊(t+1)·N/T⌋), with its own geometry block (batch = its
 * count) and its operands' addresses moved to its first image. Windows never cross images, so each
 * output cell (and each dx cell) is still computed by one thread, in the same order: same bits.
 */

/**
 * Input floats from which a pool is split between the threads. A pool moves a few bytes per float
 * (~0.5 ns), and waking a worker costs ~50 µs: LeNet's first pool at batch 64 (301,056 floats,
 * ~0.2 ms each way) is worth splitting, its second (102,400) is not.
 */
export const MIN_PARALLEL_POOL_FLOATS = 1 << 18;

/** How many threads a pool runs on: one below the threshold, else up to one per image. */
function poolThreads(info: Conv2DInfo): number {
  const { xLen } = sizes(info);
  return xLen < MIN_PARALLEL_POOL_FLOATS ? 1 : Math.min(getNumThreads(), info.batch);
}

/**
 * Writes one geometry per part at geomAt (GEOMETRY floats apart), part t covering its images, and
 * returns, per part, its geometry's byte address and its first image.
 */
function splitByImage(geomAt: number, info: Conv2DInfo, parts: number): { geom: number; n0: number }[] {
  const out: { geom: number; n0: number }[] = [];
  for (let t = 0; t < parts; t++) {
    const n0 = Math.floor((t * info.batch) / parts);
    const n1 = Math.floor(((t + 1) * info.batch) / parts);
    out.push({ geom: writeGeometry(geomAt + t * GEOMETRY, { ...info, batch: n1 - n0 }), n0 });
  }
  return out;
}
/** The loaded kernel when this pool runs in WebAssembly (all arrays float32, nothing empty); else null. */
function poolKernel(info: Conv2DInfo, ...arrays: TypedArray[]): KernelExports | null {
  const g = wasmKernel();
  const { xLen, yLen } = sizes(info);
  if (g === null || xLen === 0 || yLen === 0 || arrays.some((a) => !(a instanceof Float32Array))) return null;
  return g;
}

/** |x| = N·H·W·C and |y| = N·OH·OW·C, in floats. */
function sizes(info: Conv2DInfo) {
  const { batch, inHeight, inWidth, inChannels: C, outHeight, outWidth } = info;
  return { xLen: batch * inHeight * inWidth * C, yLen: batch * outHeight * outWidth * C };
}

/** Backend.maxPool2d: y = the max of each window's real cells, per channel. */
export function maxPool2d(x: TypedArray, y: TypedArray, info: Conv2DInfo): void {
  const g = poolKernel(info, x, y);
  const { xLen, yLen } = sizes(info);
  const parts = poolThreads(info);
  const at = g && layout(g, parts * GEOMETRY, xLen, yLen);
  if (g === null || at === null) {
    js.maxPool2d(x, y, info);
    return;
  }
  const [geomAt, xAt, yAt] = at as [number, number, number];
  const split = splitByImage(geomAt, info, parts);
  const heap = heapF32();
  heap.set(x.subarray(0, xLen), xAt);
  const [xImage, yImage] = [xLen / info.batch, yLen / info.batch];
  runParallel(g, 'maxPool2d', parts, (t) => {
    const { geom, n0 } = split[t]!;
    return [(xAt + n0 * xImage) * 4, (yAt + n0 * yImage) * 4, geom];
  });
  y.set(heap.subarray(yAt, yAt + yLen));
}

/** Backend.maxPool2dBackward: dx += dy at the first maximal cell of each window (argmax recomputed from x). */
export function maxPool2dBackward(dy: TypedArray, x: TypedArray, dx: TypedArray, info: Conv2DInfo): void {
  const g = poolKernel(info, dy, x, dx);
  const { xLen, yLen } = sizes(info);
  const parts = poolThreads(info);
  const at = g && layout(g, parts * GEOMETRY, yLen, xLen, xLen);
  if (g === null || at === null) {
    js.maxPool2dBackward(dy, x, dx, info);
    return;
  }
  const [geomAt, dyAt, xAt, dxAt] = at as [number, number, number, number];
  const split = splitByImage(geomAt, info, parts);
  const heap = heapF32();
  heap.set(dy.subarray(0, yLen), dyAt);
  heap.set(x.subarray(0, xLen), xAt);
  heap.set(dx.subarray(0, xLen), dxAt);
  const [xImage, yImage] = [xLen / info.batch, yLen / info.batch];
  runParallel(g, 'maxPool2dBackward', parts, (t) => {
    const { geom, n0 } = split[t]!;
    return [(dyAt + n0 * yImage) * 4, (xAt + n0 * xImage) * 4, (dxAt + n0 * xImage) * 4, geom];
  });
  dx.set(heap.subarray(dxAt, dxAt + xLen));
}

/** Backend.avgPool2d: y = the mean of each window's real cells, per channel. */
export function avgPool2d(x: TypedArray, y: TypedArray, info: Conv2DInfo): void {
  const g = poolKernel(info, x, y);
  const { xLen, yLen } = sizes(info);
  const at = g && layout(g, GEOMETRY, xLen, yLen);
  if (g === null || at === null) {
    js.avgPool2d(x, y, info);
    return;
  }
  const [geomAt, xAt, yAt] = at as [number, number, number];
  const geom = writeGeometry(geomAt, info);
  const heap = heapF32();
  heap.set(x.subarray(0, xLen), xAt);
  g.avgPool2d(xAt * 4, yAt * 4, geom);
  y.set(heap.subarray(yAt, yAt + yLen));
}

/** Backend.avgPool2dBackward: dx += dy / count on each real cell of each window. */
export function avgPool2dBackward(dy: TypedArray, dx: TypedArray, info: Conv2DInfo): void {
  const g = poolKernel(info, dy, dx);
  const { xLen, yLen } = sizes(info);
  const at = g && layout(g, GEOMETRY, yLen, xLen);
  if (g === null || at === null) {
    js.avgPool2dBackward(dy, dx, info);
    return;
  }
  const [geomAt, dyAt, dxAt] = at as [number, number, number];
  const geom = writeGeometry(geomAt, info);
  const heap = heapF32();
  heap.set(dy.subarray(0, yLen), dyAt);
  heap.set(dx.subarray(0, xLen), dxAt);
  g.avgPool2dBackward(dyAt * 4, dxAt * 4, geom);
  dx.set(heap.subarray(dxAt, dxAt + xLen));
}
