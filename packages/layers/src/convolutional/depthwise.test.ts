import { ConfigError, ShapeError, tensor, zeros } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { gradCheckLayer } from '../testing/gradCheckLayer';
import { runLayerTest } from '../testing/layerTest';
import { DepthwiseConv2D } from './DepthwiseConv2D';
import { SeparableConv2D } from './SeparableConv2D';

describe('DepthwiseConv2D', () => {
  it.each([
    // [options, input, output, params]: params = kh·kw·C·M + C·M
    [{ kernelSize: 3 }, [2, 7, 6, 3], [2, 5, 4, 3], 3 * 3 * 3 + 3],
    [{ kernelSize: 3, padding: 'same', depthMultiplier: 2 }, [1, 6, 6, 4], [1, 6, 6, 8], 9 * 4 * 2 + 8],
    [{ kernelSize: [3, 2], strides: 2, padding: 'same', useBias: false }, [2, 7, 5, 2], [2, 4, 3, 2], 3 * 2 * 2],
    [{ kernelSize: 3, dilationRate: 2, depthMultiplier: 3 }, [1, 9, 8, 2], [1, 5, 4, 6], 9 * 2 * 3 + 6],
  ] as const)('%j on %j → %j, %d parameters', (options, input, output, params) => {
    runLayerTest({
      title: JSON.stringify(options),
      make: () => new DepthwiseConv2D({ ...options, biasInitializer: 'glorotUniform' }),
      inputShape: input,
      expectedOutputShape: output,
      expectedParams: params,
    });
  });

  it('filters each channel on its own: channel c·M + m reads only input channel c', () => {
    const dw = new DepthwiseConv2D({ kernelSize: 1, depthMultiplier: 2, useBias: false });
    dw.build([null, 1, 1, 2]);
    dw.setWeights([tensor([1, 2, 10, 20], [1, 1, 2, 2])]);
    expect(dw.apply(tensor([3, 5], [1, 1, 1, 2])).toArray()).toEqual([[[[3, 6, 50, 100]]]]);
    expect(dw.weights.map((w) => w.name)).toEqual([`${dw.name}/depthwise_kernel`]);
  });

  it('passes the gradient check w.r.t. its input, kernel and bias, with an activation', () => {
    const layer = new DepthwiseConv2D({
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      depthMultiplier: 2,
      activation: 'tanh',
      dtype: 'float64',
      biasInitializer: 'glorotUniform',
    });
    expect(gradCheckLayer(layer, [2, 5, 6, 2])).toEqual([]);
  });

  it.each([
    [{}, /^DepthwiseConv2D 'd': kernelSize must be positive integers, but got undefined/],
    [
      { kernelSize: 3, depthMultiplier: 0 },
      /^DepthwiseConv2D 'd': depthMultiplier must be a positive integer, but got 0/,
    ],
    [
      { kernelSize: 3, padding: 'full' },
      /^DepthwiseConv2D 'd': padding must be one of 'valid', 'same', but got "full"/,
    ],
    [{ kernelSize: 3, activation: 'rleu' }, /^DepthwiseConv2D 'd': activation must be one of .*did you mean 'relu'\?/],
    [{ kernelSize: 3, filters: 8 }, /^DepthwiseConv2D 'd': unknown option 'filters'/],
  ])('refuses %j', (options, message) => {
    const make = () => new DepthwiseConv2D({ ...(options as object), name: 'd' } as never);
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(message);
  });

  it('refuses an input that is not NHWC, or with other channels than it was built for', () => {
    const dw = new DepthwiseConv2D({ kernelSize: 3, name: 'd' });
    expect(() => dw.apply(zeros([5, 5, 3]))).toThrow(ShapeError);
    dw.apply(zeros([1, 5, 5, 3]));
    expect(() => dw.apply(zeros([1, 5, 5, 4]))).toThrow(
      /^DepthwiseConv2D 'd' was built for 3 input channels \(depthwise_kernel \[3, 3, 3, 1\]\), but got an input with 4 channels/,
    );
    expect(() => new DepthwiseConv2D({ kernelSize: 7, name: 'd' }).computeOutputShape([null, 5, 5, 3])).toThrow(
      /^DepthwiseConv2D 'd': the window does not fit in input \[null, 5, 5, 3\]/,
    );
  });
});

describe('SeparableConv2D', () => {
  it.each([
    // params = kh·kw·C·M + C·M·filters + filters
    [{ filters: 4, kernelSize: 3 }, [2, 7, 6, 3], [2, 5, 4, 4], 27 + 12 + 4],
    [{ filters: 5, kernelSize: 3, padding: 'same', depthMultiplier: 2 }, [1, 6, 6, 4], [1, 6, 6, 5], 72 + 40 + 5],
    [{ filters: 2, kernelSize: [2, 3], strides: [2, 1], useBias: false }, [2, 7, 5, 3], [2, 3, 3, 2], 18 + 6],
  ] as const)('%j on %j → %j, %d parameters', (options, input, output, params) => {
    runLayerTest({
      title: JSON.stringify(options),
      make: () => new SeparableConv2D({ ...options, biasInitializer: 'glorotUniform' }),
      inputShape: input,
      expectedOutputShape: output,
      expectedParams: params,
    });
  });

  it('has Keras weight names and shapes', () => {
    const sep = new SeparableConv2D({ filters: 16, kernelSize: 3, padding: 'same', name: 's' });
    sep.apply(zeros([1, 8, 8, 3]));
    expect(sep.weights.map((w) => [w.name, w.shape])).toEqual([
      ['s/depthwise_kernel', [3, 3, 3, 1]],
      ['s/pointwise_kernel', [1, 1, 3, 16]],
      ['s/bias', [16]],
    ]);
  });

  it.each(['relu', 'sigmoid'] as const)('passes the gradient check with activation %s', (activation) => {
    const layer = new SeparableConv2D({
      filters: 3,
      kernelSize: 2,
      depthMultiplier: 2,
      dilationRate: 2,
      activation,
      dtype: 'float64',
      biasInitializer: 'glorotUniform',
    });
    expect(gradCheckLayer(layer, [2, 5, 5, 2])).toEqual([]);
  });

  it('refuses a missing filters', () => {
    expect(() => new SeparableConv2D({ kernelSize: 3, name: 's' } as never)).toThrow(
      /^SeparableConv2D 's': filters must be a positive integer, but got undefined/,
    );
  });
});
