import { ConfigError, ShapeError, tensor, zeros } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { deserializeLayer, serializeLayer } from '../registry';
import { l1, l2 } from '../regularizers';
import { gradCheckLayer } from '../testing/gradCheckLayer';
import { runLayerTest } from '../testing/layerTest';
import { Dense, type DenseOptions } from './Dense';

describe('Dense golden values', () => {
  it('y = x·kernel + bias on a 2x3 batch', () => {
    const dense = new Dense({ units: 2, inputShape: [3] });
    dense.setWeights([tensor([1, 0, 0, 1, 1, -1], [3, 2]), tensor([0.5, -0.5])]);
    // row [1, 2, 3]: [1 + 3, 2 − 3] + [0.5, −0.5] = [4.5, −1.5]; row [0, 1, 0]: [0, 1] + bias = [0.5, 0.5]
    expect(
      dense
        .apply(
          tensor([
            [1, 2, 3],
            [0, 1, 0],
          ]),
        )
        .toArray(),
    ).toEqual([
      [4.5, -1.5],
      [0.5, 0.5],
    ]);
  });

  it('on [N, T, F] each of the N·T rows is mapped by the same kernel', () => {
    const dense = new Dense({ units: 1, useBias: false, activation: 'relu' });
    dense.build([null, 2, 2]);
    dense.setWeights([tensor([1, -1], [2, 1])]);
    // x[n, t] · [1, −1] = x[n, t, 0] − x[n, t, 1], then relu
    const x = tensor([
      [
        [3, 1],
        [1, 3],
      ],
      [
        [5, 0],
        [0, 0],
      ],
    ]);
    expect(dense.apply(x).toArray()).toEqual([
      [[2], [0]],
      [[5], [0]],
    ]);
  });
});

describe('Dense layer harness', () => {
  // params = inUnits·units + units (bias)
  const cases: Array<{ title: string; opts: DenseOptions; input: number[]; out: number[]; params: number }> = [
    {
      title: 'LeNet fc1 400 → 120',
      opts: { units: 120, activation: 'relu' },
      input: [4, 400],
      out: [4, 120],
      params: 48120,
    }, // 400·120 + 120
    {
      title: 'LeNet fc2 120 → 84',
      opts: { units: 84, activation: 'tanh' },
      input: [4, 120],
      out: [4, 84],
      params: 10164,
    }, // 120·84 + 84
    {
      title: 'LeNet output 84 → 10 softmax',
      opts: { units: 10, activation: 'softmax' },
      input: [4, 84],
      out: [4, 10],
      params: 850,
    }, // 84·10 + 10
    { title: '5 → 4 on rank-3 input [2, 3, 5]', opts: { units: 4 }, input: [2, 3, 5], out: [2, 3, 4], params: 24 }, // 5·4 + 4
    {
      title: '2 → 7 useBias=false on rank-4 input [2, 3, 3, 2]',
      opts: { units: 7, useBias: false },
      input: [2, 3, 3, 2],
      out: [2, 3, 3, 7],
      params: 14,
    }, // 2·7
    {
      title: '1 → 1 sigmoid (logistic regression)',
      opts: { units: 1, activation: 'sigmoid' },
      input: [6, 1],
      out: [6, 1],
      params: 2,
    },
    {
      title: '3 → 2 with heUniform, ones and l1/l2 regularizers',
      opts: {
        units: 2,
        kernelInitializer: 'heUniform',
        biasInitializer: 'ones',
        kernelRegularizer: l2(0.01),
        biasRegularizer: l1(0.1),
      },
      input: [3, 3],
      out: [3, 2],
      params: 8, // 3·2 + 2
    },
  ];
  it.each(cases.map((c) => [c.title, c] as const))('%s', (title, c) => {
    runLayerTest({
      title,
      make: () => new Dense(c.opts),
      inputShape: c.input,
      expectedOutputShape: c.out,
      expectedParams: c.params,
    });
  });

  it('declares kernel [inUnits, units] then bias [units]; inputShape builds it up front', () => {
    const fc1 = new Dense({ units: 120, inputShape: [400], name: 'fc1' });
    expect(fc1.countParams()).toBe(48120);
    expect(fc1.weights.map((w) => [w.name, w.shape])).toEqual([
      ['fc1/kernel', [400, 120]],
      ['fc1/bias', [120]],
    ]);
  });

  it('serializes initializers and regularizers as { className, config } and rebuilds from them', () => {
    const dense = new Dense({
      units: 3,
      activation: 'relu',
      kernelInitializer: 'heNormal',
      biasRegularizer: l2(0.5),
      name: 'd',
    });
    const config = serializeLayer(dense).config;
    expect(config).toMatchObject({
      name: 'd',
      units: 3,
      activation: 'relu',
      useBias: true,
      kernelInitializer: { className: 'HeNormal', config: {} },
      biasInitializer: { className: 'Zeros', config: {} },
      kernelRegularizer: null,
      biasRegularizer: { className: 'L2', config: { l2: 0.5 } },
    });
    const twin = deserializeLayer(JSON.parse(JSON.stringify(serializeLayer(dense))));
    expect(twin.getConfig()).toEqual(dense.getConfig());
    expect(String(dense)).toBe(
      "Dense(units=3, activation='relu', useBias=true, kernelInitializer=HeNormal, biasInitializer=Zeros, kernelRegularizer=null, biasRegularizer=L2(l2=0.5))",
    );
  });

  it('a bias regularizer adds l2·Σ bias² to regularizationLoss', () => {
    const dense = new Dense({ units: 2, biasRegularizer: l2(0.5), inputShape: [1] });
    dense.setWeights([tensor([[7, 7]]), tensor([1, 2])]);
    expect(dense.regularizationLoss()?.item()).toBeCloseTo(0.5 * (1 + 4), 6);
  });

  it('once built, the middle axes may change but not the features', () => {
    const dense = new Dense({ units: 2 });
    expect(dense.apply(zeros([1, 3, 4])).shape).toEqual([1, 3, 2]);
    expect(dense.apply(zeros([2, 5, 4])).shape).toEqual([2, 5, 2]);
  });
});

describe('Dense gradients (float64 gradient check w.r.t. input, kernel and bias)', () => {
  const configs: Array<[string, DenseOptions, number[]]> = [
    ['4 → 3 linear on [3, 4]', { units: 3 }, [3, 4]],
    ['5 → 2 tanh on [2, 3, 5]', { units: 2, activation: 'tanh' }, [2, 3, 5]],
    ['3 → 4 softmax on [2, 3]', { units: 4, activation: 'softmax' }, [2, 3]],
    ['2 → 3 sigmoid without bias on [2, 2, 2, 2]', { units: 3, activation: 'sigmoid', useBias: false }, [2, 2, 2, 2]],
    // relu and linear run inside fusedMatMul, with the bias
    ['6 → 5 relu on [4, 6]', { units: 5, activation: 'relu' }, [4, 6]],
    ['3 → 7 relu without bias on [2, 2, 3]', { units: 7, activation: 'relu', useBias: false }, [2, 2, 3]],
  ];
  it.each(configs)('%s', (_title, opts, input) => {
    const layer = new Dense({ ...opts, dtype: 'float64', biasInitializer: 'ones' });
    expect(gradCheckLayer(layer, input)).toEqual([]);
  });
});

describe('Dense errors', () => {
  const bad: Array<[string, Partial<DenseOptions>, RegExp]> = [
    ['units=0', { units: 0 }, /Dense 'fc': units must be a positive integer, but got 0/],
    ['units=-3', { units: -3 }, /units must be a positive integer, but got -3/],
    ["units='10'", { units: '10' as never }, /units must be a positive integer, but got "10"/],
    [
      "activation='Gelu'",
      { activation: 'Gelu' as never },
      /Dense 'fc': activation must be one of .*but got "Gelu"; did you mean 'gelu'\?/,
    ],
    ["biasInitializer='random'", { biasInitializer: 'random' as never }, /Dense 'fc': unknown initializer 'random'/],
    ['inputShape=[0]', { inputShape: [0] }, /Dense 'fc': inputShape must be positive integers/],
  ];
  it.each(bad)('rejects %s in the constructor', (_title, opts, message) => {
    const make = () => new Dense({ units: 4, name: 'fc', ...opts } as DenseOptions);
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(message);
  });

  it('rejects a rank-1 input with a hint to add the batch axis', () => {
    const dense = new Dense({ units: 120, name: 'fc1' });
    expect(() => dense.apply(zeros([400]))).toThrow(ShapeError);
    expect(() => dense.apply(zeros([400]))).toThrow(
      "Dense 'fc1' expects input [batch, features] (or [batch, ..., features]), got [400]; add a batch dimension, e.g. x.reshape([1, 400])",
    );
  });

  it('rejects, once built, an input with another number of features', () => {
    const dense = new Dense({ units: 120, inputShape: [400], name: 'fc1' });
    expect(() => dense.apply(zeros([2, 256]))).toThrow(
      "Dense 'fc1' was built for 400 input features (kernel [400, 120]), but got an input with 256 features on its last axis: [2, 256]",
    );
    expect(() => dense.computeOutputShape([null, 256])).toThrow(/was built for 400 input features/);
  });
});
