import { describe, expect, it } from 'vitest';
import type { TypedArray } from '../../dtype';
import { Generator } from '../../random';
import { type Conv2DInfo, computeConv2DInfo, type Padding } from '../conv2dInfo';
import * as ref from '../reference/conv2d';
import * as cpu from './conv2d';

// The im2col + GEMM kernels must compute the same sums as the reference loops.

interface Case {
  title: string;
  info: Conv2DInfo;
}

function makeCase(
  x: [number, number, number, number],
  k: [number, number],
  filters: number,
  strides: [number, number],
  dilations: [number, number],
  padding: Padding,
): Case {
  const info = computeConv2DInfo(x, k, filters, strides, dilations, padding);
  const title = `x=[${x}] k=${k.join('x')} f=${filters} s=${strides} d=${dilations} ${padding}`;
  return { title, info };
}

function randomCases(count: number, seed: number): Case[] {
  const g = new Generator(seed);
  const cases: Case[] = [];
  while (cases.length < count) {
    const kh = g.int(1, 6);
    const kw = g.int(1, 6);
    const dil: [number, number] = g.uniform() < 0.3 ? [g.int(1, 4), g.int(1, 4)] : [1, 1];
    const strides: [number, number] = [g.int(1, 4), g.int(1, 4)];
    const padding: Padding = g.uniform() < 0.5 ? 'same' : 'valid';
    const x: [number, number, number, number] = [g.int(1, 4), g.int(1, 12), g.int(1, 12), g.int(1, 5)];
    const c = makeCase(x, [kh, kw], g.int(1, 5), strides, dil, padding);
    if (c.info.outHeight > 0 && c.info.outWidth > 0) cases.push(c);
  }
  return cases;
}

const cases: Case[] = [
  // 1x1 stride 1 valid: the pointwise fast path (no im2col)
  makeCase([2, 5, 4, 3], [1, 1], 4, [1, 1], [1, 1], 'valid'),
  makeCase([1, 5, 4, 3], [1, 1], 2, [1, 1], [1, 1], 'same'),
  // 1x1 with stride 2: must not take the fast path
  makeCase([1, 5, 5, 2], [1, 1], 2, [2, 2], [1, 1], 'valid'),
  // 2·40·40 = 3200 rows of 5·5·16 = 400 columns: more than one 2621-row chunk of cols,
  // with a chunk boundary inside the second image
  makeCase([2, 40, 40, 16], [5, 5], 3, [1, 1], [1, 1], 'same'),
  ...randomCases(30, 7),
];

function random(n: number, g: Generator, f32: boolean): TypedArray {
  const a = f32 ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = g.uniform() * 2 - 1;
  return a;
}

/**
 * Float32 tolerance. Both kernels add k products of values in [-1, 1], but in different orders
 * and (the GEMM) with rounding to float32 along the way. Each rounding errs by at most
 * u = 2⁻²⁴ of a partial sum, and partial sums are at most k, so the two results can differ by
 * at most about 2·k·(k·u). In practice errors are far smaller (√k·u); this is the safe bound.
 */
const f32Tolerance = (k: number) => 2 * k * k * 2 ** -24 + 1e-7;

function expectClose(got: TypedArray, want: TypedArray, tol: number): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  expect(worst).toBeLessThanOrEqual(tol);
}

describe.each([
  ['float64', false],
  ['float32', true],
] as const)('cpu conv2d kernels match the reference (%s)', (_dtype, f32) => {
  it.each(cases.map((c) => [c.title, c] as const))('%s', (_title, { info }) => {
    const g = new Generator(1);
    const { batch: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: F } = info;
    const KHW = info.filterHeight * info.filterWidth;
    const x = random(N * H * W * C, g, f32);
    const w = random(KHW * C * F, g, f32);
    const dy = random(N * OH * OW * F, g, f32);
    const alloc = (n: number) => (f32 ? new Float32Array(n) : new Float64Array(n));
    const tol = (k: number) => (f32 ? f32Tolerance(k) : 1e-12 * k);

    const y1 = alloc(dy.length);
    const y2 = alloc(dy.length);
    cpu.conv2d(x, w, y1, info);
    ref.conv2d(x, w, y2, info);
    expectClose(y1, y2, tol(KHW * C));

    // backward kernels accumulate: start from the same non-zero values to check += (not =)
    const dx1 = alloc(x.length).fill(0.5);
    const dx2 = alloc(x.length).fill(0.5);
    cpu.conv2dBackpropInput(dy, w, dx1, info);
    ref.conv2dBackpropInput(dy, w, dx2, info);
    expectClose(dx1, dx2, tol(KHW * F));

    const dw1 = alloc(w.length).fill(0.5);
    const dw2 = alloc(w.length).fill(0.5);
    cpu.conv2dBackpropFilter(x, dy, dw1, info);
    ref.conv2dBackpropFilter(x, dy, dw2, info);
    expectClose(dw1, dw2, tol(N * OH * OW));
  });
});
