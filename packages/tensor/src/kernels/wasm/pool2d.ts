import type { TypedArray } from '../../dtype';
import type { Conv2DInfo } from '../conv2dInfo';
import * as js from '../cpu/pool2d';
import { GEOMETRY, heapF32, type KernelExports, layout, wasmKernel, writeGeometry } from './runtime';

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
 */
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
  const at = g && layout(g, GEOMETRY, xLen, yLen);
  if (g === null || at === null) {
    js.maxPool2d(x, y, info);
    return;
  }
  const [geomAt, xAt, yAt] = at as [number, number, number];
  const geom = writeGeometry(geomAt, info);
  const heap = heapF32();
  heap.set(x.subarray(0, xLen), xAt);
  g.maxPool2d(xAt * 4, yAt * 4, geom);
  y.set(heap.subarray(yAt, yAt + yLen));
}

/** Backend.maxPool2dBackward: dx += dy at the first maximal cell of each window (argmax recomputed from x). */
export function maxPool2dBackward(dy: TypedArray, x: TypedArray, dx: TypedArray, info: Conv2DInfo): void {
  const g = poolKernel(info, dy, x, dx);
  const { xLen, yLen } = sizes(info);
  const at = g && layout(g, GEOMETRY, yLen, xLen, xLen);
  if (g === null || at === null) {
    js.maxPool2dBackward(dy, x, dx, info);
    return;
  }
  const [geomAt, dyAt, xAt, dxAt] = at as [number, number, number, number];
  const geom = writeGeometry(geomAt, info);
  const heap = heapF32();
  heap.set(dy.subarray(0, yLen), dyAt);
  heap.set(x.subarray(0, xLen), xAt);
  heap.set(dx.subarray(0, xLen), dxAt);
  g.maxPool2dBackward(dyAt * 4, xAt * 4, dxAt * 4, geom);
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
