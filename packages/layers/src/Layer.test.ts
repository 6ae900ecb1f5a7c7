import { ShapeError, tensor, zeros } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { Conv2D } from './convolutional/Conv2D';
import { Activation } from './core/Activation';
import { Dense } from './core/Dense';
import { Reshape } from './core/Reshape';
import { BatchNormalization } from './normalization/BatchNormalization';
import { GlobalMaxPooling2D } from './pooling/GlobalMaxPooling2D';
import { L2Pooling2D } from './pooling/L2Pooling2D';
import { MaxPooling2D } from './pooling/MaxPooling2D';

// The life cycle rules of the Layer base, each found as a bug once.
describe('Layer base', () => {
  it('a layer without weights accepts a new image size after its first call', () => {
    const pool = new MaxPooling2D();
    expect(pool.apply(zeros([1, 28, 28, 1])).shape).toEqual([1, 14, 14, 1]);
    expect(pool.apply(zeros([1, 32, 32, 1])).shape).toEqual([1, 16, 16, 1]);
    const global = new GlobalMaxPooling2D();
    global.apply(zeros([2, 5, 5, 3]));
    expect(global.apply(zeros([2, 9, 7, 3])).shape).toEqual([2, 3]);
    const act = new Activation({ activation: 'relu' });
    act.apply(zeros([1, 4]));
    expect(act.apply(zeros([1, 2, 2, 3])).shape).toEqual([1, 2, 2, 3]);
  });

  it('BatchNormalization fixes only its channel axis', () => {
    const bn = new BatchNormalization({ name: 'bn' });
    bn.apply(zeros([2, 4, 4, 3]));
    expect(bn.apply(zeros([1, 6, 5, 3])).shape).toEqual([1, 6, 5, 3]);
    expect(() => bn.apply(zeros([1, 6, 5, 2]))).toThrow(ShapeError);
  });

  it('freezing and unfreezing a layer keeps moving statistics non-trainable', () => {
    const bn = new BatchNormalization({ inputShape: [3] });
    bn.trainable = false;
    expect(bn.trainableWeights).toHaveLength(0);
    bn.trainable = true;
    expect(bn.trainableWeights.map((w) => w.name.split('/')[1])).toEqual(['gamma', 'beta']);
    expect(bn.nonTrainableWeights.map((w) => w.name.split('/')[1])).toEqual(['moving_mean', 'moving_variance']);
  });

  it('countParams checks a declared inputShape against the layer', () => {
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, inputShape: [28, 28], name: 'c' }).countParams()).toThrow(
      /Conv2D 'c' expects input \[batch, height, width, channels\], got \[null, 28, 28\]/,
    );
    expect(new Dense({ units: 10, inputShape: [400] }).countParams()).toBe(4010);
  });

  it('computeOutputShape refuses a window that does not fit, as apply does', () => {
    expect(() => new Conv2D({ filters: 2, kernelSize: 7, name: 'c' }).computeOutputShape([1, 5, 5, 1])).toThrow(
      /Conv2D 'c': the window does not fit in input \[1, 5, 5, 1\]: output would be \[1, 0, 0, 2\]/,
    );
    expect(() => new MaxPooling2D({ poolSize: 3 }).computeOutputShape([null, 2, 2, 1])).toThrow(/does not fit/);
  });

  it('Reshape leaves the inferred size unknown when the example size is unknown', () => {
    expect(new Reshape({ targetShape: [3, -1] }).computeOutputShape([null, null, 4])).toEqual([null, 3, null]);
  });

  it('setWeights before the weights exist says so', () => {
    expect(() => new Dense({ units: 2, name: 'd' }).setWeights([tensor([[1, 2]]), tensor([0, 0])])).toThrow(
      /Dense 'd': setWeights: the layer has no weights yet/,
    );
  });

  it('default names follow Keras: l2_pooling2d_N, max_pooling2d_N', () => {
    expect(new L2Pooling2D().name).toMatch(/^l2_pooling2d_\d+$/);
    expect(new MaxPooling2D().name).toMatch(/^max_pooling2d_\d+$/);
  });

  it('weightInfo and countParams(inputShape) describe the weights for a shape without building them', () => {
    const bn = new BatchNormalization({ name: 'bn' });
    // 4 channels: gamma and beta train, the moving statistics do not
    expect(bn.weightInfo([null, 5, 5, 4])).toEqual([
      { name: 'bn/gamma', shape: [4], trainable: true },
      { name: 'bn/beta', shape: [4], trainable: true },
      { name: 'bn/moving_mean', shape: [4], trainable: false },
      { name: 'bn/moving_variance', shape: [4], trainable: false },
    ]);
    const conv = new Conv2D({ name: 'c', filters: 6, kernelSize: 5, trainable: false });
    expect(conv.countParams([null, 28, 28, 1])).toBe(5 * 5 * 1 * 6 + 6);
    expect(conv.weightInfo([null, 28, 28, 1]).map((w) => w.trainable)).toEqual([false, false]);
    expect(conv.built).toBe(false);
    expect(() => conv.countParams([null, 28, 28])).toThrow(ShapeError);
  });
});
