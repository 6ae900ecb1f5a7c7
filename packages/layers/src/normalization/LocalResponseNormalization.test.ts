import { ConfigError, Generator, ones, rand, ShapeError, tensor } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { gradCheckLayer } from '../testing/gradCheckLayer';
import { type LayerTestCase, runLayerTest } from '../testing/layerTest';
import { LocalResponseNormalization } from './LocalResponseNormalization';

const cases: LayerTestCase[] = [
  {
    title: 'LocalResponseNormalization defaults on [2, 4, 4, 6]',
    make: () => new LocalResponseNormalization(),
    inputShape: [2, 4, 4, 6],
    expectedOutputShape: [2, 4, 4, 6],
    expectedParams: 0,
  },
  {
    title: 'LocalResponseNormalization depthRadius=0 bias=1 alpha=1 beta=0.5 on [1, 3, 3, 2]',
    make: () => new LocalResponseNormalization({ depthRadius: 0, bias: 1, alpha: 1, beta: 0.5 }),
    inputShape: [1, 3, 3, 2],
    expectedOutputShape: [1, 3, 3, 2],
    expectedParams: 0,
  },
];

/** The formula of the TSDoc, by plain loops over an NHWC array (the naive reference). */
function naiveLrn(x: ArrayLike<number>, channels: number, r: number, k: number, alpha: number, beta: number): number[] {
  const y: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    const pixel = i - c; // flat index of channel 0 at this (n, h, w)
    let sum = 0;
    for (let j = Math.max(0, c - r); j <= Math.min(channels - 1, c + r); j++) sum += x[pixel + j]! ** 2;
    y.push(x[i]! / (k + alpha * sum) ** beta);
  }
  return y;
}

describe('LocalResponseNormalization', () => {
  for (const c of cases) it(c.title, () => runLayerTest(c));

  it('the @example: [1, 2, 3] with r=1, k=1, α=1, β=1 is [1/6, 2/15, 3/14]', () => {
    const lrn = new LocalResponseNormalization({ depthRadius: 1, bias: 1, alpha: 1, beta: 1 });
    const y = lrn.apply(tensor([1, 2, 3], [1, 1, 1, 3], { dtype: 'float64' }));
    expect(Array.from(y.data)).toEqual([1 / 6, 2 / 15, 3 / 14]);
  });

  it('α multiplies the sum of squares, not their mean: r=2, 5 channels of 1 give 1/(2 + 5α)^0.75 at the centre', () => {
    const y = new LocalResponseNormalization({ alpha: 0.1 }).apply(ones([1, 1, 1, 5]));
    expect(y.data[2]).toBeCloseTo(1 / (2 + 0.5) ** 0.75, 6);
    // edge channel 0 sees channels 0, 1, 2 only
    expect(y.data[0]).toBeCloseTo(1 / (2 + 0.3) ** 0.75, 6);
  });

  for (const [r, k, alpha, beta, channels] of [
    [2, 2, 1e-4, 0.75, 7],
    [1, 1, 0.5, 0.5, 4],
    [3, 0.5, 2, 1.5, 5],
    [5, 1, 1, 0.5, 3], // the window is wider than the channels
  ] as const) {
    it(`matches the naive loop: r=${r} k=${k} α=${alpha} β=${beta} on [2, 2, 3, ${channels}]`, () => {
      const x = rand([2, 2, 3, channels], {
        low: -3,
        high: 3,
        generator: new Generator(r + channels),
        dtype: 'float64',
      });
      const y = new LocalResponseNormalization({ depthRadius: r, bias: k, alpha, beta, dtype: 'float64' }).apply(x);
      const expected = naiveLrn(x.data, channels, r, k, alpha, beta);
      Array.from(y.data).forEach((v, i) => {
        expect(v).toBeCloseTo(expected[i]!, 12);
      });
    });
  }

  it('gradient w.r.t. the input with AlexNet defaults on [1, 2, 2, 7] (float64) matches central differences', () => {
    expect(gradCheckLayer(new LocalResponseNormalization({ dtype: 'float64' }), [1, 2, 2, 7])).toEqual([]);
  });

  it('gradient w.r.t. the input with r=1 k=1 α=0.8 β=0.6 on [2, 2, 1, 4] (float64) matches central differences', () => {
    const lrn = new LocalResponseNormalization({ depthRadius: 1, bias: 1, alpha: 0.8, beta: 0.6, dtype: 'float64' });
    expect(gradCheckLayer(lrn, [2, 2, 1, 4])).toEqual([]);
  });

  it('toString prints the options', () => {
    expect(String(new LocalResponseNormalization())).toBe(
      'LocalResponseNormalization(depthRadius=2, bias=2, alpha=0.0001, beta=0.75)',
    );
  });

  describe('errors', () => {
    it('negative or fractional depthRadius', () => {
      expect(() => new LocalResponseNormalization({ depthRadius: -1, name: 'lrn' })).toThrow(ConfigError);
      expect(() => new LocalResponseNormalization({ depthRadius: -1, name: 'lrn' })).toThrow(
        /LocalResponseNormalization 'lrn': depthRadius must be a non-negative integer, but got -1/,
      );
      expect(() => new LocalResponseNormalization({ depthRadius: 1.5 })).toThrow(
        /depthRadius must be a non-negative integer, but got 1.5/,
      );
    });
    it('bias ≤ 0', () => {
      expect(() => new LocalResponseNormalization({ bias: 0 })).toThrow(/bias must be a positive number, but got 0/);
    });
    it('negative alpha', () => {
      expect(() => new LocalResponseNormalization({ alpha: -1e-4 })).toThrow(
        /alpha must be a non-negative number, but got -0.0001/,
      );
    });
    it('non-finite beta', () => {
      expect(() => new LocalResponseNormalization({ beta: Number.NaN })).toThrow(
        /beta must be a finite number, but got NaN/,
      );
    });
    it('input that is not [batch, height, width, channels]', () => {
      const lrn = new LocalResponseNormalization({ name: 'lrn' });
      expect(() => lrn.apply(ones([4, 4, 3]))).toThrow(ShapeError);
      expect(() => lrn.apply(ones([4, 4, 3]))).toThrow(
        /LocalResponseNormalization 'lrn' expects input \[batch, height, width, channels\], got \[4, 4, 3\]; add a batch dimension/,
      );
    });
  });
});

describe('LocalResponseNormalization: a radius past the channels', () => {
  // found by the fuzzer (tests/fuzz fixture 8166f04b63223462): depthRadius 2^31 − 1 from a config
  // padded the channels to 2^32 + 2 and failed in pad, naming neither the layer nor the option
  it('depthRadius 2^31 − 1 on 4 channels is depthRadius 3: every window holds all the channels', () => {
    const x = rand([2, 3, 3, 4], { generator: new Generator(7) });
    const huge = new LocalResponseNormalization({ depthRadius: 2 ** 31 - 1 }).apply(x);
    const all = new LocalResponseNormalization({ depthRadius: 3 }).apply(x);
    expect(Array.from(huge.data)).toEqual(Array.from(all.data));
  });
});
