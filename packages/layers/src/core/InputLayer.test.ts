import { ConfigError, ShapeError, zeros } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { runLayerTest } from '../testing/layerTest';
import { InputLayer } from './InputLayer';

describe('InputLayer', () => {
  it('is the identity', () => {
    const x = zeros([2, 28, 28, 1]);
    expect(new InputLayer({ inputShape: [28, 28, 1] }).apply(x)).toBe(x);
  });

  it('harness: inputShape [28, 28, 1], no weights', () => {
    runLayerTest({
      title: 'inputShape [28, 28, 1]',
      make: () => new InputLayer({ inputShape: [28, 28, 1] }),
      inputShape: [3, 28, 28, 1],
      expectedOutputShape: [3, 28, 28, 1],
      expectedParams: 0,
    });
  });

  it('batchInputShape [null, 784] is the same as inputShape [784]', () => {
    const a = new InputLayer({ batchInputShape: [null, 784], name: 'in' });
    expect(a.shape).toEqual([null, 784]);
    expect(a.getConfig()).toEqual({
      name: 'in',
      trainable: true,
      dtype: 'float32',
      inputShape: [784],
      batchSize: null,
    });
    expect(a.computeOutputShape([null, 784])).toEqual([null, 784]);
  });

  it('batchInputShape [8, 4] fixes the batch size and rejects other batches', () => {
    const a = new InputLayer({ batchInputShape: [8, 4], name: 'in' });
    expect(a.batchSize).toBe(8);
    expect(a.apply(zeros([8, 4])).shape).toEqual([8, 4]);
    expect(() => a.apply(zeros([2, 4]))).toThrow("InputLayer 'in' expects input [8, 4], got [2, 4]");
    const twin = new InputLayer(a.getConfig() as never);
    expect(twin.shape).toEqual([8, 4]);
  });

  it('rejects an input of another shape', () => {
    const a = new InputLayer({ inputShape: [28, 28, 1], name: 'in' });
    expect(() => a.apply(zeros([2, 28, 28]))).toThrow(ShapeError);
    expect(() => a.apply(zeros([2, 28, 28]))).toThrow(
      "InputLayer 'in' expects input [null, 28, 28, 1], got [2, 28, 28]",
    );
  });

  it('needs exactly one of inputShape and batchInputShape', () => {
    expect(() => new InputLayer({ name: 'in' })).toThrow(ConfigError);
    expect(() => new InputLayer({ name: 'in' })).toThrow(
      "InputLayer 'in': give exactly one of inputShape and batchInputShape, but got neither",
    );
    expect(() => new InputLayer({ inputShape: [2], batchInputShape: [null, 2] })).toThrow(/but got both/);
  });

  it('rejects bad dimensions and batch sizes', () => {
    expect(() => new InputLayer({ inputShape: [28, 0], name: 'in' })).toThrow(
      /InputLayer 'in': inputShape must be positive integers/,
    );
    expect(() => new InputLayer({ inputShape: [4], batchSize: 0, name: 'in' })).toThrow(
      "InputLayer 'in': batchSize must be a positive integer or null, but got 0",
    );
  });
});
