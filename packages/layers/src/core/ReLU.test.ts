import { ConfigError, tensor } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { gradCheckLayer } from '../testing/gradCheckLayer';
import { runLayerTest } from '../testing/layerTest';
import { ReLU, type ReLUOptions } from './ReLU';

const x = () => tensor([-4, -1, 0, 0.5, 1, 2, 3, 8]);

describe('ReLU', () => {
  // expected values by hand from y = min(x, M) for x > t, α·(x − t) otherwise
  const golden: Array<[string, ReLUOptions, number[]]> = [
    ['defaults: max(x, 0)', {}, [0, 0, 0, 0.5, 1, 2, 3, 8]],
    ['maxValue 6 (ReLU6)', { maxValue: 6 }, [0, 0, 0, 0.5, 1, 2, 3, 6]],
    ['negativeSlope 0.5 (leaky)', { negativeSlope: 0.5 }, [-2, -0.5, 0, 0.5, 1, 2, 3, 8]],
    ['threshold 1: x ≤ 1 is off', { threshold: 1 }, [0, 0, 0, 0, 0, 2, 3, 8]],
    [
      'threshold 1, negativeSlope 0.5, maxValue 2.5',
      { threshold: 1, negativeSlope: 0.5, maxValue: 2.5 },
      [-2.5, -1, -0.5, -0.25, 0, 2, 2.5, 2.5],
    ],
  ];
  it.each(golden)('%s', (_title, opts, want) => {
    expect(new ReLU(opts).apply(x()).toArray()).toEqual(want);
  });

  it.each(golden)('harness: %s keeps the shape and has no weights', (title, opts) => {
    runLayerTest({
      title,
      make: () => new ReLU(opts),
      inputShape: [2, 3, 3, 2],
      expectedOutputShape: [2, 3, 3, 2],
      expectedParams: 0,
    });
  });

  it('the @example: ReLU({ maxValue: 6 }) on [-1, 3, 8] gives [0, 3, 6]', () => {
    expect(new ReLU({ maxValue: 6 }).apply(tensor([-1, 3, 8])).toArray()).toEqual([0, 3, 6]);
  });

  it('gradient: 1 on the linear part, 0 where clipped at maxValue, α below the threshold', () => {
    const v = tensor([-1, 0.5, 1.5, 2, 5], undefined, { dtype: 'float64' }).requireGrad();
    new ReLU({ threshold: 1, negativeSlope: 0.25, maxValue: 3 }).apply(v).sum().backward();
    expect(Array.from(v.grad!.data)).toEqual([0.25, 0.25, 1, 1, 0]);
  });

  it('passes the float64 gradient check (random inputs avoid the kinks)', () => {
    const layer = new ReLU({ maxValue: 0.5, negativeSlope: 0.1, threshold: 0.2, dtype: 'float64' });
    expect(gradCheckLayer(layer, [3, 4])).toEqual([]);
  });

  const bad: Array<[string, ReLUOptions, string]> = [
    ['maxValue -1', { maxValue: -1 }, 'maxValue must be a non-negative number, but got -1'],
    ['negativeSlope -0.1', { negativeSlope: -0.1 }, 'negativeSlope must be a non-negative number, but got -0.1'],
    ['threshold NaN', { threshold: Number.NaN }, 'threshold must be a non-negative number, but got null'],
    ["maxValue '6'", { maxValue: '6' as never }, 'maxValue must be a non-negative number, but got "6"'],
  ];
  it.each(bad)('rejects %s', (_title, opts, message) => {
    const make = () => new ReLU({ ...opts, name: 'r' });
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(`ReLU 'r': ${message}`);
  });
});
