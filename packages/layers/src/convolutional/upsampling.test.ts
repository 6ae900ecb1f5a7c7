import { ConfigError, ShapeError, tensor, zeros } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { gradCheckLayer } from '../testing/gradCheckLayer';
import { runLayerTest } from '../testing/layerTest';
import { Conv2DTranspose } from './Conv2DTranspose';
import { Cropping2D } from './Cropping2D';
import { UpSampling2D } from './UpSampling2D';

describe('Conv2DTranspose', () => {
  it.each([
    // Keras's rule; params = kh·kw·filters·C + filters
    [{ filters: 4, kernelSize: 2, strides: 2 }, [2, 3, 5, 3], [2, 6, 10, 4], 2 * 2 * 4 * 3 + 4],
    [{ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }, [1, 4, 3, 2], [1, 8, 6, 2], 9 * 2 * 2 + 2],
    [{ filters: 2, kernelSize: 3 }, [1, 4, 3, 2], [1, 6, 5, 2], 9 * 2 * 2 + 2],
    // valid, outputPadding 1: (4 − 1)·2 + 3 + 1 = 10; same, outputPadding 1: (3 − 1)·2 + 3 − 2 + 1 = 6
    [{ filters: 3, kernelSize: 3, strides: 2, outputPadding: 1 }, [1, 4, 4, 1], [1, 10, 10, 3], 27 + 3],
    [
      { filters: 3, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1, useBias: false },
      [1, 3, 3, 1],
      [1, 6, 6, 3],
      27,
    ],
    [{ filters: 1, kernelSize: 2, dilationRate: 2 }, [1, 3, 3, 2], [1, 5, 5, 1], 8 + 1],
  ] as const)('%j on %j → %j, %d parameters', (options, input, output, params) => {
    runLayerTest({
      title: JSON.stringify(options),
      make: () => new Conv2DTranspose({ ...options, biasInitializer: 'glorotUniform' }),
      inputShape: input,
      expectedOutputShape: output,
      expectedParams: params,
    });
  });

  it('passes the gradient check w.r.t. input, kernel and bias', () => {
    const layer = new Conv2DTranspose({
      filters: 2,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'tanh',
      dtype: 'float64',
      biasInitializer: 'glorotUniform',
    });
    expect(gradCheckLayer(layer, [2, 3, 2, 2])).toEqual([]);
  });

  it('refuses an outputPadding not smaller than the stride, and a missing filters', () => {
    expect(() => new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, outputPadding: 2, name: 't' })).toThrow(
      /^Conv2DTranspose 't': outputPadding must be integers ≥ 0 and smaller than the strides \[2, 2\], but got 2/,
    );
    expect(() => new Conv2DTranspose({ kernelSize: 3, name: 't' } as never)).toThrow(ConfigError);
    expect(() => new Conv2DTranspose({ filters: 2, kernelSize: 3, name: 't' }).apply(zeros([3, 3, 2]))).toThrow(
      ShapeError,
    );
  });
});

describe('UpSampling2D', () => {
  it("'nearest' repeats each pixel into a block, 'bilinear' interpolates with half-pixel centers", () => {
    const x = tensor([0, 4], [1, 1, 2, 1], { dtype: 'float64' });
    expect(new UpSampling2D({ size: [1, 2] }).apply(x).reshape([4]).toArray()).toEqual([0, 0, 4, 4]);
    expect(new UpSampling2D({ size: [1, 2], interpolation: 'bilinear' }).apply(x).reshape([4]).toArray()).toEqual([
      0, 1, 3, 4,
    ]);
  });

  it.each(['nearest', 'bilinear'] as const)(
    "'%s' round-trips its config and passes the gradient check",
    (interpolation) => {
      runLayerTest({
        title: interpolation,
        make: () => new UpSampling2D({ size: [2, 3], interpolation }),
        inputShape: [2, 3, 4, 2],
        expectedOutputShape: [2, 6, 12, 2],
        expectedParams: 0,
      });
      expect(gradCheckLayer(new UpSampling2D({ interpolation, dtype: 'float64' }), [1, 3, 2, 2])).toEqual([]);
    },
  );

  it('refuses an unknown interpolation', () => {
    expect(() => new UpSampling2D({ interpolation: 'bicubic' as never, name: 'u' })).toThrow(
      /^UpSampling2D 'u': interpolation must be one of 'nearest', 'bilinear', but got "bicubic"/,
    );
  });
});

describe('Cropping2D', () => {
  it('removes rows and columns at the borders', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    expect(
      new Cropping2D({
        cropping: [
          [1, 0],
          [0, 1],
        ],
      })
        .apply(x)
        .reshape([2, 2])
        .toArray(),
    ).toEqual([
      [4, 5],
      [7, 8],
    ]);
  });

  it('round-trips its config and passes the gradient check', () => {
    runLayerTest({
      title: 'Cropping2D 1',
      make: () => new Cropping2D({ cropping: 1 }),
      inputShape: [2, 5, 4, 3],
      expectedOutputShape: [2, 3, 2, 3],
      expectedParams: 0,
    });
    expect(gradCheckLayer(new Cropping2D({ cropping: [1, 2], dtype: 'float64' }), [1, 4, 6, 2])).toEqual([]);
  });

  it('refuses a bad cropping, and one that leaves nothing', () => {
    expect(() => new Cropping2D({ cropping: -1, name: 'c' })).toThrow(
      /^Cropping2D 'c': cropping must be a non-negative integer, \[symH, symW\] or \[\[top, bottom\], \[left, right\]\], but got -1/,
    );
    expect(() => new Cropping2D({ cropping: 2, name: 'c' }).apply(zeros([1, 4, 6, 1]))).toThrow(
      /^Cropping2D 'c': cropping \[\[2,2\],\[2,2\]\] must leave at least one row and column, but got an input \[1, 4, 6, 1\]/,
    );
  });
});
