import { ConfigError, ShapeError, tensor, zeros } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { gradCheckLayer } from '../testing/gradCheckLayer';
import { runLayerTest } from '../testing/layerTest';
import { ZeroPadding2D, type ZeroPadding2DOptions } from './ZeroPadding2D';

describe('ZeroPadding2D', () => {
  it('[[1, 0], [0, 2]] adds one row on top and two columns on the right', () => {
    const y = new ZeroPadding2D({
      padding: [
        [1, 0],
        [0, 2],
      ],
    }).apply(
      tensor([
        [1, 2],
        [3, 4],
      ]).reshape([1, 2, 2, 1]),
    );
    expect(y.reshape([3, 4]).toArray()).toEqual([
      [0, 0, 0, 0],
      [1, 2, 0, 0],
      [3, 4, 0, 0],
    ]);
  });

  it('the @example: [[1, 0], [2, 2]] on [1, 3, 3, 8] gives [1, 4, 7, 8]', () => {
    expect(
      new ZeroPadding2D({
        padding: [
          [1, 0],
          [2, 2],
        ],
      }).apply(zeros([1, 3, 3, 8])).shape,
    ).toEqual([1, 4, 7, 8]);
  });

  // H_out = top + H + bottom, W_out = left + W + right
  const cases: Array<[string, ZeroPadding2DOptions, number[], number[]]> = [
    ['default padding 1 on [2, 5, 5, 3]', {}, [2, 5, 5, 3], [2, 7, 7, 3]],
    ['padding 2 on [1, 28, 28, 1] (LeNet on MNIST, 28 → 32)', { padding: 2 }, [1, 28, 28, 1], [1, 32, 32, 1]],
    ['padding [1, 3] on [1, 4, 4, 2]', { padding: [1, 3] }, [1, 4, 4, 2], [1, 6, 10, 2]],
    [
      'padding [[0, 1], [2, 0]] on [2, 3, 5, 1]',
      {
        padding: [
          [0, 1],
          [2, 0],
        ],
      },
      [2, 3, 5, 1],
      [2, 4, 7, 1],
    ],
    ['padding 0 is the identity', { padding: 0 }, [1, 3, 3, 2], [1, 3, 3, 2]],
  ];
  it.each(cases)('%s', (title, opts, input, out) => {
    runLayerTest({
      title,
      make: () => new ZeroPadding2D(opts),
      inputShape: input,
      expectedOutputShape: out,
      expectedParams: 0,
    });
  });

  it('keeps the normalized [[top, bottom], [left, right]] form in its config', () => {
    expect(new ZeroPadding2D({ padding: [1, 3] }).getConfig().padding).toEqual([
      [1, 1],
      [3, 3],
    ]);
  });

  it('gradient: dy with the padding cells cut off (float64 gradient check)', () => {
    expect(
      gradCheckLayer(
        new ZeroPadding2D({
          padding: [
            [1, 2],
            [0, 1],
          ],
          dtype: 'float64',
        }),
        [2, 3, 2, 2],
      ),
    ).toEqual([]);
  });

  const bad: Array<[string, unknown]> = [
    ['-1', -1],
    ['1.5', 1.5],
    ['[1, 2, 3]', [1, 2, 3]],
    ['[[1, 0], [2]]', [[1, 0], [2]]],
    ["'same'", 'same'],
  ];
  it.each(bad)('rejects padding %s', (_title, padding) => {
    const make = () => new ZeroPadding2D({ padding: padding as never, name: 'pad' });
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(
      `ZeroPadding2D 'pad': padding must be a non-negative integer, [symH, symW] or [[top, bottom], [left, right]], but got ${JSON.stringify(padding)}`,
    );
  });

  it('rejects an input that is not [batch, height, width, channels]', () => {
    const layer = new ZeroPadding2D({ name: 'pad' });
    expect(() => layer.apply(zeros([4, 4]))).toThrow(ShapeError);
    expect(() => layer.apply(zeros([4, 4]))).toThrow(
      "ZeroPadding2D 'pad' expects input [batch, height, width, channels], got [4, 4]",
    );
  });
});
