import { ConfigError, ShapeError, tensor } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { gradCheckLayer } from '../testing/gradCheckLayer';
import { runLayerTest } from '../testing/layerTest';
import { ELU } from './ELU';
import { LeakyReLU } from './LeakyReLU';
import { PReLU } from './PReLU';
import { Softmax } from './Softmax';

describe('LeakyReLU', () => {
  it('has slope 0.3 below 0 by default (Keras and TF.js), negativeSlope or alpha otherwise', () => {
    const x = tensor([-2, 0, 3], undefined, { dtype: 'float64' });
    expect(new LeakyReLU().apply(x).toArray()).toEqual([-0.6, 0, 3]);
    expect(new LeakyReLU({ negativeSlope: 0.1 }).apply(x).toArray()).toEqual([-0.2, 0, 3]);
    expect(new LeakyReLU({ alpha: 0.1 }).apply(x).toArray()).toEqual([-0.2, 0, 3]);
    expect(new LeakyReLU({ alpha: 0.1 }).getConfig().negativeSlope).toBe(0.1);
  });

  it('round-trips its config and passes the gradient check', () => {
    runLayerTest({
      title: 'LeakyReLU 0.1',
      make: () => new LeakyReLU({ negativeSlope: 0.1 }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      expectedParams: 0,
    });
    expect(gradCheckLayer(new LeakyReLU({ dtype: 'float64' }), [2, 5])).toEqual([]);
  });

  it.each([
    [{ negativeSlope: -1 }, /^LeakyReLU 'l': negativeSlope must be a non-negative number, but got -1/],
    [{ alpha: Number.NaN }, /^LeakyReLU 'l': alpha must be a non-negative number, but got null/],
    [{ negativeSlope: 0.1, alpha: 0.2 }, /^LeakyReLU 'l': give negativeSlope or its older name alpha, not both/],
  ])('refuses %j', (options, message) => {
    expect(() => new LeakyReLU({ ...options, name: 'l' })).toThrow(ConfigError);
    expect(() => new LeakyReLU({ ...options, name: 'l' })).toThrow(message);
  });
});

describe('PReLU', () => {
  it('starts as relu (alpha zeros) and learns one slope per value, or per channel with sharedAxes', () => {
    runLayerTest({
      title: 'PReLU on [2, 3, 4, 5]',
      make: () => new PReLU(),
      inputShape: [2, 3, 4, 5],
      expectedOutputShape: [2, 3, 4, 5],
      expectedParams: 3 * 4 * 5,
    });
    runLayerTest({
      title: 'PReLU sharedAxes [1, 2]',
      make: () => new PReLU({ sharedAxes: [1, 2] }),
      inputShape: [2, 3, 4, 5],
      expectedOutputShape: [2, 3, 4, 5],
      expectedParams: 5,
    });
    const y = new PReLU().apply(tensor([[-4, 2]]));
    expect(y.toArray()).toEqual([[0, 2]]);
  });

  it('computes α·x below 0 with the learned α, and takes other heights once shared', () => {
    const prelu = new PReLU({
      sharedAxes: [1, 2],
      alphaInitializer: { className: 'Constant', config: { value: 0.25 } },
    });
    expect(prelu.apply(tensor([-4, 8, -8, 2], [1, 2, 1, 2])).toArray()).toEqual([[[[-1, 8]], [[-2, 2]]]]);
    expect(prelu.apply(tensor([-4, 8, -8, 2, 1, 1], [1, 3, 1, 2])).shape).toEqual([1, 3, 1, 2]);
    expect(prelu.getWeights()[0]!.shape).toEqual([1, 1, 2]);
  });

  it('passes the gradient check w.r.t. the input and alpha', () => {
    const prelu = new PReLU({ dtype: 'float64', alphaInitializer: 'glorotUniform', sharedAxes: 1 });
    expect(gradCheckLayer(prelu, [2, 3, 4])).toEqual([]);
  });

  it('refuses a batch axis to share, an axis beyond the rank, or an unknown size', () => {
    expect(() => new PReLU({ sharedAxes: [0], name: 'p' })).toThrow(
      /^PReLU 'p': sharedAxes must be integers ≥ 1 \(axis 0 is the batch\), but got \[0\]/,
    );
    expect(() => new PReLU({ sharedAxes: [3], name: 'p' }).apply(tensor([[1, 2]]))).toThrow(ShapeError);
    expect(() => new PReLU({ sharedAxes: [3], name: 'p' }).apply(tensor([[1, 2]]))).toThrow(
      /^PReLU 'p': sharedAxes must be axes of the input, in \[1, 1\], but got sharedAxes \[3\] for an input \[1, 2\]/,
    );
    expect(() => new PReLU({ name: 'p' }).build([null, null, 3])).toThrow(
      /^PReLU 'p': every axis that is not shared must have a known size .*\[null, null, 3\]/,
    );
  });
});

describe('ELU', () => {
  it('is x above 0 and α·(eˣ − 1) below', () => {
    const y = new ELU({ alpha: 2 }).apply(tensor([-1000, -1, 3], undefined, { dtype: 'float64' }));
    expect(y.toArray()).toEqual([-2, 2 * (Math.exp(-1) - 1), 3]);
  });

  it('round-trips its config and passes the gradient check', () => {
    runLayerTest({
      title: 'ELU alpha 0.5',
      make: () => new ELU({ alpha: 0.5 }),
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
      expectedParams: 0,
    });
    expect(gradCheckLayer(new ELU({ alpha: 0.7, dtype: 'float64' }), [3, 4])).toEqual([]);
  });

  it('refuses a negative alpha', () => {
    expect(() => new ELU({ alpha: -1, name: 'e' })).toThrow(
      /^ELU 'e': alpha must be a non-negative number, but got -1/,
    );
  });
});

describe('Softmax', () => {
  it('normalizes along its axis', () => {
    const y = new Softmax({ axis: 1 }).apply(tensor([0, 5, Math.log(3), 5], [1, 2, 2], { dtype: 'float64' }));
    // e^0 : e^(ln 3) = 1 : 3 down the first column, equal values down the second
    [0.25, 0.5, 0.75, 0.5].forEach((want, i) => {
      expect(y.data[i]).toBeCloseTo(want, 15);
    });
  });

  it('round-trips its config and passes the gradient check', () => {
    runLayerTest({
      title: 'Softmax axis 1',
      make: () => new Softmax({ axis: 1 }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      expectedParams: 0,
    });
    expect(gradCheckLayer(new Softmax({ axis: -2, dtype: 'float64' }), [2, 3, 4])).toEqual([]);
  });

  it('refuses a non-integer axis, the batch axis and one beyond the rank', () => {
    expect(() => new Softmax({ axis: 1.5, name: 's' })).toThrow(/^Softmax 's': axis must be an integer, but got 1.5/);
    expect(() => new Softmax({ axis: 0, name: 's' }).apply(tensor([[1, 2]]))).toThrow(
      /^Softmax 's': axis must name a non-batch axis of the input, in \[1, 1\] or \[-1, -1\], but got axis 0 for an input \[1, 2\]/,
    );
    expect(() => new Softmax({ axis: -3, name: 's' }).computeOutputShape([null, 4])).toThrow(ShapeError);
  });
});
