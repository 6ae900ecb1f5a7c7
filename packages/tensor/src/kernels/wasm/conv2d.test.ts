/**
 * The wasm backend's conv2d kernels (im2col and col2im in WebAssembly, assembly/conv2d.ts, around
 * the wasm SGEMM) against the reference loops, and against the JavaScript im2col around the same
 * GEMM, on fixed and random geometries.
 *
 * Tolerance for float32. The reference accumulates in float64 (into Float64Array outputs), which
 * is exact to ~2⁻⁵³ here. The wasm kernels compute each output element as a sum of k float32
 * products (k = KH·KW·C for y; at most KH·KW·F for dx, the windows that read a cell; N·OH·OW for
 * dw), rounded to float32 at every step, in some order: per GEMM K block, then per (kh, kw)
 * contribution for dx, per row chunk for dw, plus the start value of dx and dw. Every product and
 * every addition is one rounding of relative size ≤ u = 2⁻²⁴ of a partial sum bounded by
 *   S = |start| + Σ |terms|,
 * so (Higham, "Accuracy and Stability of Numerical Algorithms", §3.1) the error is at most
 *   (k + chunks + 2) · u · S        (the γ bound to first order, with one u per rounding),
 * and S is computed exactly by running the reference on |x|, |w|, |dy|. A wrong index in im2col or
 * col2im moves a whole term, an error of the size of S itself, far above the bound.
 *
 * Against the JavaScript im2col (cpu/conv2d.ts's makeConv2dKernels around the same wasm matMul), y
 * and dx must be identical bit for bit: a row of y or dcols does not depend on how rows are
 * chunked, and col2im adds in row order in both. dw is summed per chunk, and the wasm chunks
 * (wasmChunkRows, sized for L2) are smaller than the JS ones, so for dw only the bound applies.
 * Equality across thread counts is tested in threads.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { TypedArray } from '../../dtype';
import { Generator } from '../../random';
import { type Conv2DInfo, computeConv2DInfo, type Padding } from '../conv2dInfo';
import { cpuBackend } from '../cpu';
import { makeConv2dKernels } from '../cpu/conv2d';
import * as ref from '../reference/conv2d';
import { wasmChunkRows } from './conv2d';
import { directApplies } from './directConv';
import { loadWasmSync, wasmBackend } from './index';

const available = loadWasmSync();
const U = 2 ** -24;
/** The JavaScript im2col and col2im around the wasm GEMM: the path the wasm kernels replace. */
const jsIm2col = makeConv2dKernels(wasmBackend.matMul);

function convCase(
  x: [number, number, number, number],
  k: [number, number],
  filters: number,
  strides: [number, number],
  dilations: [number, number],
  padding: Padding,
): [string, Conv2DInfo] {
  const info = computeConv2DInfo(x, k, filters, strides, dilations, padding);
  return [`x=[${x}] k=${k.join('x')} f=${filters} s=${strides} d=${dilations} ${padding}`, info];
}

/** Kernels 1-5, strides 1-3, dilations 1-3 (a third of the time), both paddings, odd and even sizes. */
function randomConvCases(count: number, seed: number): [string, Conv2DInfo][] {
  const g = new Generator(seed);
  const out: [string, Conv2DInfo][] = [];
  while (out.length < count) {
    const dil: [number, number] = g.uniform() < 0.35 ? [g.int(1, 4), g.int(1, 4)] : [1, 1];
    const strides: [number, number] = [g.int(1, 4), g.int(1, 4)];
    const padding: Padding = g.uniform() < 0.5 ? 'same' : 'valid';
    const channels = g.uniform() < 0.3 ? 1 : g.int(2, 8);
    const x: [number, number, number, number] = [g.int(1, 4), g.int(1, 18), g.int(1, 18), channels];
    const c = convCase(x, [g.int(1, 6), g.int(1, 6)], g.int(1, 10), strides, dil, padding);
    if (c[1].outHeight > 0 && c[1].outWidth > 0) out.push(c);
  }
  return out;
}

const convCases: [string, Conv2DInfo][] = [
  // 1x1 stride 1 valid: the pointwise path (no im2col); 1x1 with a stride does use im2col
  convCase([2, 5, 4, 3], [1, 1], 4, [1, 1], [1, 1], 'valid'),
  convCase([2, 7, 5, 3], [1, 1], 2, [2, 3], [1, 1], 'same'),
  // LeNet-5's two convolutions, batch 4
  convCase([4, 28, 28, 1], [5, 5], 6, [1, 1], [1, 1], 'same'),
  convCase([4, 14, 14, 6], [5, 5], 16, [1, 1], [1, 1], 'valid'),
  // a window larger than the (padded) image in one direction, odd sizes, channels 1
  convCase([3, 3, 9, 1], [5, 3], 2, [1, 2], [1, 1], 'same'),
  // several cols chunks (wasmChunkRows is 2^16 / patch rows), boundaries inside an image
  convCase([2, 40, 40, 16], [5, 5], 3, [1, 1], [1, 1], 'same'),
  convCase([2, 30, 30, 64], [5, 5], 3, [1, 1], [1, 1], 'same'),
  convCase([3, 45, 39, 41], [4, 5], 5, [1, 2], [2, 1], 'same'),
  ...randomConvCases(40, 31),
];

function uniform(g: Generator, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => g.uniform() * 2 - 1);
}

/** Checks |got − want| ≤ (k + chunks + 2)·u·S element by element (see the header for S). */
function expectClose(what: string, got: TypedArray, want: TypedArray, sumAbs: TypedArray, k: number, chunks: number) {
  const unit = (k + chunks + 2) * U;
  for (let i = 0; i < want.length; i++) {
    const tol = unit * sumAbs[i]!;
    if (!(Math.abs(got[i]! - want[i]!) <= tol)) {
      expect.fail(`${what}: element ${i} is ${got[i]}, reference ${want[i]} (tol ${tol})`);
    }
  }
}

describe.runIf(available)('wasm conv2d kernels: WebAssembly im2col/col2im vs the reference (float32)', () => {
  it.each(convCases)('%s', (title, info) => {
    const g = new Generator(2);
    const { batch: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: F } = info;
    const KHW = info.filterHeight * info.filterWidth;
    const rows = N * OH * OW;
    const chunks = Math.ceil(rows / wasmChunkRows(info));
    const x = uniform(g, N * H * W * C);
    const w = uniform(g, KHW * C * F);
    const dy = uniform(g, rows * F);
    const abs = (a: Float32Array) => a.map(Math.abs);

    // forward: the output is prefilled with NaN, so every element must be written
    const y = new Float32Array(rows * F).fill(Number.NaN);
    const yJs = new Float32Array(rows * F);
    const yRef = new Float64Array(rows * F);
    const yAbs = new Float64Array(rows * F);
    wasmBackend.conv2d(x, w, y, info);
    jsIm2col.conv2d(x, w, yJs, info);
    ref.conv2d(x, w, yRef, info);
    ref.conv2d(abs(x), abs(w), yAbs, info);
    expectClose(`${title} y`, y, yRef, yAbs, KHW * C, 1);
    expect(y).toEqual(yJs);

    // backward kernels accumulate: start from 0.5 to check += (not =); S includes the 0.5
    const dx = new Float32Array(x.length).fill(0.5);
    const dxJs = new Float32Array(x.length).fill(0.5);
    const dxRef = new Float64Array(x.length).fill(0.5);
    const dxAbs = new Float64Array(x.length).fill(0.5);
    wasmBackend.conv2dBackpropInput(dy, w, dx, info);
    jsIm2col.conv2dBackpropInput(dy, w, dxJs, info);
    ref.conv2dBackpropInput(dy, w, dxRef, info);
    ref.conv2dBackpropInput(abs(dy), abs(w), dxAbs, info);
    expectClose(`${title} dx`, dx, dxRef, dxAbs, KHW * F, chunks);
    expect(dx).toEqual(dxJs);

    const dw = new Float32Array(w.length).fill(0.5);
    const dwRef = new Float64Array(w.length).fill(0.5);
    const dwAbs = new Float64Array(w.length).fill(0.5);
    wasmBackend.conv2dBackpropFilter(x, dy, dw, info);
    ref.conv2dBackpropFilter(x, dy, dwRef, info);
    ref.conv2dBackpropFilter(abs(x), abs(dy), dwAbs, info);
    expectClose(`${title} dw`, dw, dwRef, dwAbs, rows, chunks);
  });

  it('a small conv after a large one (memory already grown) is still right', () => {
    const g = new Generator(3);
    for (const [, info] of [convCases[6]!, convCases[4]!]) {
      const x = uniform(g, info.batch * info.inHeight * info.inWidth * info.inChannels);
      const w = uniform(g, info.filterHeight * info.filterWidth * info.inChannels * info.outChannels);
      const y = new Float32Array(info.batch * info.outHeight * info.outWidth * info.outChannels);
      const yJs = new Float32Array(y.length);
      wasmBackend.conv2d(x, w, y, info);
      jsIm2col.conv2d(x, w, yJs, info);
      expect(y).toEqual(yJs);
    }
  });
});

describe('wasm conv2d kernels: float64 keeps the JavaScript path', () => {
  it('gives exactly what the cpu backend gives', () => {
    const [, info] = convCase([2, 9, 7, 3], [3, 2], 4, [2, 1], [1, 2], 'same');
    const g = new Generator(4);
    const rand = (n: number) => Float64Array.from({ length: n }, () => g.normal());
    const x = rand(2 * 9 * 7 * 3);
    const w = rand(3 * 2 * 3 * 4);
    const dy = rand(2 * info.outHeight * info.outWidth * 4);
    const run = (b: typeof cpuBackend) => {
      const y = new Float64Array(dy.length);
      const dx = new Float64Array(x.length).fill(0.5);
      const dw = new Float64Array(w.length).fill(0.5);
      b.conv2d(x, w, y, info);
      b.conv2dBackpropInput(dy, w, dx, info);
      b.conv2dBackpropFilter(x, dy, dw, info);
      return [y, dx, dw];
    };
    expect(run(wasmBackend)).toEqual(run(cpuBackend));
  });
});

describe.runIf(available)('wasm fusedConv2d: conv2d and bias + activation before y leaves wasm memory', () => {
  // every (bias, activation) pair, on geometries with F = 1..9 (bias tiles of lcm(F, 4)), C < 4
  // (the transposed product) and C ≥ 4, and the pointwise 1x1 case (the JS im2col fallback)
  const cases = [convCases[0]!, convCases[2]!, convCases[3]!, ...convCases.slice(8, 20)];
  it.each(cases)('%s: same bits as conv2d, then biasActivation', (_, info) => {
    const g = new Generator(5);
    const F = info.outChannels;
    const x = uniform(g, info.batch * info.inHeight * info.inWidth * info.inChannels);
    const w = uniform(g, info.filterHeight * info.filterWidth * info.inChannels * F);
    const bias = uniform(g, F);
    const size = info.batch * info.outHeight * info.outWidth * F;
    for (const b of [null, bias]) {
      for (const activation of ['linear', 'relu'] as const) {
        const fused = new Float32Array(size).fill(Number.NaN);
        wasmBackend.fusedConv2d!(x, w, fused, info, b, activation);
        const plain = new Float32Array(size);
        wasmBackend.conv2d(x, w, plain, info);
        wasmBackend.biasActivation(plain, b, F, activation);
        expect(fused).toEqual(plain);
      }
    }
  });
});

describe.runIf(available)('wasm direct conv2d (few input channels, stride 1): same bits as im2col + GEMM', () => {
  // Note [Direct convolution for few input channels]: C < 4, stride 1, dilation 1; random kernels,
  // paddings (explicit ones too, wider than the kernel), odd widths (partial 8-pixel tiles) and
  // F = 1..10 (partial 3-filter tiles)
  const g = new Generator(41);
  const cases: [string, Conv2DInfo][] = [convCase([4, 28, 28, 1], [5, 5], 6, [1, 1], [1, 1], 'same')];
  while (cases.length < 40) {
    const x: [number, number, number, number] = [g.int(1, 4), g.int(1, 21), g.int(1, 21), g.int(1, 4)];
    const k: [number, number] = [g.int(1, 8), g.int(1, 8)];
    const r = g.uniform();
    const c = convCase(x, k, g.int(1, 11), [1, 1], [1, 1], r < 0.5 ? 'same' : 'valid');
    if (r > 0.75) {
      // explicit padding (as conv2d's [[0, 0], [top, bottom], [left, right], [0, 0]]), up to past the kernel
      const [pt, pb, pl, pr] = [g.int(0, 10), g.int(0, 4), g.int(0, 4), g.int(0, 10)];
      const info = { ...c[1], padTop: pt, padBottom: pb, padLeft: pl, padRight: pr };
      info.outHeight = x[1] + pt + pb - k[0] + 1;
      info.outWidth = x[2] + pl + pr - k[1] + 1;
      c[0] = `${c[0].replace('valid', '').replace('same', '')}pad=${pt},${pb},${pl},${pr}`;
      c[1] = info;
    }
    if (c[1].outHeight > 0 && c[1].outWidth > 0 && !(k[0] === 1 && k[1] === 1)) cases.push(c);
  }
  it.each(cases)('%s', (title, info) => {
    expect(directApplies(info)).toBe(true);
    const h = new Generator(6);
    const F = info.outChannels;
    const x = uniform(h, info.batch * info.inHeight * info.inWidth * info.inChannels);
    const w = uniform(h, info.filterHeight * info.filterWidth * info.inChannels * F);
    const size = info.batch * info.outHeight * info.outWidth * F;
    // prefilled with NaN: every element must be written, and only those (the next one is checked)
    const y = new Float32Array(size + 1).fill(Number.NaN);
    wasmBackend.conv2d(x, w, y.subarray(0, size), info);
    const yJs = new Float32Array(size);
    jsIm2col.conv2d(x, w, yJs, info);
    expect(y.subarray(0, size), title).toEqual(yJs);
    expect(y[size]).toBeNaN();
    const yRef = new Float64Array(size);
    const yAbs = new Float64Array(size);
    ref.conv2d(x, w, yRef, info);
    ref.conv2d(x.map(Math.abs), w.map(Math.abs), yAbs, info);
    expectClose(
      `${title} y`,
      y.subarray(0, size),
      yRef,
      yAbs,
      info.filterHeight * info.filterWidth * info.inChannels,
      1,
    );
  });

  it('a patch longer than the GEMM K block (11x11x3) keeps im2col + GEMM', () => {
    expect(directApplies(convCase([1, 12, 12, 3], [11, 11], 2, [1, 1], [1, 1], 'valid')[1])).toBe(false);
    expect(directApplies(convCase([1, 12, 12, 3], [3, 3], 2, [2, 1], [1, 1], 'valid')[1])).toBe(false);
  });
});

describe.runIf(available)('wasm fusedConv2dBackward: the three backward kernels on one layout', () => {
  // Note [The fused conv backward in one residence]: the same bits as biasActivationBackward, then
  // conv2dBackpropInput and conv2dBackpropFilter on dpre; every (bias, activation) pair, with and
  // without dx and dw, on LeNet's shapes, C < 4 and C ≥ 4, several chunks, and the pointwise case
  const cases = [convCases[0]!, convCases[2]!, convCases[3]!, convCases[5]!, ...convCases.slice(8, 18)];
  it.each(cases)('%s', (_, info) => {
    const g = new Generator(7);
    const F = info.outChannels;
    const x = uniform(g, info.batch * info.inHeight * info.inWidth * info.inChannels);
    const w = uniform(g, info.filterHeight * info.filterWidth * info.inChannels * F);
    const size = info.batch * info.outHeight * info.outWidth * F;
    const y = uniform(g, size).map((v) => Math.max(v, 0));
    const dy = uniform(g, size);
    for (const activation of ['linear', 'relu'] as const) {
      for (const [withDx, withDw, withBias] of [
        [true, true, true],
        [false, true, true],
        [true, false, false],
        [false, true, false],
      ]) {
        // outputs start at 0.5: the kernel must add (+=)
        const make = (yes: boolean | undefined, n: number) => (yes ? new Float32Array(n).fill(0.5) : null);
        const [dx, dw, db] = [make(withDx, x.length), make(withDw, w.length), make(withBias, F)];
        const dyCopy = dy.slice();
        wasmBackend.fusedConv2dBackward!(dyCopy, y, x, w, dx, dw, db, info, activation);
        expect(dyCopy).toEqual(dy); // dy is not written
        const [dx2, dw2, db2] = [make(withDx, x.length), make(withDw, w.length), make(withBias, F)];
        const dpre = new Float32Array(size);
        wasmBackend.biasActivationBackward(dy, y, dpre, db2, F, activation);
        if (dx2 !== null) wasmBackend.conv2dBackpropInput(dpre, w, dx2, info);
        if (dw2 !== null) wasmBackend.conv2dBackpropFilter(x, dpre, dw2, info);
        expect([dx, dw, db]).toEqual([dx2, dw2, db2]);
      }
    }
  });
});
