/**
 * The wasm backend's pooling kernels (assembly/pool2d.ts) against the reference loops, on fixed and
 * random geometries, and the JavaScript fallback for float64.
 *
 * Max pooling does no arithmetic in the forward pass (y is one of the inputs), so it must match
 * the reference exactly, signed zeros and NaN included; the backward pass adds dy into dx in the
 * same order as the reference (windows in order (n, oh, ow), see Note [WASM pooling: four channels
 * at a time]), so float32 dx must match bit for bit too. Four kinds of input:
 *   random  distinct values: every window has one max;
 *   tied    a few values, −0 and +0 among them: windows tie, and only the first-max rule (and
 *           keeping the first of −0 and +0) gives the reference's y and dx;
 *   NaN     NaN in some cells: it must win its windows (and receive their gradient);
 *   −∞      windows of only −∞: the max is the first cell, the one that gets the gradient.
 *
 * Average pooling: tolerance for float32. The reference sums a window in float64 (into a
 * Float64Array y: exact to ~2⁻⁵³ here); the kernel adds the m ≤ KH·KW real cells in float32, one
 * rounding of relative size ≤ u = 2⁻²⁴ per addition, then divides (one more rounding). So
 * (Higham, "Accuracy and Stability of Numerical Algorithms", §3.1, to first order)
 *     |y − y_ref| ≤ (m − 1)·u·Σ|x|/m + u·|y|  ≤  (KH·KW + 1)·u·mean|x|,
 * with mean|x| computed exactly by the reference on |x|. The backward pass adds to each cell of dx
 * at most KH·KW shares dy/count (each rounded to float32 once: the reference keeps it in float64)
 * with one rounding per addition, so
 *     |dx − dx_ref| ≤ (KH·KW + 2)·u·(|dx₀| + Σ|dy|/count),
 * the sum again from the reference on |dy| and |dx₀|. A wrong cell, count or window moves a whole
 * term, an error of the order of the bound's sum itself, far above it.
 */
import { describe, expect, it } from 'vitest';
import type { TypedArray } from '../../dtype';
import { Generator } from '../../random';
import { type Conv2DInfo, computeConv2DInfo, type Padding } from '../conv2dInfo';
import { cpuBackend } from '../cpu';
import * as ref from '../reference/pool2d';
import { loadWasmSync, wasmBackend } from './index';
import { heapF32, layout, wasmKernel } from './runtime';

const available = loadWasmSync();
const U = 2 ** -24;

function poolCase(
  x: [number, number, number, number],
  pool: [number, number],
  strides: [number, number],
  padding: Padding,
  dilations: [number, number] = [1, 1],
): [string, Conv2DInfo] {
  const info = computeConv2DInfo(x, pool, x[3], strides, dilations, padding);
  const dil = dilations[0] === 1 && dilations[1] === 1 ? '' : ` d=${dilations}`;
  return [`x=[${x}] pool=${pool.join('x')} s=${strides}${dil} ${padding}`, info];
}

/**
 * Whether every window has a real cell. Always true with dilation 1 (Note [Padding in pooling]);
 * with a dilation a 'same' window can straddle a small image and have none, which the reference
 * does not define (the ops never pass a dilation to the pools).
 */
function windowsNonEmpty(info: Conv2DInfo): boolean {
  const hasTap = (o: number, stride: number, pad: number, d: number, k: number, size: number) =>
    Array.from({ length: k }, (_, t) => o * stride - pad + t * d).some((i) => i >= 0 && i < size);
  for (let oh = 0; oh < info.outHeight; oh++) {
    if (!hasTap(oh, info.strideHeight, info.padTop, info.dilationHeight, info.filterHeight, info.inHeight))
      return false;
  }
  for (let ow = 0; ow < info.outWidth; ow++) {
    if (!hasTap(ow, info.strideWidth, info.padLeft, info.dilationWidth, info.filterWidth, info.inWidth)) return false;
  }
  return true;
}

/** Batch 1-3, H and W 1-13, C 1-9 (mostly not multiples of 4), pools 1-4, strides 1-3, both paddings. */
function randomPoolCases(count: number, seed: number): [string, Conv2DInfo][] {
  const g = new Generator(seed);
  const out: [string, Conv2DInfo][] = [];
  while (out.length < count) {
    const x: [number, number, number, number] = [g.int(1, 4), g.int(1, 14), g.int(1, 14), g.int(1, 10)];
    const pool: [number, number] = [g.int(1, 5), g.int(1, 5)];
    const strides: [number, number] = [g.int(1, 4), g.int(1, 4)];
    const padding: Padding = g.uniform() < 0.5 ? 'same' : 'valid';
    // a dilation now and then: the kernels take Conv2DInfo's, though the ops always pass 1
    const dil: [number, number] = g.uniform() < 0.15 ? [g.int(1, 3), g.int(1, 3)] : [1, 1];
    const c = poolCase(x, pool, strides, padding, dil);
    if (c[1].outHeight > 0 && c[1].outWidth > 0 && windowsNonEmpty(c[1])) out.push(c);
  }
  return out;
}

const poolCases: [string, Conv2DInfo][] = [
  // LeNet-5's two pools, batch 2
  poolCase([2, 28, 28, 6], [2, 2], [2, 2], 'valid'),
  poolCase([2, 10, 10, 16], [2, 2], [2, 2], 'valid'),
  // C = 1, 2, 3: one partial group of 1, 2, 3 lanes; 4: one whole group; 5, 7: whole + partial;
  // overlapping windows (stride < pool)
  poolCase([2, 7, 6, 1], [3, 3], [1, 2], 'same'),
  poolCase([2, 5, 7, 2], [2, 2], [1, 1], 'same'),
  poolCase([1, 9, 8, 3], [3, 2], [2, 1], 'same'),
  poolCase([3, 5, 5, 4], [2, 3], [1, 1], 'valid'),
  poolCase([2, 6, 9, 5], [4, 4], [3, 2], 'same'),
  poolCase([1, 8, 5, 7], [3, 3], [2, 2], 'same'),
  // a window larger than the image (same padding hangs over three sides)
  poolCase([1, 2, 3, 7], [4, 4], [1, 1], 'same'),
  ...randomPoolCases(60, 11),
];

type Fill = (g: Generator, i: number) => number;
const inputs: [string, Fill][] = [
  ['random', (g) => g.uniform() * 2 - 1],
  ['tied', (g) => [-1, -0, 0, 1, 2, 2][g.int(0, 6)]!],
  ['NaN', (g) => (g.uniform() < 0.15 ? Number.NaN : g.uniform() * 2 - 1)],
  ['-Infinity', (g) => (g.uniform() < 0.7 ? Number.NEGATIVE_INFINITY : [-1, -0, 0][g.int(0, 3)]!)],
];

function sizes(info: Conv2DInfo) {
  const { batch, inHeight, inWidth, inChannels: C, outHeight, outWidth } = info;
  return { xLen: batch * inHeight * inWidth * C, yLen: batch * outHeight * outWidth * C };
}

function filled(g: Generator, n: number, f: Fill): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => f(g, i));
}

/**
 * Fills the module's operand memory with a sentinel before a call, so a forward kernel that leaves
 * an output element unwritten hands back the sentinel (or a previous call's result) and fails.
 */
function poisonHeap(): void {
  const g = wasmKernel();
  const start = g && layout(g, 0);
  if (start) heapF32().fill(-7777, start[0]);
}

/** Checks |got − want| ≤ unit·bound element by element (see the header). */
function expectClose(what: string, got: TypedArray, want: TypedArray, bound: TypedArray, unit: number) {
  for (let i = 0; i < want.length; i++) {
    const tol = unit * bound[i]!;
    if (!(Math.abs(got[i]! - want[i]!) <= tol)) {
      expect.fail(`${what}: element ${i} is ${got[i]}, reference ${want[i]} (tol ${tol})`);
    }
  }
}

describe.runIf(available)('wasm pooling kernels vs the reference (float32)', () => {
  it.each(poolCases)('max, exact: %s', (title, info) => {
    const { xLen, yLen } = sizes(info);
    for (const [kind, fill] of inputs) {
      const g = new Generator(5);
      const x = filled(g, xLen, fill);
      const dy = filled(g, yLen, (g) => g.uniform() * 2 - 1);

      const y = new Float32Array(yLen);
      const yRef = new Float32Array(yLen);
      poisonHeap();
      wasmBackend.maxPool2d(x, y, info);
      ref.maxPool2d(x, yRef, info);
      expect(y, `${title} ${kind} y`).toEqual(yRef);

      // backward accumulates: start from non-zero values to check += (not =)
      const dx0 = filled(g, xLen, (g) => g.uniform() * 2 - 1);
      const dx = dx0.slice();
      const dxRef = dx0.slice();
      wasmBackend.maxPool2dBackward(dy, x, dx, info);
      ref.maxPool2dBackward(dy, x, dxRef, info);
      expect(dx, `${title} ${kind} dx`).toEqual(dxRef);
    }
  });

  it.each(poolCases)('avg, within float32 summation error: %s', (title, info) => {
    const { xLen, yLen } = sizes(info);
    const m = info.filterHeight * info.filterWidth;
    const g = new Generator(6);
    const x = filled(g, xLen, (g) => g.uniform() * 2 - 1);
    const dy = filled(g, yLen, (g) => g.uniform() * 2 - 1);
    const abs = (a: Float32Array) => a.map(Math.abs);

    const y = new Float32Array(yLen);
    const yRef = new Float64Array(yLen);
    const yAbs = new Float64Array(yLen);
    poisonHeap();
    wasmBackend.avgPool2d(x, y, info);
    ref.avgPool2d(x, yRef, info);
    ref.avgPool2d(abs(x), yAbs, info);
    expectClose(`${title} y`, y, yRef, yAbs, (m + 1) * U);

    // backward accumulates into non-zero dx; the bound's sum includes |dx₀|
    const dx0 = filled(g, xLen, (g) => g.uniform() * 2 - 1);
    const dx = dx0.slice();
    const dxRef = Float64Array.from(dx0);
    const dxAbs = Float64Array.from(dx0, Math.abs);
    wasmBackend.avgPool2dBackward(dy, dx, info);
    ref.avgPool2dBackward(dy, dxRef, info);
    ref.avgPool2dBackward(abs(dy), dxAbs, info);
    expectClose(`${title} dx`, dx, dxRef, dxAbs, (m + 2) * U);
  });

  it.each([1, 2, 3, 5, 7])('C=%i: the kernels write nothing outside their outputs', (C) => {
    // After poisoning, a call changes exactly the geometry block (15 int32 and a work counter),
    // the operands copied in and the output; a partial group stored as a whole vector would
    // change more cells (past the last pixel of y or dx, in the regions' padding).
    const [, info] = poolCase([2, 5, 6, C], [3, 2], [2, 2], 'same');
    const { xLen, yLen } = sizes(info);
    const g = new Generator(9);
    const x = filled(g, xLen, (g) => g.uniform() * 2 - 1);
    const dy = filled(g, yLen, (g) => g.uniform() * 2 - 1);
    const changed = (run: () => void) => {
      poisonHeap();
      run();
      const start = layout(wasmKernel()!, 0)![0]!;
      return heapF32()
        .subarray(start)
        .reduce((k, v) => (v === -7777 ? k : k + 1), 0);
    };
    expect(changed(() => wasmBackend.maxPool2d(x, new Float32Array(yLen), info))).toBe(16 + xLen + yLen);
    expect(changed(() => wasmBackend.avgPool2d(x, new Float32Array(yLen), info))).toBe(16 + xLen + yLen);
    const dx = () => filled(g, xLen, (g) => g.uniform() + 1);
    expect(changed(() => wasmBackend.maxPool2dBackward(dy, x, dx(), info))).toBe(16 + yLen + 2 * xLen);
    expect(changed(() => wasmBackend.avgPool2dBackward(dy, dx(), info))).toBe(16 + yLen + xLen);
  });

  it('a small pool after a large one (memory already grown) is still right', () => {
    const g = new Generator(7);
    for (const [, info] of [poolCase([3, 60, 60, 9], [3, 3], [2, 2], 'same'), poolCases[3]!]) {
      const { xLen, yLen } = sizes(info);
      const x = filled(g, xLen, (g) => g.uniform());
      const y = new Float32Array(yLen);
      const yRef = new Float32Array(yLen);
      wasmBackend.maxPool2d(x, y, info);
      ref.maxPool2d(x, yRef, info);
      expect(y).toEqual(yRef);
    }
  });
});

describe('wasm pooling kernels: float64 keeps the JavaScript path', () => {
  it('gives exactly what the cpu backend gives', () => {
    const [, info] = poolCase([2, 9, 7, 5], [3, 2], [2, 1], 'same');
    const { xLen, yLen } = sizes(info);
    const g = new Generator(8);
    // ties as well, so the tie rule of the path taken shows
    const x = Float64Array.from({ length: xLen }, () => g.int(-2, 3) + (g.uniform() < 0.5 ? 0 : 1e-12));
    const dy = Float64Array.from({ length: yLen }, () => g.normal());
    const run = (b: typeof cpuBackend) => {
      const yMax = new Float64Array(yLen);
      const yAvg = new Float64Array(yLen);
      const dxMax = new Float64Array(xLen).fill(0.5);
      const dxAvg = new Float64Array(xLen).fill(0.5);
      b.maxPool2d(x, yMax, info);
      b.avgPool2d(x, yAvg, info);
      b.maxPool2dBackward(dy, x, dxMax, info);
      b.avgPool2dBackward(dy, dxAvg, info);
      return [yMax, yAvg, dxMax, dxAvg];
    };
    const got = run(wasmBackend);
    expect(got[0]).toBeInstanceOf(Float64Array);
    expect(got).toEqual(run(cpuBackend));
  });
});
