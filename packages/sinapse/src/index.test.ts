import * as data from '@sinapse/data';
import * as interop from '@sinapse/interop';
import * as layers from '@sinapse/layers';
import * as models from '@sinapse/models';
import * as tensorPkg from '@sinapse/tensor';
import * as train from '@sinapse/train';
import { describe, expect, it } from 'vitest';
import * as sn from './index';
import * as snNode from './node/index';

describe('sinapse: one import', () => {
  it('re-exports every export of the six packages as the same object', () => {
    for (const [name, pkg] of Object.entries({ data, interop, layers, models, tensor: tensorPkg, train })) {
      for (const [key, value] of Object.entries(pkg)) {
        // the one collision: layers' zeros/ones initializers live in sn.initializers
        if (name === 'layers' && (key === 'zeros' || key === 'ones')) continue;
        expect((sn as Record<string, unknown>)[key], `${name}.${key}`).toBe(value);
      }
    }
  });

  it('zeros and ones make tensors; the initializers of those names are in sn.initializers', () => {
    expect(sn.zeros([2, 3]).shape).toEqual([2, 3]);
    expect(sn.ones([2]).toArray()).toEqual([1, 1]);
    expect(sn.initializers.zeros().className).toBe('Zeros');
    expect(sn.initializers.heNormal).toBe(layers.heNormal);
  });

  it("builds and runs the lecture's max-pooling model from the one import", () => {
    const image = sn.tensor([
      [2, 2, 7, 3],
      [9, 4, 6, 1],
      [8, 5, 2, 4],
      [3, 1, 2, 6],
    ]);
    const model = new sn.Sequential([new sn.MaxPooling2D({ poolSize: 2, strides: 2 })]);
    expect(
      model
        .predict(image.reshape([1, 4, 4, 1]))
        .squeeze()
        .toArray(),
    ).toEqual([
      [9, 7],
      [8, 6],
    ]);
  });

  it('sinapse/node has the Node helpers of every package', () => {
    for (const name of [
      'loadMnist',
      'save',
      'loadModel',
      'writeFileDurably',
      'useThreads',
      'progressBar',
      'modelCheckpoint',
      'loadLayersModel',
      'saveLayersModel',
      'saveOnnx',
    ]) {
      expect(typeof (snNode as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});
