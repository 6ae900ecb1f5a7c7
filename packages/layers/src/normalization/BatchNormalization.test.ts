import { ConfigError, Generator, ones, randn, ShapeError, type Tensor, tensor, zeros } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { constant } from '../initializers';
import { l2 } from '../regularizers';
import { gradCheckLayer } from '../testing/gradCheckLayer';
import { type LayerTestCase, runLayerTest } from '../testing/layerTest';
import { BatchNormalization } from './BatchNormalization';

const cases: LayerTestCase[] = [
  {
    title: 'BatchNormalization on [4, 3] at inference: 4·3 = 12 params',
    make: () => new BatchNormalization(),
    inputShape: [4, 3],
    expectedOutputShape: [4, 3],
    expectedParams: 12,
  },
  {
    title: 'BatchNormalization on [4, 3] in training',
    make: () => new BatchNormalization(),
    inputShape: [4, 3],
    expectedOutputShape: [4, 3],
    expectedParams: 12,
    training: true,
  },
  {
    title: 'BatchNormalization on [2, 3, 3, 5] (NHWC) at inference: 4·5 = 20 params',
    make: () => new BatchNormalization({ momentum: 0.9, epsilon: 1e-5 }),
    inputShape: [2, 3, 3, 5],
    expectedOutputShape: [2, 3, 3, 5],
    expectedParams: 20,
  },
  {
    title: 'BatchNormalization on [2, 3, 3, 5] (NHWC) in training',
    make: () => new BatchNormalization(),
    inputShape: [2, 3, 3, 5],
    expectedOutputShape: [2, 3, 3, 5],
    expectedParams: 20,
    training: true,
  },
  {
    title: 'BatchNormalization axis=1 on [2, 4, 3, 3]: 4·4 = 16 params',
    make: () => new BatchNormalization({ axis: 1 }),
    inputShape: [2, 4, 3, 3],
    expectedOutputShape: [2, 4, 3, 3],
    expectedParams: 16,
  },
  {
    title: 'BatchNormalization center=false on [2, 3, 3, 5]: gamma + 2 moving = 15 params',
    make: () => new BatchNormalization({ center: false }),
    inputShape: [2, 3, 3, 5],
    expectedOutputShape: [2, 3, 3, 5],
    expectedParams: 15,
  },
  {
    title: 'BatchNormalization scale=false on [4, 3]: beta + 2 moving = 9 params',
    make: () => new BatchNormalization({ scale: false }),
    inputShape: [4, 3],
    expectedOutputShape: [4, 3],
    expectedParams: 9,
  },
  {
    title: 'BatchNormalization center=false scale=false on [4, 3]: 2 moving = 6 params',
    make: () => new BatchNormalization({ center: false, scale: false, gammaInitializer: constant(2) }),
    inputShape: [4, 3],
    expectedOutputShape: [4, 3],
    expectedParams: 6,
  },
  {
    title: 'BatchNormalization with initializers and regularizers survives the round trip',
    make: () =>
      new BatchNormalization({
        gammaInitializer: constant(0.5),
        movingVarianceInitializer: constant(2),
        gammaRegularizer: l2(1e-3),
      }),
    inputShape: [4, 3],
    expectedOutputShape: [4, 3],
    expectedParams: 12,
  },
];

/** Per-channel mean and biased variance of an [m, C]-shaped flat array, by plain loops. */
function channelStats(data: ArrayLike<number>, channels: number): { mean: number[]; variance: number[] } {
  const m = data.length / channels;
  const mean = new Array<number>(channels).fill(0);
  const variance = new Array<number>(channels).fill(0);
  for (let i = 0; i < data.length; i++) mean[i % channels]! += data[i]! / m;
  for (let i = 0; i < data.length; i++) variance[i % channels]! += (data[i]! - mean[i % channels]!) ** 2 / m;
  return { mean, variance };
}

function values(t: Tensor): number[] {
  return Array.from(t.data);
}

describe('BatchNormalization', () => {
  for (const c of cases) it(c.title, () => runLayerTest(c));

  it('weights are gamma, beta (trainable), moving_mean, moving_variance (not trainable), in Keras order', () => {
    const bn = new BatchNormalization({ name: 'bn' });
    bn.build([null, 3]);
    expect(bn.weights.map((w) => w.name)).toEqual(['bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance']);
    expect(bn.trainableWeights.map((w) => w.name)).toEqual(['bn/gamma', 'bn/beta']);
    expect(values(bn.weights[0]!)).toEqual([1, 1, 1]);
    expect(values(bn.weights[1]!)).toEqual([0, 0, 0]);
    expect(values(bn.weights[2]!)).toEqual([0, 0, 0]);
    expect(values(bn.weights[3]!)).toEqual([1, 1, 1]);
  });

  it('training output on [8, 4, 4, 3] has per-channel mean ≈ 0 and variance ≈ 1 (gamma 1, beta 0)', () => {
    const x = randn([8, 4, 4, 3], { mean: 5, std: 3, generator: new Generator(2), dtype: 'float64' });
    const y = new BatchNormalization({ epsilon: 0, dtype: 'float64' }).apply(x, { training: true });
    const { mean, variance } = channelStats(y.data, 3);
    for (let c = 0; c < 3; c++) {
      expect(mean[c]).toBeCloseTo(0, 10);
      expect(variance[c]).toBeCloseTo(1, 10);
    }
  });

  it('training output is gamma · x̂ + beta with x̂ from the batch statistics, by hand on [4, 2]', () => {
    const data = [1, 10, 2, 20, 4, -10, 9, 0];
    const bn = new BatchNormalization({ epsilon: 0.01, dtype: 'float64' });
    bn.build([4, 2]);
    const gamma = [2, -1];
    const beta = [0.5, 3];
    bn.setWeights([tensor(gamma), tensor(beta), tensor([0, 0]), tensor([1, 1])]);
    const y = bn.apply(tensor(data, [4, 2], { dtype: 'float64' }), { training: true });
    const { mean, variance } = channelStats(data, 2);
    const expected = data.map((v, i) => {
      const c = i % 2;
      return (gamma[c]! * (v - mean[c]!)) / Math.sqrt(variance[c]! + 0.01) + beta[c]!;
    });
    values(y).forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 12);
    });
  });

  it('one training step updates the moving statistics by moving·momentum + batch·(1 − momentum), biased variance', () => {
    const data = [1, 10, 2, 20, 4, -10, 9, 0, 3, 3];
    const bn = new BatchNormalization({ momentum: 0.8, movingVarianceInitializer: constant(2), dtype: 'float64' });
    bn.apply(tensor(data, [5, 2], { dtype: 'float64' }), { training: true });
    const { mean, variance } = channelStats(data, 2); // variance divides by m = 5, not 4
    const [, , movingMean, movingVariance] = bn.getWeights();
    values(movingMean!).forEach((v, c) => {
      expect(v).toBeCloseTo(0 * 0.8 + mean[c]! * 0.2, 12);
    });
    values(movingVariance!).forEach((v, c) => {
      expect(v).toBeCloseTo(2 * 0.8 + variance[c]! * 0.2, 12);
    });
    // a second step moves them again, from their new values
    bn.apply(tensor(data, [5, 2], { dtype: 'float64' }), { training: true });
    const [, , movingMean2] = bn.getWeights();
    values(movingMean2!).forEach((v, c) => {
      expect(v).toBeCloseTo(mean[c]! * 0.2 * 0.8 + mean[c]! * 0.2, 12);
    });
  });

  it('inference uses the moving statistics and does not change them', () => {
    const bn = new BatchNormalization({ epsilon: 0.5, dtype: 'float64' });
    bn.build([3, 2]);
    bn.setWeights([tensor([2, 3]), tensor([1, -1]), tensor([10, -4]), tensor([3.5, 0.5])]);
    const y = bn.apply(
      tensor(
        [
          [12, -4],
          [10, -3],
          [0, 0],
        ],
        [3, 2],
        { dtype: 'float64' },
      ),
    );
    // (x − movingMean)/√(movingVariance + 0.5)·gamma + beta: channel 0 divides by 2, channel 1 by 1
    expect(values(y)).toEqual([2 * 1 + 1, 3 * 0 - 1, 0 * 2 + 1, 3 * 1 - 1, -5 * 2 + 1, 3 * 4 - 1]);
    expect(values(bn.getWeights()[2]!)).toEqual([10, -4]);
    expect(values(bn.getWeights()[3]!)).toEqual([3.5, 0.5]);
  });

  it('a frozen layer (trainable: false) called with training: true uses and keeps its moving statistics', () => {
    const x = randn([8, 3], { generator: new Generator(3) }).add(5);
    const frozen = new BatchNormalization({ trainable: false });
    const y = frozen.apply(x, { training: true });
    expect(values(frozen.getWeights()[2]!)).toEqual([0, 0, 0]);
    expect(values(frozen.getWeights()[3]!)).toEqual([1, 1, 1]);
    // the same output as inference: (x − 0)/√(1 + ε)
    expect(values(y)).toEqual(values(frozen.apply(x)));
  });

  it('freezing a trained layer with layer.trainable = false stops the moving statistics from moving', () => {
    const bn = new BatchNormalization();
    const x = randn([8, 3], { generator: new Generator(4) }).add(5);
    bn.apply(x, { training: true });
    const movingMean = values(bn.getWeights()[2]!);
    bn.trainable = false;
    bn.apply(x, { training: true });
    expect(values(bn.getWeights()[2]!)).toEqual(movingMean);
    bn.trainable = true;
    bn.apply(x, { training: true });
    expect(values(bn.getWeights()[2]!)).not.toEqual(movingMean);
  });

  it('axis=1 normalizes each index of axis 1 over the other axes', () => {
    const x = randn([3, 2, 4], { generator: new Generator(5), dtype: 'float64' });
    const y = new BatchNormalization({ axis: 1, epsilon: 0, dtype: 'float64' }).apply(x, { training: true });
    // gather the 12 values of each channel: index (n, c, k) is at n·8 + c·4 + k
    for (let c = 0; c < 2; c++) {
      const ch: number[] = [];
      for (let n = 0; n < 3; n++) for (let k = 0; k < 4; k++) ch.push(y.data[n * 8 + c * 4 + k]!);
      const { mean, variance } = channelStats(ch, 1);
      expect(mean[0]).toBeCloseTo(0, 10);
      expect(variance[0]).toBeCloseTo(1, 10);
    }
  });

  it('the @example: [[1, 10], [3, 30]] in training', () => {
    const bn = new BatchNormalization();
    const y = bn.apply(
      tensor([
        [1, 10],
        [3, 30],
      ]),
      { training: true },
    );
    const [a, b, c, d] = values(y);
    expect(a).toBeCloseTo(-0.9995, 4);
    expect(b).toBeCloseTo(-1, 4);
    expect(c).toBeCloseTo(0.9995, 4);
    expect(d).toBeCloseTo(1, 4);
    const movingMean = values(bn.getWeights()[2]!);
    expect(movingMean[0]).toBeCloseTo(0.02, 6);
    expect(movingMean[1]).toBeCloseTo(0.2, 6);
  });

  it('gradient w.r.t. input, gamma and beta in training on [3, 2, 2, 3] (float64) matches central differences', () => {
    const bn = new BatchNormalization({
      dtype: 'float64',
      gammaInitializer: constant(1.5),
      betaInitializer: constant(0.2),
    });
    expect(gradCheckLayer(bn, [3, 2, 2, 3], { training: true })).toEqual([]);
  });

  it('gradient at inference on [4, 3] (float64) matches central differences', () => {
    const bn = new BatchNormalization({ dtype: 'float64', movingVarianceInitializer: constant(0.7) });
    expect(gradCheckLayer(bn, [4, 3], { training: false })).toEqual([]);
  });

  it('gradient with axis=1, scale=false in training on [2, 3, 4] (float64) matches central differences', () => {
    const bn = new BatchNormalization({ axis: 1, scale: false, dtype: 'float64' });
    expect(gradCheckLayer(bn, [2, 3, 4], { training: true })).toEqual([]);
  });

  it('toString prints the options', () => {
    expect(String(new BatchNormalization())).toBe(
      'BatchNormalization(axis=-1, momentum=0.99, epsilon=0.001, center=true, scale=true, betaInitializer=Zeros, ' +
        'gammaInitializer=Ones, movingMeanInitializer=Zeros, movingVarianceInitializer=Ones, betaRegularizer=null, gammaRegularizer=null)',
    );
  });

  describe('errors', () => {
    it('momentum outside [0, 1]', () => {
      expect(() => new BatchNormalization({ momentum: 1.5, name: 'bn' })).toThrow(ConfigError);
      expect(() => new BatchNormalization({ momentum: 1.5, name: 'bn' })).toThrow(
        /BatchNormalization 'bn': momentum must be a number in \[0, 1\], but got 1.5/,
      );
      expect(() => new BatchNormalization({ momentum: -0.1 })).toThrow(
        /momentum must be a number in \[0, 1\], but got -0.1/,
      );
    });
    it('negative epsilon', () => {
      expect(() => new BatchNormalization({ epsilon: -1e-3 })).toThrow(
        /epsilon must be a number in \[0, Infinity\), but got -0.001/,
      );
    });
    it('non-integer axis', () => {
      expect(() => new BatchNormalization({ axis: 1.5 })).toThrow(/axis must be an integer, but got 1.5/);
    });
    it('unknown initializer', () => {
      expect(() => new BatchNormalization({ gammaInitializer: 'twos' as never })).toThrow(/unknown initializer 'twos'/);
    });
    it('axis out of range for the input', () => {
      const bn = new BatchNormalization({ axis: 2, name: 'bn' });
      expect(() => bn.apply(ones([4, 3]))).toThrow(ShapeError);
      expect(() => bn.apply(ones([4, 3]))).toThrow(
        /BatchNormalization 'bn': axis 2 must name an axis of the input \(rank ≥ 2\), but got input shape \[4, 3\]/,
      );
      expect(() => new BatchNormalization({ axis: -3 }).apply(ones([4, 3]))).toThrow(/axis -3 must name an axis/);
    });
    it('rank-1 input', () => {
      expect(() => new BatchNormalization().apply(ones([4]))).toThrow(
        /axis -1 must name an axis of the input \(rank ≥ 2\), but got input shape \[4\]/,
      );
    });
    it('axis is the batch axis', () => {
      expect(() => new BatchNormalization({ axis: 0 }).apply(ones([4, 3]))).toThrow(
        /axis 0 is the batch axis; .* axis must be one of the feature axes 1 … 1. Input shape \[4, 3\]/,
      );
      expect(() => new BatchNormalization({ axis: -2 }).apply(ones([4, 3]))).toThrow(/axis -2 is the batch axis/);
    });
    it('an empty training batch is refused before it puts NaN into the moving statistics', () => {
      const bn = new BatchNormalization({ name: 'bn' });
      expect(() => bn.apply(zeros([0, 2]), { training: true })).toThrow(ShapeError);
      expect(() => bn.apply(zeros([0, 2]), { training: true })).toThrow(
        /BatchNormalization 'bn' needs at least one example to compute batch statistics, but got input shape \[0, 2\]/,
      );
      expect(values(bn.getWeights()[2]!)).toEqual([0, 0]);
    });
    it('input of another rank than the layer was built for', () => {
      const bn = new BatchNormalization({ name: 'bn' });
      bn.apply(ones([2, 4, 4, 3]));
      expect(() => bn.apply(ones([2, 3]))).toThrow(
        /BatchNormalization 'bn' was built for inputs of rank 4 \[null, null, null, 3\], but got \[2, 3\]/,
      );
    });
    it('input with a different channel count than the layer was built for', () => {
      const bn = new BatchNormalization({ name: 'bn' });
      bn.apply(ones([2, 3]));
      expect(() => bn.apply(ones([2, 4]))).toThrow(
        /BatchNormalization 'bn' was built for inputs \[null, 3\], but got \[2, 4\]/,
      );
    });
  });
});
