/**
 * relu, reluBackward, biasActivation and biasActivationBackward of the 'cpu' (branch-free
 * JavaScript) and 'wasm' (SIMD) backends against the 'reference' loops, on random sizes and on
 * the values where a bit trick or a lane mask could go wrong: ±0, ±∞, NaN of both signs,
 * subnormals.
 *
 * y and dpre must equal the reference bit for bit (the same float32 adds, and selections that
 * either keep a value or give +0). dbias is a sum over rows: the reference adds in float64, the
 * cpu kernel too, and the wasm kernel in float32 blocks of 16 terms carried in float64 (Note
 * [WASM bias + activation: four lanes, no branches]), so per channel
 *     |got − want| ≤ (16 + 2)·u·(|start| + Σ_rows |dpre|),    u = 2⁻²⁴,
 * 16 roundings inside a block, one into dbias, one to spare. A plain float32 running sum over the
 * 50,176 rows of the LeNet case below would exceed it.
 */
import { describe, expect, it } from 'vitest';
import type { TypedArray } from '../dtype';
import { Generator } from '../random';
import type { Backend, FusedActivation } from './backend';
import { cpuBackend } from './cpu/index';
import { referenceBackend as ref } from './reference/index';
import { loadWasmSync, wasmBackend } from './wasm/index';

const available = loadWasmSync();
const U = 2 ** -24;

/** A float32 from its bit pattern (for −NaN, subnormals). */
function fromBits(bits: number): number {
  return new Float32Array(new Int32Array([bits]).buffer)[0]!;
}

// the values a sign trick or a lane mask can get wrong
const SPECIAL = [
  0,
  -0,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
  fromBits(0xffc00000 | 0), // a NaN with the sign bit set (x86's default NaN)
  fromBits(1), // the smallest subnormal
  fromBits(0x80000001 | 0), // its negative
  fromBits(0x7f7fffff), // the largest finite float32
  -fromBits(0x7f7fffff),
];

/** n float32 values: normals, with exact zeros and (if asked) the special values sprinkled in. */
function values(n: number, g: Generator, special: boolean): Float32Array {
  return Float32Array.from({ length: n }, () => {
    const u = g.uniform();
    if (special && u < 0.15) return SPECIAL[g.int(0, SPECIAL.length)]!;
    return u < 0.2 ? 0 : g.normal();
  });
}

/** Bitwise-level equality as vitest sees it: NaN equals NaN, +0 and −0 differ. */
function expectSame(got: TypedArray, want: TypedArray): void {
  expect(Array.from(got)).toEqual(Array.from(want));
}

// sizes: empty, below one vector, ragged tails, several tile repeats, many flush blocks
const SIZES: [number, number][] = [
  [0, 3],
  [1, 1],
  [1, 3],
  [2, 5],
  [3, 6],
  [7, 4],
  [9, 16],
  [33, 10],
  [64, 7],
  [130, 120],
  [257, 84],
];

const backends: [string, Backend][] = [['cpu', cpuBackend]];
if (available) backends.push(['wasm', wasmBackend]);

describe.each(backends)('%s backend: relu and fused bias + activation vs reference', (_name, backend) => {
  it.each([0, 1, 3, 4, 5, 17, 1000, 4099])('relu and reluBackward, n=%i, special values', (n) => {
    const g = new Generator(n + 1);
    const x = values(n, g, true);
    const want = new Float32Array(n);
    ref.relu(x, want);
    const got = new Float32Array(n).fill(Number.NaN);
    backend.relu(x, got);
    expectSame(got, want);
    // in place
    const inPlace = Float32Array.from(x);
    backend.relu(inPlace, inPlace);
    expectSame(inPlace, want);

    // accumulates into dx: start from non-zero values (no −0, which += 0 may turn into +0)
    const dy = values(n, g, true);
    const start = Float32Array.from({ length: n }, () => g.normal() + 0.25);
    const dxWant = Float32Array.from(start);
    ref.reluBackward(dy, x, dxWant);
    const dx = Float32Array.from(start);
    backend.reluBackward(dy, x, dx);
    expectSame(dx, dxWant);
  });

  const activations: FusedActivation[] = ['relu', 'linear'];
  describe.each(activations)('activation %s', (activation) => {
    it.each(SIZES)('biasActivation rows=%i channels=%i, with and without bias', (rows, channels) => {
      const g = new Generator(rows * 97 + channels);
      const y0 = values(rows * channels, g, true);
      const bias = values(channels, g, false);
      for (const b of [bias, null]) {
        const want = Float32Array.from(y0);
        ref.biasActivation(want, b, channels, activation);
        const got = Float32Array.from(y0);
        backend.biasActivation(got, b, channels, activation);
        expectSame(got, want);
      }
    });

    it.each(SIZES)('biasActivationBackward rows=%i channels=%i', (rows, channels) => {
      const g = new Generator(rows * 89 + channels);
      const n = rows * channels;
      // y as the forward would leave it: relu outputs are ≥ 0 or NaN. NaNs of both signs are left
      // as they are (Math.max would give x86's default NaN, which has the sign bit set)
      const y = values(n, g, true);
      if (activation === 'relu') for (let i = 0; i < n; i++) if (y[i]! <= 0) y[i] = 0;
      const dy = values(n, g, false);
      const start = Float32Array.from({ length: channels }, () => g.normal());
      const dpreWant = new Float32Array(n);
      const dbiasWant = Float64Array.from(start);
      ref.biasActivationBackward(dy, y, dpreWant, dbiasWant, channels, activation);

      const dpre = new Float32Array(n).fill(Number.NaN);
      const dbias = Float32Array.from(start);
      backend.biasActivationBackward(dy, y, dpre, dbias, channels, activation);
      expectSame(dpre, dpreWant);
      expectSumsClose(dbias, dbiasWant, start, dpreWant, channels);

      // no bias: only dpre
      const dpreOnly = new Float32Array(n).fill(Number.NaN);
      backend.biasActivationBackward(dy, y, dpreOnly, null, channels, activation);
      expectSame(dpreOnly, dpreWant);
    });
  });

  it('LeNet conv1 at batch 64 (50,176 rows of 6): the bias gradient keeps its precision', () => {
    const g = new Generator(7);
    const channels = 6;
    const n = 64 * 28 * 28 * channels;
    // a constant gradient is the worst case for one float32 running sum: every addition rounds the
    // same way, and that sum would be off by ~3000·u·T here; the blocked sums stay within 18·u·T
    const dy = new Float32Array(n).fill(1 / 3);
    const y = Float32Array.from({ length: n }, () => g.normal());
    ref.relu(y, y);
    const dpreWant = new Float32Array(n);
    const dbiasWant = new Float64Array(channels);
    ref.biasActivationBackward(dy, y, dpreWant, dbiasWant, channels, 'relu');
    const dpre = new Float32Array(n);
    const dbias = new Float32Array(channels);
    backend.biasActivationBackward(dy, y, dpre, dbias, channels, 'relu');
    expectSame(dpre, dpreWant);
    expectSumsClose(dbias, dbiasWant, new Float32Array(channels), dpreWant, channels);
  });

  it('linear backward with dpre = dy (in place): dy is left as it is and dbias still sums', () => {
    const g = new Generator(8);
    const dy = values(40 * 5, g, false);
    const copy = Float32Array.from(dy);
    const dbias = new Float32Array(5);
    const want = new Float64Array(5);
    ref.biasActivationBackward(copy, copy, new Float32Array(copy.length), want, 5, 'linear');
    backend.biasActivationBackward(dy, dy, dy, dbias, 5, 'linear');
    expectSame(dy, copy);
    expectSumsClose(dbias, want, new Float32Array(5), copy, 5);
  });

  it('float64 arrays: the same values as the reference', () => {
    const g = new Generator(9);
    const channels = 7;
    const n = 11 * channels;
    const x = Float64Array.from(values(n, g, true));
    const bias = Float64Array.from(values(channels, g, false));
    const want = Float64Array.from(x);
    ref.biasActivation(want, bias, channels, 'relu');
    const got = Float64Array.from(x);
    backend.biasActivation(got, bias, channels, 'relu');
    expectSame(got, want);

    const dy = Float64Array.from(values(n, g, false));
    const dpreWant = new Float64Array(n);
    const dbiasWant = new Float64Array(channels).fill(0.5);
    ref.biasActivationBackward(dy, got, dpreWant, dbiasWant, channels, 'relu');
    const dpre = new Float64Array(n);
    const dbias = new Float64Array(channels).fill(0.5);
    backend.biasActivationBackward(dy, got, dpre, dbias, channels, 'relu');
    expectSame(dpre, dpreWant);
    expectSame(dbias, dbiasWant);

    const r = new Float64Array(n);
    backend.relu(x, r);
    const rWant = new Float64Array(n);
    ref.relu(x, rWant);
    expectSame(r, rWant);
  });
});

/** dbias against the float64 reference, within the bound in the header (NaN where it is NaN). */
function expectSumsClose(
  got: TypedArray,
  want: TypedArray,
  start: TypedArray,
  dpre: TypedArray,
  channels: number,
): void {
  for (let c = 0; c < channels; c++) {
    let sumAbs = Math.abs(start[c]!);
    for (let i = c; i < dpre.length; i += channels) sumAbs += Math.abs(dpre[i]!);
    const tol = 18 * U * sumAbs;
    const w = want[c]!;
    if (Number.isNaN(w)) expect(got[c]).toBeNaN();
    else if (!(Math.abs(got[c]! - w) <= tol)) expect.fail(`dbias[${c}] is ${got[c]}, reference ${w} (tol ${tol})`);
  }
}
