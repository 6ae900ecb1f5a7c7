import { ConfigError, Generator, rand, ShapeError, tensor } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { gradCheckLayer } from '../testing/gradCheckLayer';
import { runLayerTest } from '../testing/layerTest';
import { GroupNormalization } from './GroupNormalization';
import { LayerNormalization } from './LayerNormalization';

describe('LayerNormalization', () => {
  it('normalizes each example on its own, the same in training and inference', () => {
    const ln = new LayerNormalization({ epsilon: 0 });
    const x = tensor(
      [
        [1, 3],
        [10, 30],
      ],
      undefined,
      { dtype: 'float64' },
    );
    expect(ln.apply(x).toArray()).toEqual([
      [-1, 1],
      [-1, 1],
    ]);
    expect(ln.apply(x, { training: true }).toArray()).toEqual([
      [-1, 1],
      [-1, 1],
    ]);
  });

  it.each([
    [{}, [2, 3, 4], 8],
    [{ axis: [1, 2, 3] }, [2, 3, 4, 5], 2 * 60],
    [{ axis: [-2, -1], center: false }, [2, 3, 4, 5], 20],
  ] as const)('%j on %j: %d parameters, config round trip', (options, inputShape, params) => {
    runLayerTest({
      title: JSON.stringify(options),
      make: () =>
        new LayerNormalization({ ...options, betaInitializer: 'glorotUniform', gammaInitializer: 'glorotUniform' }),
      inputShape,
      expectedOutputShape: inputShape,
      expectedParams: params,
    });
  });

  it('passes the gradient check w.r.t. input, gamma and beta', () => {
    const ln = new LayerNormalization({
      axis: [2, 3],
      dtype: 'float64',
      gammaInitializer: 'glorotUniform',
      betaInitializer: 'glorotUniform',
    });
    expect(gradCheckLayer(ln, [2, 3, 2, 3])).toEqual([]);
  });

  it('refuses the batch axis, a bad axis and a negative epsilon', () => {
    expect(() => new LayerNormalization({ axis: 0, name: 'ln' }).apply(tensor([[1, 2]]))).toThrow(
      /^LayerNormalization 'ln': axis \[0\] must name non-batch axes of the input, in \[1, 1\], but got an input \[1, 2\]/,
    );
    expect(() => new LayerNormalization({ axis: [] as never, name: 'ln' })).toThrow(ConfigError);
    expect(() => new LayerNormalization({ epsilon: -1, name: 'ln' })).toThrow(
      /epsilon must be a number in \[0, Infinity\)/,
    );
  });
});

describe('GroupNormalization', () => {
  it('normalizes each group of channels per example over positions and channels', () => {
    const gn = new GroupNormalization({ groups: 2, epsilon: 0 });
    expect(gn.apply(tensor([[1, 3, 10, 30]], undefined, { dtype: 'float64' })).toArray()).toEqual([[-1, 1, -1, 1]]);
  });

  it('matches a loop over examples and groups on [2, 3, 2, 6] with 3 groups', () => {
    const x = rand([2, 3, 2, 6], { generator: new Generator(4), dtype: 'float64' });
    const y = new GroupNormalization({ groups: 3, dtype: 'float64' }).apply(x);
    for (let n = 0; n < 2; n++) {
      for (let g = 0; g < 3; g++) {
        const idx: number[] = [];
        for (let p = 0; p < 6; p++) for (let c = 2 * g; c < 2 * g + 2; c++) idx.push(n * 36 + p * 6 + c);
        const vals = idx.map((i) => x.data[i]!);
        const mu = vals.reduce((a, b) => a + b, 0) / vals.length;
        const v = vals.reduce((a, b) => a + (b - mu) ** 2, 0) / vals.length;
        idx.forEach((i, k) => {
          expect(y.data[i]).toBeCloseTo((vals[k]! - mu) / Math.sqrt(v + 1e-3), 12);
        });
      }
    }
  });

  it('round-trips its config (gamma, beta [C]) and passes the gradient check', () => {
    runLayerTest({
      title: 'groups 4',
      make: () =>
        new GroupNormalization({ groups: 4, gammaInitializer: 'glorotUniform', betaInitializer: 'glorotUniform' }),
      inputShape: [2, 3, 3, 8],
      expectedOutputShape: [2, 3, 3, 8],
      expectedParams: 16,
    });
    const gn = new GroupNormalization({
      groups: 2,
      dtype: 'float64',
      gammaInitializer: 'glorotUniform',
      betaInitializer: 'glorotUniform',
    });
    expect(gradCheckLayer(gn, [2, 2, 3, 4])).toEqual([]);
  });

  it('refuses groups that do not divide the channels, and an axis other than -1', () => {
    expect(() => new GroupNormalization({ name: 'gn' }).apply(tensor([[1, 2, 3]]))).toThrow(ShapeError);
    expect(() => new GroupNormalization({ name: 'gn' }).apply(tensor([[1, 2, 3]]))).toThrow(
      /^GroupNormalization 'gn': groups 32 must divide the channels, but got 3 channels in an input \[1, 3\]/,
    );
    expect(() => new GroupNormalization({ axis: 1, name: 'gn' })).toThrow(
      /^GroupNormalization 'gn': only the last axis \(-1, channels last\) is supported, but got axis 1/,
    );
    expect(() => new GroupNormalization({ groups: 0, name: 'gn' })).toThrow(
      /groups must be a positive integer, but got 0/,
    );
  });
});
