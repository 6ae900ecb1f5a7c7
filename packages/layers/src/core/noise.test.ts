import { ConfigError, ones, ShapeError, tensor } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { gradCheckLayer } from '../testing/gradCheckLayer';
import { runLayerTest } from '../testing/layerTest';
import { GaussianNoise } from './GaussianNoise';
import { SpatialDropout2D } from './SpatialDropout2D';

describe('SpatialDropout2D', () => {
  it('drops whole channels of each example, scales the kept ones, and is the identity at inference', () => {
    const layer = new SpatialDropout2D({ rate: 0.5, seed: 3 });
    const y = layer.apply(ones([4, 3, 3, 8]), { training: true });
    const v = Array.from(y.data);
    let dropped = 0;
    for (let n = 0; n < 4; n++) {
      for (let c = 0; c < 8; c++) {
        const cells = Array.from({ length: 9 }, (_, p) => v[n * 72 + p * 8 + c]!);
        expect(new Set(cells).size).toBe(1); // one draw per (example, channel)
        expect([0, 2]).toContain(cells[0]);
        if (cells[0] === 0) dropped++;
      }
    }
    expect(dropped).toBeGreaterThan(4);
    expect(dropped).toBeLessThan(28);
    expect(layer.apply(ones([1, 2, 2, 3])).toArray()).toEqual(ones([1, 2, 2, 3]).toArray());
  });

  it('round-trips its config (rate, seed) and refuses non-images', () => {
    runLayerTest({
      title: 'SpatialDropout2D',
      make: () => new SpatialDropout2D({ rate: 0.3, seed: 1 }),
      inputShape: [2, 3, 3, 2],
      expectedOutputShape: [2, 3, 3, 2],
      expectedParams: 0,
    });
    expect(new SpatialDropout2D({ rate: 0.3 }).getConfig()).not.toHaveProperty('noiseShape');
    expect(() => new SpatialDropout2D({ rate: 0.3, name: 's' }).apply(ones([2, 3]), { training: true })).toThrow(
      ShapeError,
    );
    expect(() => new SpatialDropout2D({ rate: 1, name: 's' })).toThrow(
      /^SpatialDropout2D 's': rate must be a number in \[0, 1\)/,
    );
    expect(() => new SpatialDropout2D({ rate: 0.1, noiseShape: [1] } as never)).toThrow(/unknown option 'noiseShape'/);
  });
});

describe('GaussianNoise', () => {
  it('adds N(0, stddev²) noise in training only', () => {
    const layer = new GaussianNoise({ stddev: 0.5, seed: 2 });
    const x = tensor(new Float32Array(20000).fill(1), [100, 200]);
    const y = layer.apply(x, { training: true });
    const d = Array.from(y.data, (v) => v - 1);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const std = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(std).toBeCloseTo(0.5, 1);
    expect(Array.from(layer.apply(x).data)).toEqual(Array.from(x.data));
  });

  it('round-trips its config, passes the gradient check (dy flows through), refuses a bad stddev', () => {
    runLayerTest({
      title: 'GaussianNoise',
      make: () => new GaussianNoise({ stddev: 0.1, seed: 4 }),
      inputShape: [2, 5],
      expectedOutputShape: [2, 5],
      expectedParams: 0,
    });
    // noise is added to the value, not to the function: in training the check's evaluations would draw
    // different noise, so it runs at inference, where dy flows through unchanged as in training
    const layer = new GaussianNoise({ stddev: 0.3, dtype: 'float64' });
    expect(gradCheckLayer(layer, [3, 4], { training: false })).toEqual([]);
    expect(() => new GaussianNoise({ stddev: -1, name: 'g' })).toThrow(ConfigError);
    expect(() => new GaussianNoise({ name: 'g' } as never)).toThrow(
      /^GaussianNoise 'g': stddev must be a non-negative number, but got undefined/,
    );
  });
});
