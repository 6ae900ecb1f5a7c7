import { arange, ConfigError, ShapeError, zeros } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { runLayerTest } from '../testing/layerTest';
import { Reshape } from './Reshape';

describe('Reshape', () => {
  it('keeps the values in row-major order and the batch axis', () => {
    const y = new Reshape({ targetShape: [2, 3] }).apply(arange(0, 12).reshape([2, 6]));
    expect(y.toArray()).toEqual([
      [
        [0, 1, 2],
        [3, 4, 5],
      ],
      [
        [6, 7, 8],
        [9, 10, 11],
      ],
    ]);
  });

  // the -1 entry is (values per example) / (product of the other entries)
  const cases: Array<[string, number[], number[], number[]]> = [
    ['MNIST rows [32, 784] → [32, 28, 28, 1]', [28, 28, 1], [32, 784], [32, 28, 28, 1]],
    ['[28, 28, -1] infers 1 channel', [28, 28, -1], [2, 784], [2, 28, 28, 1]],
    ['[-1] flattens [2, 5, 5, 16] to [2, 400]', [-1], [2, 5, 5, 16], [2, 400]],
    ['[4, -1, 2] on [3, 2, 12] infers 3', [4, -1, 2], [3, 2, 12], [3, 4, 3, 2]],
  ];
  it.each(cases)('%s', (title, targetShape, input, out) => {
    runLayerTest({
      title,
      make: () => new Reshape({ targetShape }),
      inputShape: input,
      expectedOutputShape: out,
      expectedParams: 0,
    });
  });

  const bad: Array<[string, unknown]> = [
    ['two -1', [-1, -1]],
    ['a zero', [0, 4]],
    ['-2', [-2, 4]],
    ['a fraction', [2.5, 2]],
    ['not an array', 784],
  ];
  it.each(bad)('rejects targetShape with %s', (_title, targetShape) => {
    const make = () => new Reshape({ targetShape: targetShape as never, name: 're' });
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(
      `Reshape 're': targetShape must be positive integers with at most one -1 (the batch axis is not included), but got ${JSON.stringify(targetShape)}`,
    );
  });

  it('rejects an example whose size does not match targetShape', () => {
    const layer = new Reshape({ targetShape: [28, 28, 1], name: 're' });
    expect(() => layer.apply(zeros([2, 780]))).toThrow(ShapeError);
    expect(() => layer.apply(zeros([2, 780]))).toThrow(
      "Reshape 're': cannot reshape an example of shape [780] (780 values) into targetShape [28, 28, 1] (784 values). Input shape [2, 780]",
    );
  });

  it('rejects an example whose size is not a multiple of the known entries', () => {
    const layer = new Reshape({ targetShape: [5, -1], name: 're' });
    expect(() => layer.computeOutputShape([null, 12])).toThrow(
      "Reshape 're': cannot reshape an example of shape [12] (12 values) into targetShape [5, -1] (12 is not a multiple of 5). Input shape [null, 12]",
    );
  });
});
