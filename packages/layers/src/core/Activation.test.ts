import { ConfigError, tensor } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { gradCheckLayer } from '../testing/gradCheckLayer';
import { runLayerTest } from '../testing/layerTest';
import { Activation } from './Activation';

describe('Activation', () => {
  it("'relu' zeroes the negatives and 'linear' is the identity", () => {
    const x = tensor([[-1, 0, 2]]);
    expect(new Activation({ activation: 'relu' }).apply(x).toArray()).toEqual([[0, 0, 2]]);
    expect(new Activation({ activation: 'linear' }).apply(x).toArray()).toEqual([[-1, 0, 2]]);
  });

  it("'softmax' acts on the last axis: each row sums to 1", () => {
    const y = new Activation({ activation: 'softmax' }).apply(
      tensor([
        [1, 2, 3],
        [0, 0, 0],
      ]),
    );
    const rows = y.sum(-1).toArray() as number[];
    expect(rows[0]).toBeCloseTo(1, 6);
    expect((y.toArray() as number[][])[1]).toEqual([1 / 3, 1 / 3, 1 / 3].map(Math.fround));
  });

  const names = ['relu', 'sigmoid', 'tanh', 'softmax', 'linear', 'leakyRelu', 'elu'] as const;
  it.each(names)("activation '%s' keeps the shape [2, 3, 4] and has no weights", (activation) => {
    runLayerTest({
      title: activation,
      make: () => new Activation({ activation }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      expectedParams: 0,
    });
  });

  it.each(['sigmoid', 'tanh', 'softmax', 'elu'] as const)("'%s' passes the float64 gradient check", (activation) => {
    expect(gradCheckLayer(new Activation({ activation, dtype: 'float64' }), [2, 5])).toEqual([]);
  });

  it('rejects an unknown name', () => {
    const make = () => new Activation({ activation: 'swisch' as never, name: 'act' });
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(
      /Activation 'act': activation must be one of 'relu', .* or a function, but got "swisch"; did you mean 'swish'\?/,
    );
  });
});
