/**
 * The WebAssembly kernels against the reference loops, and the fallback when WebAssembly is missing.
 *
 * Tolerance for float32. The reference sums the exact products of the float32 inputs in float64
 * (its error is ~2⁻⁵³, negligible here). The wasm kernel rounds every product to float32 (there is
 * no fused multiply-add in baseline SIMD) and adds k of them in float32 accumulators, in some
 * order (per K block, then into C). The standard bound for any such order (Higham, "Accuracy and
 * Stability of Numerical Algorithms", §3.1) is
 *     |got − exact| ≤ γ_{k+1} · Σ_p |a_ip|·|b_pj|,   γ_j = j·u/(1 − j·u),  u = 2⁻²⁴,
 * plus one more u for the final rounding of C. We check every element against (k + 2)·u·Σ|a||b|
 * (the bound, not a guess): a bug in packing or in the edges gives errors of the size of the
 * result itself, far above it. float64 goes to the JavaScript GEMM, checked as in cpu/gemm.test.ts.
 * The conv2d kernels are tested in ./conv2d.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TypedArray } from '../../dtype';
import { Generator } from '../../random';
import { matMul as referenceMatMul } from '../reference/matMul';
import { loadWasmSync, type WasmApi, wasmBackend, wasmSimdSupported } from './index';

const available = loadWasmSync();
const U = 2 ** -24;

interface Case {
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  /** Whether A (or B) is one matrix shared by the whole batch (stride 0). */
  shareA?: boolean;
  shareB?: boolean;
}

function random(g: Generator, f32: boolean, size: number): TypedArray {
  const x = f32 ? new Float32Array(size) : new Float64Array(size);
  for (let i = 0; i < size; i++) x[i] = g.normal();
  return x;
}

/** Runs the wasm backend and the reference on one case and checks every element (see the bound above). */
function check(g: Generator, cs: Case, f32 = true): void {
  const { batch, m, n, k, transA, transB, shareA = false, shareB = false } = cs;
  const a = random(g, f32, (shareA ? 1 : batch) * m * k);
  const b = random(g, f32, (shareB ? 1 : batch) * k * n);
  const aStride = shareA ? 0 : m * k;
  const bStride = shareB ? 0 : k * n;
  const want = new Float64Array(batch * m * n);
  const bound = new Float64Array(batch * m * n);
  referenceMatMul(a, b, want, batch, m, n, k, transA, transB, aStride, bStride);
  referenceMatMul(a.map(Math.abs), b.map(Math.abs), bound, batch, m, n, k, transA, transB, aStride, bStride);
  // C is prefilled with NaN: the kernel must overwrite it, not add to it
  const got = (f32 ? new Float32Array(batch * m * n) : new Float64Array(batch * m * n)).fill(Number.NaN);
  wasmBackend.matMul(a, b, got, batch, m, n, k, transA, transB, aStride, bStride);
  const unit = f32 ? (k + 2) * U : 4 * k * 2 ** -53;
  for (let i = 0; i < want.length; i++) {
    const tol = unit * bound[i]! + 1e-300;
    if (!(Math.abs(got[i]! - want[i]!) <= tol)) {
      expect.fail(`${JSON.stringify(cs)}: element ${i} is ${got[i]}, reference ${want[i]} (tol ${tol})`);
    }
  }
}

describe.runIf(available)('wasm matMul vs reference matMul (float32)', () => {
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      it(`transA=${transA} transB=${transB}: 60 random sizes in 1..70`, () => {
        const g = new Generator(transA ? 11 : 12).seed(transB ? 30 : 40);
        for (let t = 0; t < 60; t++) {
          check(g, { batch: 1, m: g.int(1, 71), n: g.int(1, 71), k: g.int(1, 71), transA, transB });
        }
      });
    }
  }

  it('exact multiples of the 4×8 tile, and sizes below one tile', () => {
    const g = new Generator(13);
    for (const [m, n, k] of [
      [4, 8, 4],
      [8, 16, 32],
      [64, 64, 64],
      [1, 1, 1],
      [3, 7, 1],
      [5, 9, 2],
    ] as const) {
      check(g, { batch: 1, m, n, k, transA: false, transB: false });
    }
  });

  it('k larger than the K block (256): later blocks add into C', () => {
    const g = new Generator(14);
    check(g, { batch: 1, m: 9, n: 7, k: 600, transA: false, transB: true });
    check(g, { batch: 1, m: 5, n: 13, k: 257, transA: true, transB: false });
    check(g, { batch: 1, m: 12, n: 16, k: 512, transA: false, transB: false });
  });

  it('m larger than the M block (128) and n larger than the N block (1024), ragged', () => {
    const g = new Generator(15);
    check(g, { batch: 1, m: 261, n: 6, k: 3, transA: true, transB: true });
    check(g, { batch: 1, m: 3, n: 1030, k: 5, transA: false, transB: false });
    check(g, { batch: 1, m: 133, n: 2053, k: 270, transA: true, transB: false });
  });

  it('batches with dense strides and with one matrix broadcast (stride 0)', () => {
    const g = new Generator(16);
    for (const [shareA, shareB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      check(g, { batch: 3, m: 6, n: 5, k: 7, transA: true, transB: false, shareA, shareB });
      check(g, { batch: 4, m: 13, n: 17, k: 9, transA: false, transB: true, shareA, shareB });
    }
  });

  it('memory grows for a big call and stays correct for small calls after it', () => {
    const g = new Generator(17);
    check(g, { batch: 1, m: 2, n: 3, k: 4, transA: false, transB: false });
    check(g, { batch: 2, m: 300, n: 200, k: 150, transA: false, transB: false });
    check(g, { batch: 1, m: 2, n: 3, k: 4, transA: true, transB: true });
  });

  it('float64 falls back to the JavaScript GEMM', () => {
    const g = new Generator(18);
    check(g, { batch: 2, m: 11, n: 9, k: 300, transA: true, transB: false }, false);
  });

  it('k=0 gives zeros and m=0 or n=0 writes nothing', () => {
    const c = new Float32Array(6).fill(7);
    wasmBackend.matMul(new Float32Array(0), new Float32Array(0), c, 1, 2, 3, 0, false, false, 0, 0);
    expect(Array.from(c)).toEqual([0, 0, 0, 0, 0, 0]);
    const empty = new Float32Array(0);
    wasmBackend.matMul(empty, new Float32Array(4), empty, 1, 0, 2, 2, false, false, 0, 0);
    expect(empty.length).toBe(0);
  });
});

// ---- without WebAssembly (or without SIMD) everything runs on the other backends ----

describe('fallback when WebAssembly SIMD is unavailable', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('detection: no WebAssembly, no SIMD, or a throwing validate all mean unsupported', async () => {
    expect(wasmSimdSupported(null)).toBe(false);
    const noSimd = { validate: () => false } as unknown as WasmApi;
    expect(wasmSimdSupported(noSimd)).toBe(false);
    const throws = {
      validate: () => {
        throw new Error('boom');
      },
    } as unknown as WasmApi;
    expect(wasmSimdSupported(throws)).toBe(false);
  });

  it('a fresh import with globalThis.WebAssembly removed registers no wasm backend and still computes', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    vi.resetModules();
    const sn = await import('../../index');
    expect(sn.listBackends()).not.toContain('wasm');
    expect(sn.getBackend().name).toBe('cpu');
    expect(() => sn.setBackend('wasm')).toThrow(sn.ValueError);
    expect(() => sn.setBackend('wasm')).toThrow(
      /setBackend: the backend must be one of 'cpu', 'reference', but got 'wasm' \('wasm' is registered where WebAssembly SIMD is available: `await initWasm\(\)` adds it\)/,
    );
    expect(await sn.initWasm()).toBe(false);
    // a conv2d and a matMul still run (on 'cpu'), with the right values:
    // ones [1, 3, 3, 1] conv ones 2x2 valid = 4 everywhere; [[1, 2]]·[[3], [4]] = 11
    const y = sn.conv2d(sn.ones([1, 3, 3, 1]), sn.ones([2, 2, 1, 1]), { padding: 'valid' });
    expect(Array.from(y.dataSync())).toEqual([4, 4, 4, 4]);
    expect(Array.from(sn.matMul(sn.tensor([[1, 2]]), sn.tensor([[3], [4]])).dataSync())).toEqual([11]);
  });

  it.runIf(available)('a fresh import with WebAssembly present registers wasm', async () => {
    vi.resetModules();
    const sn = await import('../../index');
    expect(sn.listBackends()).toContain('wasm');
    expect(await sn.initWasm()).toBe(true);
  });
});
