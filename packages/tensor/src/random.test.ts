import { describe, expect, it } from 'vitest';
import { rand, randInt, randn } from './ops/creation';
import { Generator, getGenerator, seed } from './random';

/** Mean and (population) variance of a flat array. */
function moments(data: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < data.length; i++) s += data[i]!;
  const mean = s / data.length;
  let v = 0;
  for (let i = 0; i < data.length; i++) v += (data[i]! - mean) ** 2;
  return { mean, variance: v / data.length };
}

describe('Generator', () => {
  it('the same seed gives the same stream; another seed another stream', () => {
    const a = new Generator(42);
    const b = new Generator(42);
    const c = new Generator(43);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it('seed() restarts the stream, including the spare normal', () => {
    const g = new Generator(7);
    const first = [g.normal(), g.uniform()];
    g.normal(); // leaves a spare normal behind
    g.seed(7);
    expect([g.normal(), g.uniform()]).toEqual(first);
  });

  it('uniform() stays in [0, 1) and int() in [low, high)', () => {
    const g = new Generator(1);
    for (let i = 0; i < 10_000; i++) {
      const u = g.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      const k = g.int(-2, 3);
      expect(Number.isInteger(k) && k >= -2 && k < 3).toBe(true);
    }
  });

  it('shuffle is a permutation', () => {
    const a = new Generator(3).shuffle([0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...a].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(a).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('rand, randn, randInt', () => {
  it('seed(n) makes the library-wide draws reproducible', () => {
    seed(123);
    const a = randn([4]).toArray();
    seed(123);
    expect(randn([4]).toArray()).toEqual(a);
    expect(getGenerator()).toBeInstanceOf(Generator);
  });

  it('an explicit generator does not touch the global one', () => {
    seed(5);
    const expected = rand([3]).toArray();
    seed(5);
    rand([100], { generator: new Generator(9) });
    expect(rand([3]).toArray()).toEqual(expected);
  });

  it('rand [0, 1): mean ≈ 1/2, variance ≈ 1/12; low/high shift and scale it', () => {
    const m = moments(rand([20_000], { generator: new Generator(11) }).data);
    expect(m.mean).toBeCloseTo(0.5, 2);
    expect(m.variance).toBeCloseTo(1 / 12, 2);
    const x = rand([1000], { low: -3, high: -1, generator: new Generator(12) }).data;
    expect(Math.min(...x)).toBeGreaterThanOrEqual(-3);
    expect(Math.max(...x)).toBeLessThan(-1);
  });

  it('randn: mean ≈ 0 and std ≈ 1, or the requested ones', () => {
    const m = moments(randn([20_000], { generator: new Generator(13) }).data);
    expect(Math.abs(m.mean)).toBeLessThan(0.03);
    expect(Math.sqrt(m.variance)).toBeCloseTo(1, 1);
    const s = moments(randn([20_000], { mean: 5, std: 2, dtype: 'float64', generator: new Generator(14) }).data);
    expect(s.mean).toBeCloseTo(5, 1);
    expect(Math.sqrt(s.variance)).toBeCloseTo(2, 1);
  });

  it('randInt: integers in [low, high), every value drawn', () => {
    const x = randInt([2000], 3, 7, { generator: new Generator(15) }).data;
    const seen = new Set(x);
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('argument errors name the values', () => {
    expect(() => rand([2], { low: 1, high: 1 })).toThrow(/high must be greater than low, but got low=1, high=1/);
    expect(() => randn([2], { std: -1 })).toThrow(/std must be non-negative, but got -1/);
    expect(() => randInt([2], 0.5, 3)).toThrow(/low < high, but got low=0.5, high=3/);
  });
});
