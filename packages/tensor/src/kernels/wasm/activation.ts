import type { TypedArray } from '../../dtype';
import type { FusedActivation } from '../backend';
import * as js from '../cpu/activation';
import { heapF32, type KernelExports, layout, wasmKernel } from './runtime';

/**
 * Note [Running the wasm activations from JS]
 * relu, its backward and the fused bias + activation run in WebAssembly (assembly/activation.ts,
 * Note [WASM bias + activation: four lanes, no branches]). As for the other kernels, each call
 * lays its operands out from the operand area (16-byte aligned regions), copies the inputs in,
 * calls the export with byte addresses (element offset · 4) and copies the output out:
 *   relu                    x in, in place                                   y out
 *   reluBackward            dy, x, dx in (dx: the kernel adds to it)         dx out
 *   biasActivation          y in, the bias tile (bias repeated to lcm(C, 4)) y out
 *   biasActivationBackward  dy in (y too for relu); dpre overwrites dy there dpre out,
 *                           then the per-tile-position float64 sums are added into dbias here
 * A copy costs about 0.3 ns per float (a memcpy), the SIMD pass about as much, where the
 * JavaScript loop with relu's branch costs ~7 ns. float64 (or any non-float32 array), empty
 * arrays and memory that cannot grow take ../cpu/activation.ts, which computes the same values.
 */

/** The loaded kernel when every array is float32 and there is work; else null. */
function f32Kernel(n: number, ...arrays: (TypedArray | null)[]): KernelExports | null {
  const g = wasmKernel();
  if (g === null || n === 0 || arrays.some((a) => a !== null && !(a instanceof Float32Array))) return null;
  return g;
}

/** lcm(channels, 4): the bias tile's length, so that no 4-float vector straddles two repeats of it. */
export function tilePeriod(channels: number): number {
  return channels % 4 === 0 ? channels : channels % 2 === 0 ? 2 * channels : 4 * channels;
}

/** Backend.relu: y = max(x, 0), four floats per SIMD step. */
export function relu(x: TypedArray, y: TypedArray): void {
  const n = x.length;
  const g = f32Kernel(n, x, y);
  const at = g && layout(g, n);
  if (g === null || at === null) {
    js.relu(x, y);
    return;
  }
  const [xAt] = at as [number];
  const heap = heapF32();
  heap.set(x, xAt);
  g.relu(xAt * 4, xAt * 4, n);
  y.set(heap.subarray(xAt, xAt + n));
}

/** Backend.reluBackward: dx += dy where x > 0. */
export function reluBackward(dy: TypedArray, x: TypedArray, dx: TypedArray): void {
  const n = x.length;
  const g = f32Kernel(n, dy, x, dx);
  const at = g && layout(g, n, n, n);
  if (g === null || at === null) {
    js.reluBackward(dy, x, dx);
    return;
  }
  const [dyAt, xAt, dxAt] = at as [number, number, number];
  const heap = heapF32();
  heap.set(dy, dyAt);
  heap.set(x, xAt);
  heap.set(dx, dxAt);
  g.reluBackward(dyAt * 4, xAt * 4, dxAt * 4, n);
  dx.set(heap.subarray(dxAt, dxAt + n));
}

/** Backend.biasActivation: y[r, c] = act(y[r, c] + bias[c]) in place. */
export function biasActivation(
  y: TypedArray,
  bias: TypedArray | null,
  channels: number,
  activation: FusedActivation,
): void {
  if (bias === null) {
    if (activation === 'relu') relu(y, y);
    return;
  }
  const n = y.length;
  const period = tilePeriod(channels);
  const g = f32Kernel(n, y, bias);
  const at = g && layout(g, n, period);
  if (g === null || at === null) {
    js.biasActivation(y, bias, channels, activation);
    return;
  }
  const [yAt, tileAt] = at as [number, number];
  const heap = heapF32();
  heap.set(y, yAt);
  for (let k = 0; k < period; k += channels) heap.set(bias.subarray(0, channels), tileAt + k);
  g.biasActivation(yAt * 4, tileAt * 4, n, period, activation === 'relu' ? 1 : 0);
  y.set(heap.subarray(yAt, yAt + n));
}

/**
 * Backend.biasActivationBackward: dpre = dy·[y > 0] (relu) or dy (linear), and dbias[c] += the
 * sum of dpre's column c, in float32 blocks of 16 added up in float64 (see the Note in
 * assembly/activation.ts for the error bound).
 */
export function biasActivationBackward(
  dy: TypedArray,
  y: TypedArray,
  dpre: TypedArray,
  dbias: TypedArray | null,
  channels: number,
  activation: FusedActivation,
): void {
  const isRelu = activation === 'relu';
  if (!isRelu && dbias === null) {
    if (dpre !== dy) dpre.set(dy);
    return;
  }
  const n = dy.length;
  const period = tilePeriod(channels);
  const g = f32Kernel(n, dy, y, dpre, dbias);
  // dy (dpre is written over it), y for relu, then period f32 and period f64 partial sums
  const at = g && layout(g, n, isRelu ? n : 0, period, 2 * period);
  if (g === null || at === null) {
    js.biasActivationBackward(dy, y, dpre, dbias, channels, activation);
    return;
  }
  const [dyAt, yAt, sums32At, sums64At] = at as [number, number, number, number];
  const heap = heapF32();
  heap.set(dy, dyAt);
  if (isRelu) heap.set(y, yAt);
  // biome-ignore format: the kernel's argument order
  g.biasActivationBackward(
    dyAt * 4, (isRelu ? yAt : dyAt) * 4, dyAt * 4, sums32At * 4, sums64At * 4,
    n, period, isRelu ? 1 : 0, dbias === null ? 0 : 1,
  );
  if (isRelu) dpre.set(heap.subarray(dyAt, dyAt + n));
  else if (dpre !== dy) dpre.set(dy);
  if (dbias !== null) addTileSums(sums64At, period, channels, dbias);
}

/**
 * dbias[c] += the float64 partial sums the backward kernel left at element `sums64At` of the heap:
 * the tile holds period / channels copies of each channel, so add theirs and round once.
 */
export function addTileSums(sums64At: number, period: number, channels: number, dbias: TypedArray): void {
  const sums = new Float64Array(heapF32().buffer, sums64At * 4, period);
  for (let c = 0; c < channels; c++) {
    let total = 0;
    for (let k = c; k < period; k += channels) total += sums[k]!;
    dbias[c]! += total;
  }
}
