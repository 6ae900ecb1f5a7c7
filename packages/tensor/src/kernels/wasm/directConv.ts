import type { TypedArray } from '../../dtype';
import type { Conv2DInfo } from '../conv2dInfo';
import { GEOMETRY, heapF32, type KernelExports, layout, writeGeometry } from './runtime';
import { runParallel } from './threads';

/**
 * The JS side of Note [Direct convolution for few input channels] (assembly/directConv.ts):
 * conv2d forward without a patch matrix, for LeNet's first layer and its kind. It lays out, after
 * the workspaces (layout() in ./runtime.ts),
 *     [geometry][x: N·H·W·C][wp: KH·KW·C·FP][y: N·OH·OW·F][xp: one padded planar image per thread][extra]
 * copies x in and w in with its filters padded by zeros to FP (a multiple of 3, the kernel's tile),
 * runs convForwardDirect on the threads (a unit is one image), and leaves y in wasm memory for
 * the caller's epilogue (bias + activation) and copy out. `extra` floats are reserved after it for
 * that epilogue's bias tile.
 */

/** Below this many input channels (and for stride 1, dilation 1) conv2d forward runs directly. */
export const DIRECT_BELOW_CHANNELS = 4;

/** Filters per register tile in assembly/directConv.ts (TILE_FILTERS there). */
const TILE_FILTERS = 3;

/**
 * The GEMM's K block (KC in assembly/gemm.ts): a patch longer than this is summed in blocks there,
 * which the direct kernel does not copy, so such convolutions keep the GEMM (same bits either way).
 */
const GEMM_K_BLOCK = 256;

/** Whether the direct kernel computes this convolution (float32 is checked by the caller). */
export function directApplies(info: Conv2DInfo): boolean {
  return (
    info.inChannels < DIRECT_BELOW_CHANNELS &&
    info.filterHeight * info.filterWidth * info.inChannels <= GEMM_K_BLOCK &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1
  );
}

/** Floats of one thread's padded planar image: C · (OH + KH − 1) · directRowLength (assembly/directConv.ts). */
function paddedImageFloats(info: Conv2DInfo): number {
  const rowLength = Math.ceil(info.outWidth / 8) * 8 + info.filterWidth - 1;
  return info.inChannels * (info.outHeight + info.filterHeight - 1) * rowLength;
}

/**
 * Runs the direct forward convolution on up to `threads` threads. Returns the element offsets in
 * the heap of y [N·OH·OW·F] and of the `extra` floats, or null when the memory cannot grow.
 */
export function directConvForward(
  g: KernelExports,
  x: TypedArray,
  w: TypedArray,
  info: Conv2DInfo,
  threads: number,
  extra: number,
): [yAt: number, extraAt: number] | null {
  const F = info.outChannels;
  const patch = info.filterHeight * info.filterWidth * info.inChannels;
  const FP = Math.ceil(F / TILE_FILTERS) * TILE_FILTERS;
  const xLen = info.batch * info.inHeight * info.inWidth * info.inChannels;
  const yLen = info.batch * info.outHeight * info.outWidth * F;
  const parts = Math.min(threads, info.batch);
  const xpLen = paddedImageFloats(info);
  const at = layout(g, GEOMETRY, xLen, patch * FP, yLen, parts * xpLen, extra);
  if (at === null) return null;
  const [geomAt, xAt, wpAt, yAt, xpAt, extraAt] = at as [number, number, number, number, number, number];
  const geom = writeGeometry(geomAt, info);
  const heap = heapF32();
  heap.set(x.subarray(0, xLen), xAt);
  // wp[k, f] = w[k, f] for f < F, 0 for the padding filters (the heap holds old data)
  heap.fill(0, wpAt, wpAt + patch * FP);
  for (let k = 0; k < patch; k++) heap.set(w.subarray(k * F, (k + 1) * F), wpAt + k * FP);
  // biome-ignore format: convForwardDirect's arguments; the work counter is the int32 after the geometry
  runParallel(g, 'convForwardDirect', parts, (t) => [
    geom, xAt * 4, wpAt * 4, yAt * 4, (xpAt + t * xpLen) * 4, geom + 60, FP,
  ]);
  return [yAt, extraAt];
}
