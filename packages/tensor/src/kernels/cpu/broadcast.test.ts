import { describe, expect, it } from 'vitest';
import type { TypedArray } from '../../dtype';
import { Generator } from '../../random';
import { sizeOf } from '../../shape';
import { type BinaryLayout, binaryLayout, broadcastIndex, tiles, unbroadcastSum } from './broadcast';
import * as kernels from './elementwise';

describe('broadcastIndex', () => {
  it('doc examples: out=[2,3] from [3] and from [2,1]', () => {
    expect(Array.from(broadcastIndex([2, 3], [3]))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(Array.from(broadcastIndex([2, 3], [2, 1]))).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('out=[2,2,3] from [2,1,3]: the middle axis repeats', () => {
    // in[n, 0, c] sits at n·3 + c
    expect(Array.from(broadcastIndex([2, 2, 3], [2, 1, 3]))).toEqual([0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5]);
  });

  it('out=[2,3] from [] and from [2,3]', () => {
    expect(Array.from(broadcastIndex([2, 3], []))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(broadcastIndex([2, 3], [2, 3]))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('out=[] from [] is [0]; out with a 0 axis is empty', () => {
    expect(Array.from(broadcastIndex([], []))).toEqual([0]);
    expect(broadcastIndex([0, 3], [3]).length).toBe(0);
  });
});

describe('tiles', () => {
  it('doc examples', () => {
    expect(tiles([4, 5, 6], [6])).toBe(true);
    expect(tiles([4, 5, 6], [1, 5, 6])).toBe(true);
    expect(tiles([4, 5, 6], [])).toBe(true);
    expect(tiles([4, 5, 6], [5, 1])).toBe(false);
  });

  it('leading 1s only: an inner or trailing 1 that the output stretches is not a whole repeat', () => {
    expect(tiles([4, 5, 6], [1, 1, 6])).toBe(true);
    expect(tiles([4, 1, 6], [1, 6])).toBe(true); // [1, 6] is the output's last axes as they are
    expect(tiles([4, 5, 6], [4, 1, 6])).toBe(false);
    expect(tiles([4, 5, 6], [4, 5, 1])).toBe(false);
    expect(tiles([2, 3], [2, 3])).toBe(true);
  });
});

describe('binaryLayout', () => {
  it('picks same / scalarA / scalarB / tiledA / tiledB / indexed', () => {
    expect(binaryLayout([2, 3], [2, 3], [2, 3]).kind).toBe('same');
    expect(binaryLayout([1, 3], [3], [1, 3]).kind).toBe('same');
    expect(binaryLayout([2, 3], [], [2, 3]).kind).toBe('scalarA');
    expect(binaryLayout([2, 3], [2, 3], [1, 1]).kind).toBe('scalarB');
    expect(binaryLayout([2, 3], [2, 3], [3])).toEqual({ kind: 'tiledB', len: 3 });
    expect(binaryLayout([4, 2, 3], [1, 2, 3], [4, 2, 3])).toEqual({ kind: 'tiledA', len: 6 });
    expect(binaryLayout([2, 3], [2, 3], [2, 1]).kind).toBe('indexed');
    // both sides broadcast: neither has the output's size, so no single-block loop fits
    expect(binaryLayout([2, 3], [3], [2, 1]).kind).toBe('indexed');
    expect(binaryLayout([2, 4, 3], [2, 1, 3], [3]).kind).toBe('indexed');
  });
});

// ---- the tiled layouts against the indexed path -------------------------------------------------
// Every binary kernel must compute the same thing whichever layout reads its inputs. 'indexed' is
// the general path (an index per element, straight from broadcastIndex), so it is the oracle for
// the tiled loops: same operations on the same operands, so the results agree bit for bit.

/** Random output shapes (rank 1-4, sizes 1-5) and an operand made of its last k axes, with 0-2 leading 1s. */
function randomTiledCases(count: number, seed: number): { out: number[]; tiled: number[] }[] {
  const g = new Generator(seed);
  const cases: { out: number[]; tiled: number[] }[] = [];
  while (cases.length < count) {
    const rank = g.int(1, 5);
    const out = Array.from({ length: rank }, () => g.int(1, 6));
    const k = g.int(0, rank + 1);
    const ones = g.int(0, rank - k + 1); // the operand's rank must not exceed the output's
    const tiled = [...Array<number>(Math.min(ones, 2)).fill(1), ...out.slice(rank - k)];
    cases.push({ out, tiled });
  }
  return cases;
}

/** Values with both signs, zeros, and a few integers (pow's exponents, ties for the masks). */
function randomValues(n: number, g: Generator): Float32Array {
  return Float32Array.from({ length: n }, () => {
    const u = g.uniform();
    return u < 0.1 ? 0 : u < 0.3 ? g.int(-3, 4) : g.normal() * 2;
  });
}

type BinaryKernel = (a: TypedArray, b: TypedArray, y: TypedArray, layout: BinaryLayout) => void;
const binaryKernels: [string, BinaryKernel][] = [
  ['add', kernels.add],
  ['sub', kernels.sub],
  ['mul', kernels.mul],
  ['div', kernels.div],
  ['pow', kernels.pow],
  ['maximum', kernels.maximum],
  ['minimum', kernels.minimum],
  ['greaterEqualMask', kernels.greaterEqualMask],
  ['lessEqualMask', kernels.lessEqualMask],
  ['powGradBase', kernels.powGradBase],
  ['powGradExponent', kernels.powGradExponent],
];

describe.each(binaryKernels)('%s: tiled layouts equal the indexed path', (_name, kernel) => {
  const cases = randomTiledCases(40, 7);
  it.each(cases.map((c) => [`out=[${c.out}] tiled=[${c.tiled}]`, c] as const))('%s', (_title, { out, tiled }) => {
    const g = new Generator(sizeOf(out) * 31 + tiled.length);
    const full = randomValues(sizeOf(out), g);
    const part = randomValues(sizeOf(tiled), g);
    const indexed = (aShape: number[], bShape: number[]): BinaryLayout => ({
      kind: 'indexed',
      aIndex: broadcastIndex(out, aShape),
      bIndex: broadcastIndex(out, bShape),
    });
    // b tiled: y = full ∘ part;  a tiled: y = part ∘ full
    for (const [a, aShape, b, bShape] of [
      [full, out, part, tiled],
      [part, tiled, full, out],
    ] as const) {
      const layout = binaryLayout(out, aShape, bShape);
      expect(layout.kind).not.toBe('indexed');
      const got = new Float32Array(full.length);
      const want = new Float32Array(full.length);
      kernel(a, b, got, layout);
      kernel(a, b, want, indexed(aShape, bShape));
      expect(Array.from(got)).toEqual(Array.from(want));
    }
  });
});

describe('unbroadcastSum: a whole repeat (index null) equals the indexed sum', () => {
  const cases = randomTiledCases(40, 8);
  it.each(cases.map((c) => [`dy=[${c.out}] dx=[${c.tiled}]`, c] as const))('%s', (_title, { out, tiled }) => {
    const g = new Generator(sizeOf(out) + 7 * tiled.length);
    const dy = randomValues(sizeOf(out), g);
    // dx starts non-zero: the sum is added to it
    const start = randomValues(sizeOf(tiled), g);
    const got = Float32Array.from(start);
    const want = Float32Array.from(start);
    unbroadcastSum(dy, null, got);
    unbroadcastSum(dy, broadcastIndex(out, tiled), want);
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  it('a bias [3] of [2, 2, 3] by hand: the sum over the four rows', () => {
    const dy = Float64Array.from({ length: 12 }, (_, i) => i); // rows [0 1 2] [3 4 5] [6 7 8] [9 10 11]
    const dx = new Float64Array([100, 200, 300]);
    unbroadcastSum(dy, null, dx);
    expect(Array.from(dx)).toEqual([100 + 18, 200 + 22, 300 + 26]);
  });
});

describe('where: inputs read at i mod their size (index null) equal the indexed read', () => {
  const cases = randomTiledCases(30, 9);
  it.each(cases.map((c) => [`out=[${c.out}] tiled=[${c.tiled}]`, c] as const))('%s', (_title, { out, tiled }) => {
    const g = new Generator(sizeOf(out) + 13 * tiled.length);
    const n = sizeOf(out);
    // every input in turn is the tiled one; a scalar [] joins in as well
    const shapes: number[][][] = [
      [tiled, out, out],
      [out, tiled, []],
      [[], out, tiled],
    ];
    for (const [cShape, aShape, bShape] of shapes) {
      const c = randomValues(sizeOf(cShape!), g);
      const a = randomValues(sizeOf(aShape!), g);
      const b = randomValues(sizeOf(bShape!), g);
      const got = new Float32Array(n);
      const want = new Float32Array(n);
      kernels.where(c, a, b, got, null, null, null);
      const idx = (s: number[]) => broadcastIndex(out, s);
      kernels.where(c, a, b, want, idx(cShape!), idx(aShape!), idx(bShape!));
      expect(Array.from(got)).toEqual(Array.from(want));
    }
  });
});
