import { ConfigError, Generator, ones, rand, ShapeError, seed, type Tensor } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { deserializeLayer, serializeLayer } from '../registry';
import { gradCheckLayer } from '../testing/gradCheckLayer';
import { type LayerTestCase, runLayerTest } from '../testing/layerTest';
import { Dropout } from './Dropout';

const cases: LayerTestCase[] = [
  {
    title: 'Dropout rate=0.5 on [2, 3] at inference',
    make: () => new Dropout({ rate: 0.5 }),
    inputShape: [2, 3],
    expectedOutputShape: [2, 3],
    expectedParams: 0,
  },
  {
    title: 'Dropout rate=0.3 seed=1 on [2, 4, 4, 3] in training',
    make: () => new Dropout({ rate: 0.3, seed: 1 }),
    inputShape: [2, 4, 4, 3],
    expectedOutputShape: [2, 4, 4, 3],
    expectedParams: 0,
    training: true,
  },
  {
    title: 'Dropout rate=0.5 noiseShape=[null, 1, 1, null] on [2, 4, 4, 3] in training',
    make: () => new Dropout({ rate: 0.5, noiseShape: [null, 1, 1, null] }),
    inputShape: [2, 4, 4, 3],
    expectedOutputShape: [2, 4, 4, 3],
    expectedParams: 0,
    training: true,
  },
];

describe('Dropout', () => {
  for (const c of cases) it(c.title, () => runLayerTest(c));

  it('at inference is the identity (returns its input)', () => {
    const x = rand([4, 5], { generator: new Generator(1) });
    expect(new Dropout({ rate: 0.5 }).apply(x)).toBe(x);
    expect(new Dropout({ rate: 0.5 }).apply(x, { training: false })).toBe(x);
  });

  it('rate=0 in training is the identity', () => {
    const x = rand([4, 5], { generator: new Generator(1) });
    expect(new Dropout({ rate: 0 }).apply(x, { training: true })).toBe(x);
  });

  it('rate=0.3 on 100 000 ones keeps ≈70% and scales kept values by 1/0.7', () => {
    const y = new Dropout({ rate: 0.3, seed: 5 }).apply(ones([100, 1000]), { training: true });
    let kept = 0;
    for (const v of y.data) {
      if (v !== 0) {
        kept++;
        expect(v).toBeCloseTo(1 / 0.7, 6);
      }
    }
    // binomial std of the fraction: √(0.3·0.7/1e5) ≈ 0.0014, so 0.01 is 7 std away
    expect(Math.abs(kept / y.size - 0.7)).toBeLessThan(0.01);
  });

  it('the same seed gives the same masks, call after call; successive calls differ', () => {
    const x = ones([8, 16]);
    const a = new Dropout({ rate: 0.5, seed: 42 });
    const b = new Dropout({ rate: 0.5, seed: 42 });
    const a1 = Array.from(a.apply(x, { training: true }).data);
    const a2 = Array.from(a.apply(x, { training: true }).data);
    expect(Array.from(b.apply(x, { training: true }).data)).toEqual(a1);
    expect(Array.from(b.apply(x, { training: true }).data)).toEqual(a2);
    expect(a2).not.toEqual(a1);
  });

  it('seed survives the config round trip (the twin draws the same mask)', () => {
    const x = ones([4, 8]);
    const layer = new Dropout({ rate: 0.5, seed: 3 });
    const twin = deserializeLayer(JSON.parse(JSON.stringify(serializeLayer(layer))));
    expect(Array.from(twin.apply(x, { training: true }).data)).toEqual(
      Array.from(layer.apply(x, { training: true }).data),
    );
  });

  it('without a seed, masks come from the library-wide generator (seed() makes them reproducible)', () => {
    const x = ones([4, 8]);
    const run = (): number[] => {
      seed(11);
      return Array.from(new Dropout({ rate: 0.5 }).apply(x, { training: true }).data);
    };
    expect(run()).toEqual(run());
  });

  it('layer.generator, when set, takes precedence over seed', () => {
    const x = ones([4, 8]);
    const withSeed = new Dropout({ rate: 0.5, seed: 1 });
    withSeed.generator = new Generator(9);
    const other = new Dropout({ rate: 0.5, seed: 2 });
    other.generator = new Generator(9);
    expect(Array.from(withSeed.apply(x, { training: true }).data)).toEqual(
      Array.from(other.apply(x, { training: true }).data),
    );
  });

  it('noiseShape=[null, 1, 1, null] drops whole channels of an NHWC image', () => {
    const y = new Dropout({ rate: 0.5, seed: 4, noiseShape: [null, 1, 1, null] }).apply(ones([2, 3, 3, 8]), {
      training: true,
    });
    // every pixel of one (n, c) pair has the same value: 0 or 2
    for (let n = 0; n < 2; n++) {
      for (let c = 0; c < 8; c++) {
        const first = y.data[n * 72 + c];
        for (let p = 0; p < 9; p++) expect(y.data[n * 72 + p * 8 + c]).toBe(first);
      }
    }
    expect(new Set(y.data)).toEqual(new Set([0, 2]));
  });

  it('the @example: seed 1 on ones([1, 6])', () => {
    const drop = new Dropout({ rate: 0.5, seed: 1 });
    const y: Tensor = drop.apply(ones([1, 6]), { training: true });
    expect(y.toArray()).toEqual([[2, 2, 2, 0, 0, 2]]);
    expect(drop.apply(ones([1, 6])).toArray()).toEqual([[1, 1, 1, 1, 1, 1]]);
  });

  it('gradient w.r.t. the input in training (float64, seeded mask) matches central differences', () => {
    expect(gradCheckLayer(new Dropout({ rate: 0.4, dtype: 'float64' }), [2, 3, 3, 2], { training: true })).toEqual([]);
  });

  it('toString prints the options', () => {
    expect(String(new Dropout({ rate: 0.25, seed: 7 }))).toBe('Dropout(rate=0.25, seed=7)');
  });

  describe('errors', () => {
    it('rate=1 (would drop everything and divide by 0)', () => {
      expect(() => new Dropout({ rate: 1, name: 'd' })).toThrow(ConfigError);
      expect(() => new Dropout({ rate: 1, name: 'd' })).toThrow(
        /Dropout 'd': rate must be a number in \[0, 1\), but got 1/,
      );
    });
    it('rate=-0.1', () => {
      expect(() => new Dropout({ rate: -0.1 })).toThrow(/rate must be a number in \[0, 1\), but got -0.1/);
    });
    it('rate missing', () => {
      expect(() => new Dropout({} as never)).toThrow(/rate must be a number in \[0, 1\), but got undefined/);
    });
    it('non-integer seed', () => {
      expect(() => new Dropout({ rate: 0.5, seed: 1.5 })).toThrow(/seed must be an integer, but got 1.5/);
    });
    it('noiseShape with a zero', () => {
      expect(() => new Dropout({ rate: 0.5, noiseShape: [null, 0] })).toThrow(
        /noiseShape must be a list of positive integers or null, but got \[null,0\]/,
      );
    });
    it('noiseShape that does not fit the input', () => {
      const d = new Dropout({ rate: 0.5, noiseShape: [null, 2] });
      expect(() => d.apply(ones([4, 3]), { training: true })).toThrow(ShapeError);
      expect(() => d.apply(ones([4, 3]), { training: true })).toThrow(
        /noiseShape \[null, 2\] must have one entry per input axis, each 1, null or the input's size, but got input shape \[4, 3\]/,
      );
      const rank3 = new Dropout({ rate: 0.5, noiseShape: [null, 3] });
      expect(() => rank3.apply(ones([4, 3, 1]), { training: true })).toThrow(/one entry per input axis/);
    });
  });
});
