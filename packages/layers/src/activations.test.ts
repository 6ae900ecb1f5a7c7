import { ConfigError, Generator, rand, type Tensor, tensor } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, type ActivationName, getActivation } from './activations';
import { Activation } from './core/Activation';
import { gradCheckLayer } from './testing/gradCheckLayer';

/** Each name's formula, one value at a time, written independently of the ops. */
const sigma = (v: number) => 1 / (1 + Math.exp(-v));
const softplus = (v: number) => Math.log(1 + Math.exp(v));
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const hardSigmoid3 = (v: number) => Math.min(Math.max(v + 3, 0), 6) / 6;
// 'gelu' has no closed form without erf: it is checked against tabulated values of Φ below
const formulas: Partial<Record<ActivationName, (v: number) => number>> = {
  relu6: (v) => Math.min(Math.max(v, 0), 6),
  selu: (v) => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * (Math.exp(v) - 1)),
  softplus,
  softsign: (v) => v / (1 + Math.abs(v)),
  swish: (v) => v * sigma(v),
  silu: (v) => v * sigma(v),
  hard_sigmoid: hardSigmoid3,
  hardSigmoid: (v) => Math.min(Math.max(0.2 * v + 0.5, 0), 1),
  hard_swish: (v) => v * hardSigmoid3(v),
  hardSwish: (v) => v * hardSigmoid3(v),
  hard_silu: (v) => v * hardSigmoid3(v),
  mish: (v) => v * Math.tanh(softplus(v)),
  gelu_new: (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
  leaky_relu: (v) => (v > 0 ? v : 0.2 * v),
  elu: (v) => (v > 0 ? v : Math.exp(v) - 1),
};

// points on both sides of every corner (0, ±2.5, ±3, 6) and in the tails
const points = [-7, -3.5, -2.8, -1.3, -0.4, 0.3, 1.1, 2.7, 3.2, 6.5];

describe('activations by name', () => {
  it.each(Object.entries(formulas))("'%s' computes its formula (float64)", (name, f) => {
    const x = tensor(points, undefined, { dtype: 'float64' });
    const y = getActivation('test', name as ActivationName).fn(x);
    points.forEach((v, i) => {
      expect(y.data[i], `x = ${v}`).toBeCloseTo(f(v), 12);
    });
  });

  it("'gelu' is x·Φ(x), 'gelu_new' its tanh approximation, 5e-4 apart at most", () => {
    const x = tensor(points, undefined, { dtype: 'float64' });
    const exact = getActivation('test', 'gelu').fn(x).data;
    const approx = getActivation('test', 'gelu_new').fn(x).data;
    // Φ(−1.3) = 0.09680048458561036, Φ(1.1) = 0.8643339390536173
    expect(exact[3]).toBeCloseTo(-1.3 * 0.09680048458561036, 14);
    expect(exact[6]).toBeCloseTo(1.1 * 0.8643339390536173, 14);
    for (let i = 0; i < points.length; i++) expect(Math.abs(exact[i]! - approx[i]!)).toBeLessThan(5e-4);
  });

  it("Keras's snake_case and TF.js's camelCase name the same function, except hard_sigmoid", () => {
    const x = rand([40], { low: -5, high: 5, generator: new Generator(3), dtype: 'float64' });
    const run = (name: ActivationName) => Array.from(getActivation('t', name).fn(x).data);
    expect(run('log_softmax')).toEqual(run('logSoftmax'));
    expect(run('leaky_relu')).toEqual(run('leakyRelu'));
    expect(run('hard_swish')).toEqual(run('hardSwish'));
    expect(run('silu')).toEqual(run('swish'));
    // Keras 3: relu6(x + 3)/6, slope 1/6; TF.js and Keras 2: clip(0.2x + 0.5, 0, 1), slope 0.2
    expect(run('hard_sigmoid')).not.toEqual(run('hardSigmoid'));
  });

  it("'log_softmax' is the log of 'softmax' along the last axis", () => {
    const x = rand([3, 5], { low: -4, high: 4, generator: new Generator(9), dtype: 'float64' });
    const log = getActivation('t', 'log_softmax').fn(x).data;
    const soft = getActivation('t', 'softmax').fn(x).data;
    for (let i = 0; i < 15; i++) expect(log[i]).toBeCloseTo(Math.log(soft[i]!), 12);
  });

  const smooth = ACTIVATION_NAMES.filter((n) => n !== 'linear');
  it.each(smooth)("Activation '%s' passes the float64 gradient check on [2, 3, 4]", (activation) => {
    expect(gradCheckLayer(new Activation({ activation, dtype: 'float64' }), [2, 3, 4])).toEqual([]);
  });

  it('keeps the name it was given in getConfig, so a config reloads the same function', () => {
    for (const activation of ACTIVATION_NAMES) {
      expect(new Activation({ activation }).getConfig().activation).toBe(activation);
    }
  });

  it.each([
    ['Swish', 'swish'],
    ['hard_sigmod', 'hard_sigmoid'],
    ['log_soft_max', 'log_softmax'],
    ['geLU', 'gelu'],
    ['relu_6', 'relu6'],
  ])("an unknown name %j gets a did-you-mean: '%s'", (name, guess) => {
    const make = () => getActivation("Dense 'fc'", name as ActivationName);
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(
      new RegExp(`^Dense 'fc': activation must be one of 'relu', .*but got "${name}"; did you mean '${guess}'\\?`),
    );
  });

  it('a name far from every known one gets the list without a guess', () => {
    expect(() => getActivation('X', 'quadratic' as ActivationName)).toThrow(/but got "quadratic"$/);
    // an inherited property name is not an activation
    expect(() => getActivation('X', 'toString' as ActivationName)).toThrow(/but got "toString"/);
  });

  it('a function is used as it is', () => {
    const cube = (t: Tensor) => t.mul(t).mul(t);
    expect(getActivation('X', cube)).toEqual({ name: 'custom', fn: cube });
  });
});
