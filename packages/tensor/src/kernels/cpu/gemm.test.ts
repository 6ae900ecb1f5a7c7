/**
 * The blocked GEMM against the reference triple loop, on many random sizes.
 *
 * Tolerance: both kernels sum in float64, only in a different order, so they differ by at most
 * about k·2⁻⁵³·Σ_p |a_ip·b_pj| (the standard bound for reordered summation). For float32 each
 * result is additionally rounded to float32 once (twice, if k > KC and a K block is added into
 * C), so they may differ by a few float32 ulps: 2⁻²³·Σ|a·b| per rounding. The tests allow 4× those
 * bounds, computed per element from |A|·|B|.
 */
import { describe, expect, it } from 'vitest';
import type { TypedArray } from '../../dtype';
import { Generator } from '../../random';
import { matMul as referenceMatMul } from '../reference/matMul';
import { matMul } from './gemm';

type ArrayType = Float32ArrayConstructor | Float64ArrayConstructor;

interface Case {
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  /** Whether A (or B) is one matrix shared by the whole batch (stride 0). */
  shareA: boolean;
  shareB: boolean;
}

function random(g: Generator, type: ArrayType, size: number): TypedArray {
  const x = new type(size);
  for (let i = 0; i < size; i++) x[i] = g.normal();
  return x;
}

/** Runs both kernels on one case and checks every element against the bound above. */
function check(g: Generator, type: ArrayType, cs: Case): void {
  const { batch, m, n, k, transA, transB, shareA, shareB } = cs;
  const a = random(g, type, (shareA ? 1 : batch) * m * k);
  const b = random(g, type, (shareB ? 1 : batch) * k * n);
  const aStride = shareA ? 0 : m * k;
  const bStride = shareB ? 0 : k * n;
  const want = new Float64Array(batch * m * n);
  const bound = new Float64Array(batch * m * n);
  referenceMatMul(a, b, want, batch, m, n, k, transA, transB, aStride, bStride);
  referenceMatMul(a.map(Math.abs), b.map(Math.abs), bound, batch, m, n, k, transA, transB, aStride, bStride);
  // C is prefilled with NaN: the kernel must overwrite it, not add to it
  const got = new type(batch * m * n).fill(Number.NaN);
  matMul(a, b, got, batch, m, n, k, transA, transB, aStride, bStride);
  const unit = type === Float32Array ? 2 ** -23 : k * 2 ** -53;
  for (let i = 0; i < want.length; i++) {
    const tol = 4 * unit * bound[i]! + 1e-300;
    if (!(Math.abs(got[i]! - want[i]!) <= tol)) {
      expect.fail(`${JSON.stringify(cs)} ${type.name}: element ${i} is ${got[i]}, reference ${want[i]} (tol ${tol})`);
    }
  }
}

describe('cpu gemm vs reference matMul', () => {
  for (const type of [Float32Array, Float64Array]) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`${type.name} transA=${transA} transB=${transB}: 60 random sizes in 1..70`, () => {
          const g = new Generator(transA ? 1 : 2).seed((transB ? 10 : 20) + (type === Float32Array ? 0 : 100));
          for (let t = 0; t < 60; t++) {
            const m = g.int(1, 71);
            const n = g.int(1, 71);
            const k = g.int(1, 71);
            check(g, type, { batch: 1, m, n, k, transA, transB, shareA: false, shareB: false });
          }
        });
      }
    }
  }

  it('sizes that are exact multiples of the 4×4 tile and of nothing at all', () => {
    const g = new Generator(3);
    for (const [m, n, k] of [
      [4, 4, 4],
      [8, 12, 16],
      [1, 1, 1],
      [1, 7, 1],
      [5, 1, 9],
      [3, 5, 2],
    ] as const) {
      check(g, Float64Array, { batch: 1, m, n, k, transA: false, transB: false, shareA: false, shareB: false });
    }
  });

  it('k larger than the K block (256), so later blocks add into C', () => {
    const g = new Generator(4);
    for (const type of [Float32Array, Float64Array]) {
      check(g, type, { batch: 1, m: 9, n: 7, k: 600, transA: false, transB: true, shareA: false, shareB: false });
      check(g, type, { batch: 1, m: 5, n: 6, k: 257, transA: true, transB: false, shareA: false, shareB: false });
    }
  });

  it('m larger than the M block (64) and n larger than the N block (1024)', () => {
    const g = new Generator(5);
    check(g, Float64Array, { batch: 1, m: 131, n: 6, k: 3, transA: true, transB: true, shareA: false, shareB: false });
    check(g, Float32Array, {
      batch: 1,
      m: 3,
      n: 1030,
      k: 5,
      transA: false,
      transB: false,
      shareA: false,
      shareB: false,
    });
  });

  it('batches with dense strides and with one matrix broadcast (stride 0)', () => {
    const g = new Generator(6);
    for (const [shareA, shareB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      check(g, Float32Array, { batch: 3, m: 6, n: 5, k: 7, transA: true, transB: false, shareA, shareB });
      check(g, Float64Array, { batch: 4, m: 5, n: 9, k: 3, transA: false, transB: true, shareA, shareB });
    }
  });

  it('k=0 gives zeros and m=0 or n=0 writes nothing', () => {
    const c = new Float32Array(6).fill(7);
    matMul(new Float32Array(0), new Float32Array(0), c, 1, 2, 3, 0, false, false, 0, 0);
    expect(Array.from(c)).toEqual([0, 0, 0, 0, 0, 0]);
    const empty = new Float64Array(0);
    matMul(empty, new Float64Array(4), empty, 1, 0, 2, 2, false, false, 0, 0);
    expect(empty.length).toBe(0);
  });
});

describe('reference matMul', () => {
  it('[2, 3]·[3, 2] by hand', () => {
    // [[1, 2, 3], [4, 5, 6]]·[[7, 8], [9, 10], [11, 12]] = [[58, 64], [139, 154]]
    const c = new Float64Array(4);
    referenceMatMul(
      Float64Array.of(1, 2, 3, 4, 5, 6),
      Float64Array.of(7, 8, 9, 10, 11, 12),
      c,
      1,
      2,
      2,
      3,
      false,
      false,
      0,
      0,
    );
    expect(Array.from(c)).toEqual([58, 64, 139, 154]);
  });

  it('transposed storage: Aᵀ stored [3, 2] and Bᵀ stored [2, 3] give the same product', () => {
    const c = new Float64Array(4);
    referenceMatMul(
      Float64Array.of(1, 4, 2, 5, 3, 6),
      Float64Array.of(7, 9, 11, 8, 10, 12),
      c,
      1,
      2,
      2,
      3,
      true,
      true,
      0,
      0,
    );
    expect(Array.from(c)).toEqual([58, 64, 139, 154]);
  });
});
