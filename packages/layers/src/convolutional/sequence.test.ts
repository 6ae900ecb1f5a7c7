import { ConfigError, ShapeError, tensor, zeros } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { AveragePooling1D, GlobalAveragePooling1D, MaxPooling1D } from '../pooling/Pooling1D';
import { gradCheckLayer } from '../testing/gradCheckLayer';
import { runLayerTest } from '../testing/layerTest';
import { Conv1D } from './Conv1D';

describe('Conv1D', () => {
  it.each([
    // params = k·C·filters + filters
    [{ filters: 4, kernelSize: 3 }, [2, 10, 3], [2, 8, 4], 3 * 3 * 4 + 4],
    [{ filters: 2, kernelSize: 5, padding: 'same', strides: 2 }, [1, 9, 2], [1, 5, 2], 5 * 2 * 2 + 2],
    [{ filters: 3, kernelSize: 2, padding: 'causal', dilationRate: 4, useBias: false }, [2, 7, 1], [2, 7, 3], 6],
    [{ filters: 1, kernelSize: 3, strides: 3 }, [1, 11, 2], [1, 3, 1], 6 + 1],
  ] as const)('%j on %j → %j, %d parameters', (options, inputShape, output, params) => {
    runLayerTest({
      title: JSON.stringify(options),
      make: () => new Conv1D({ ...options, biasInitializer: 'glorotUniform' }),
      inputShape,
      expectedOutputShape: output,
      expectedParams: params,
    });
  });

  it("'causal': output t sees inputs up to t only", () => {
    const conv = new Conv1D({ filters: 1, kernelSize: 2, padding: 'causal', useBias: false });
    conv.build([null, 4, 1]);
    conv.setWeights([tensor([1, 10], [2, 1, 1])]);
    // y[t] = x[t − 1] + 10·x[t], with x[−1] = 0
    expect(
      conv
        .apply(tensor([1, 2, 3, 4], [1, 4, 1]))
        .reshape([4])
        .toArray(),
    ).toEqual([10, 21, 32, 43]);
  });

  it('passes the gradient check', () => {
    const layer = new Conv1D({
      filters: 2,
      kernelSize: 3,
      padding: 'causal',
      dilationRate: 2,
      activation: 'tanh',
      dtype: 'float64',
    });
    expect(gradCheckLayer(layer, [2, 6, 3])).toEqual([]);
  });

  it('refuses images and bad options', () => {
    expect(() => new Conv1D({ filters: 2, kernelSize: 3, name: 'c' }).apply(zeros([1, 4, 4, 1]))).toThrow(ShapeError);
    expect(() => new Conv1D({ filters: 2, kernelSize: 3, name: 'c' }).apply(zeros([1, 4, 4, 1]))).toThrow(
      /^Conv1D 'c' expects input \[batch, steps, channels\], got \[1, 4, 4, 1\]/,
    );
    expect(() => new Conv1D({ filters: 2, kernelSize: [3, 3] as never, name: 'c' })).toThrow(ConfigError);
    expect(() => new Conv1D({ filters: 2, kernelSize: 3, padding: 'full' as never, name: 'c' })).toThrow(
      /^Conv1D 'c': padding must be one of 'valid', 'same', 'causal', but got "full"/,
    );
  });
});

describe('MaxPooling1D, AveragePooling1D, GlobalAveragePooling1D', () => {
  it('pool windows of steps', () => {
    const x = tensor([1, 3, 2, 0, 5], [1, 5, 1], { dtype: 'float64' });
    expect(new MaxPooling1D().apply(x).reshape([2]).toArray()).toEqual([3, 2]);
    expect(new AveragePooling1D({ padding: 'same' }).apply(x).reshape([3]).toArray()).toEqual([2, 1, 5]);
    expect(new GlobalAveragePooling1D().apply(x).toArray()).toEqual([[2.2]]);
  });

  it.each([
    ['MaxPooling1D', () => new MaxPooling1D({ poolSize: 3, strides: 2 }), [2, 7, 3], [2, 3, 3]],
    ['AveragePooling1D', () => new AveragePooling1D({ poolSize: 2, padding: 'same' }), [2, 7, 3], [2, 4, 3]],
    ['GlobalAveragePooling1D', () => new GlobalAveragePooling1D(), [2, 7, 3], [2, 3]],
    ['GlobalAveragePooling1D keepDims', () => new GlobalAveragePooling1D({ keepDims: true }), [2, 7, 3], [2, 1, 3]],
  ] as const)('%s round-trips and passes the gradient check', (title, make, inputShape, output) => {
    runLayerTest({ title, make, inputShape, expectedOutputShape: output, expectedParams: 0 });
    const layer = make();
    const twin = new (layer.constructor as new (o: object) => typeof layer)({ ...layer.getConfig(), dtype: 'float64' });
    expect(gradCheckLayer(twin, [...inputShape])).toEqual([]);
  });

  it('refuses an image input', () => {
    expect(() => new MaxPooling1D({ name: 'p' }).apply(zeros([1, 4, 4, 1]))).toThrow(
      /^MaxPooling1D 'p' expects input \[batch, steps, channels\], got \[1, 4, 4, 1\]/,
    );
  });
});
