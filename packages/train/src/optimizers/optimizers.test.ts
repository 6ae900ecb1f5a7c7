/**
 * Optimizers against hand-computed updates (the numbers are written out below), plus clipping,
 * learning-rate schedules, state save/restore and config errors. TF.js comparisons are in
 * optimizers.oracle.test.ts.
 */
import { Parameter } from '@sinapse/layers';
import { ConfigError, Tensor } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { Adam } from './Adam';
import { clipGradNorm, clipGradValue } from './clipGrad';
import { getOptimizer } from './index';
import type { Optimizer } from './Optimizer';
import { RMSprop } from './RMSprop';
import { SGD } from './SGD';

function param(values: number[], name = 'w'): Parameter {
  return new Parameter(Float64Array.from(values), [values.length], name);
}

/** Sets grad = dL/dw for L = Σ w², i.e. g = 2w, then takes one step. */
function quadraticStep(optimizer: Optimizer, params: Parameter[]): void {
  for (const p of params)
    p.grad = new Tensor(
      p.data.map((w) => 2 * w),
      p.shape,
    );
  optimizer.step(params);
  for (const p of params) p.zeroGrad();
}

function expectValues(p: Parameter, expected: number[]): void {
  expect(p.data.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(p.data[i]).toBeCloseTo(expected[i]!, 12);
}

describe('SGD', () => {
  it('plain: w = [1, -2], g = 2w, lr 0.1 → [0.8, -1.6] → [0.64, -1.28]', () => {
    const w = param([1, -2]);
    const sgd = new SGD({ learningRate: 0.1 });
    quadraticStep(sgd, [w]);
    expectValues(w, [0.8, -1.6]);
    quadraticStep(sgd, [w]);
    expectValues(w, [0.64, -1.28]);
    expect(sgd.iterations).toBe(2);
  });

  it('momentum 0.9, two steps written out', () => {
    // step 1: g = [2, -4];     v = [2, -4];                         w = [1, -2] − 0.1·v = [0.8, -1.6]
    // step 2: g = [1.6, -3.2]; v = 0.9·[2, -4] + g = [3.4, -6.8];  w = [0.8, -1.6] − 0.1·v = [0.46, -0.92]
    const w = param([1, -2]);
    const sgd = new SGD({ learningRate: 0.1, momentum: 0.9 });
    quadraticStep(sgd, [w]);
    expectValues(w, [0.8, -1.6]);
    quadraticStep(sgd, [w]);
    expectValues(w, [0.46, -0.92]);
  });

  it('Nesterov momentum 0.9, two steps written out', () => {
    // step 1: g = [2, -4]; v = [2, -4]; w = [1, -2] − 0.1·(g + 0.9·v) = [1 − 0.38, -2 + 0.76] = [0.62, -1.24]
    // step 2: g = [1.24, -2.48]; v = 0.9·[2, -4] + g = [3.04, -6.08];
    //         w = [0.62, -1.24] − 0.1·(g + 0.9·v) = [0.62 − 0.3976, -1.24 + 0.7952] = [0.2224, -0.4448]
    const w = param([1, -2]);
    const sgd = new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true });
    quadraticStep(sgd, [w]);
    expectValues(w, [0.62, -1.24]);
    quadraticStep(sgd, [w]);
    expectValues(w, [0.2224, -0.4448]);
  });

  it('weightDecay 0.1 adds 0.1·w to the gradient: 1 − 0.1·(2 + 0.1) = 0.79', () => {
    const w = param([1]);
    quadraticStep(new SGD({ learningRate: 0.1, weightDecay: 0.1 }), [w]);
    expectValues(w, [0.79]);
  });

  it('skips parameters without a gradient and frozen ones', () => {
    const a = param([1], 'a');
    const b = param([1], 'b');
    const frozen = param([1], 'frozen');
    a.grad = new Tensor(Float64Array.from([1]), [1]);
    frozen.grad = new Tensor(Float64Array.from([1]), [1]);
    frozen.trainable = false;
    new SGD({ learningRate: 0.5 }).step([a, b, frozen]);
    expect([a.data[0], b.data[0], frozen.data[0]]).toEqual([0.5, 1, 1]);
  });

  it('updates float32 parameters in place (same storage)', () => {
    const w = new Parameter(Float32Array.from([1, 2]), [2], 'w');
    const storage = w.data;
    quadraticStep(new SGD({ learningRate: 0.25 }), [w]);
    expect(w.data).toBe(storage);
    expect(Array.from(w.data)).toEqual([0.5, 1]);
  });

  it('momentum 1 and nesterov without momentum throw', () => {
    expect(() => new SGD({ momentum: 1 })).toThrow('SGD: momentum must be in [0, 1), but got 1');
    expect(() => new SGD({ nesterov: true })).toThrow('SGD: nesterov needs momentum > 0, but got momentum=0');
    expect(() => new SGD({ learningRate: -1 })).toThrow('SGD: learningRate must be a non-negative number, but got -1');
  });
});

describe('Adam', () => {
  it('first step moves every weight by lr·sign(g) (bias correction, hand-worked)', () => {
    // t = 1: m̂ = g, v̂ = g², so the step is lr·g/(|g| + ε) ≈ lr·sign(g)
    const w = param([3, -0.5]);
    quadraticStep(new Adam({ learningRate: 0.1, epsilon: 1e-12 }), [w]);
    expectValues(w, [2.9, -0.4]);
  });
});

describe('RMSprop', () => {
  it('first step: s = 0.1·g², w −= lr·g/√(s + ε) = lr·√10·sign(g) (hand-worked)', () => {
    const w = param([1]);
    quadraticStep(new RMSprop({ learningRate: 0.01, epsilon: 1e-12 }), [w]);
    expectValues(w, [1 - 0.01 * Math.sqrt(10)]);
  });
});

describe('clipping', () => {
  it('clipGradNorm: grads [3] and [4] (norm 5) clipped to 1 become [0.6] and [0.8]', () => {
    const a = param([0], 'a');
    const b = param([0], 'b');
    a.grad = new Tensor(Float64Array.from([3]), [1]);
    b.grad = new Tensor(Float64Array.from([4]), [1]);
    expect(clipGradNorm([a, b], 1)).toBe(5);
    expect(a.grad.data[0]).toBeCloseTo(0.6, 12);
    expect(b.grad.data[0]).toBeCloseTo(0.8, 12);
  });

  it('clipGradNorm leaves gradients below the limit unchanged', () => {
    const a = param([0]);
    const g = new Tensor(Float64Array.from([0.3]), [1]);
    a.grad = g;
    expect(clipGradNorm([a], 1)).toBeCloseTo(0.3, 12);
    expect(a.grad).toBe(g);
  });

  it('clipGradNorm does not scale a gradient shared by two parameters twice', () => {
    const a = param([0], 'a');
    const b = param([0], 'b');
    const shared = new Tensor(Float64Array.from([3]), [1]);
    a.grad = shared;
    b.grad = shared; // what backward leaves after y = a + b
    clipGradNorm([a, b], Math.SQRT2 * 1.5);
    expect(a.grad.data[0]).toBeCloseTo(1.5, 12);
    expect(b.grad.data[0]).toBeCloseTo(1.5, 12);
  });

  it('SGD clipNorm 1, lr 1: w = [3, 4] with g = w moves by [0.6, 0.8]', () => {
    const w = param([3, 4]);
    w.grad = new Tensor(Float64Array.from([3, 4]), [2]);
    new SGD({ learningRate: 1, clipNorm: 1 }).step([w]);
    expectValues(w, [2.4, 3.2]);
  });

  it('clipValue 1 clips [-3, 0.5, 2] to [-1, 0.5, 1]', () => {
    const w = param([0, 0, 0]);
    w.grad = new Tensor(Float64Array.from([-3, 0.5, 2]), [3]);
    clipGradValue([w], 1);
    expect(Array.from(w.grad.data)).toEqual([-1, 0.5, 1]);
    expect(() => clipGradNorm([w], 0)).toThrow('clipGradNorm: maxNorm must be a positive number, but got 0');
  });
});

describe('learning rate', () => {
  it('is settable, and a schedule is read at the current step', () => {
    const sgd = new SGD({ learningRate: (t) => 1 / (t + 1) });
    expect(sgd.learningRate).toBe(1);
    const w = param([1]);
    w.grad = new Tensor(Float64Array.from([1]), [1]);
    sgd.step([w]); // lr 1
    sgd.step([w]); // lr 1/2
    expectValues(w, [-0.5]);
    expect(sgd.learningRate).toBeCloseTo(1 / 3, 12);
    sgd.learningRate = 0.05;
    expect(sgd.learningRate).toBe(0.05);
  });
});

describe.each([
  ['SGD momentum', () => new SGD({ learningRate: 0.05, momentum: 0.9 })],
  ['SGD Nesterov', () => new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
  ['Adam', () => new Adam({ learningRate: 0.05 })],
  ['RMSprop momentum', () => new RMSprop({ learningRate: 0.01, momentum: 0.5 })],
])('%s getState / setState', (_name, make) => {
  it('resuming after 3 steps gives the same trajectory as 6 uninterrupted steps, bit for bit', () => {
    const start = [[1, -2, 0.5], [0.3]];
    const build = (): Parameter[] => start.map((v, i) => param(v, `layer/w${i}`));
    const straight = build();
    const opt = make();
    for (let i = 0; i < 6; i++) quadraticStep(opt, straight);

    const first = build();
    const before = make();
    for (let i = 0; i < 3; i++) quadraticStep(before, first);
    const state = before.getState();
    expect(state.config.iterations).toBe(3);
    // a "restarted process": new parameters holding the saved weights, a fresh optimizer
    const resumed = first.map((p) => param(Array.from(p.data), p.name));
    const after = make();
    after.setState(state, resumed);
    for (let i = 0; i < 3; i++) quadraticStep(after, resumed);
    expect(resumed.map((p) => Array.from(p.data))).toEqual(straight.map((p) => Array.from(p.data)));
  });
});

describe('state', () => {
  it('names slots <parameter>/<slot> and stores the config', () => {
    const w = param([1, 2], 'dense/kernel');
    const adam = new Adam({ learningRate: 0.01 });
    quadraticStep(adam, [w]);
    const state = adam.getState();
    expect(state.tensors.map((t) => t.name)).toEqual(['dense/kernel/m', 'dense/kernel/v']);
    expect(state.config).toEqual({
      className: 'Adam',
      iterations: 1,
      learningRate: 0.01,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
    });
  });

  it('setState with an unknown parameter name or another class throws', () => {
    const adam = new Adam();
    quadraticStep(adam, [param([1], 'a')]);
    expect(() => new Adam().setState(adam.getState(), [param([1], 'b')])).toThrow(
      "Adam.setState: no parameter and slot match 'a/m' (slots: m, v; parameters: b)",
    );
    expect(() => new SGD().setState(adam.getState(), [])).toThrow('SGD.setState: the state is of a Adam optimizer');
  });

  it("getOptimizer('adam') builds one with the defaults; an unknown name throws", () => {
    expect(getOptimizer('adam').getConfig()).toMatchObject({ learningRate: 0.001, beta1: 0.9 });
    expect(() => getOptimizer('adagrad' as never)).toThrow(
      "getOptimizer: unknown optimizer 'adagrad' Known: sgd, adam, adamw, rmsprop",
    );
    expect(() => getOptimizer('adamm' as never)).toThrow("unknown optimizer 'adamm'; did you mean 'adam'?");
    expect(getOptimizer('Adam').className).toBe('Adam');
    expect(getOptimizer('SGD').className).toBe('SGD');
  });
});

describe('optimizer option names', () => {
  it('messages name the optimizer by its className, not by the JavaScript class name a minifier renames', () => {
    // a bundler's minifier renames classes: Adam may become `class t extends Optimizer`
    const Minified = class t extends Adam {};
    expect(() => new Minified({ clipNorm: 0 })).toThrow(ConfigError);
    expect(() => new Minified({ clipNorm: 0 })).toThrow('Adam: clipNorm must be a positive number, but got 0');
    expect(() => new Minified({ lr: 1 } as never)).toThrow("Adam: unknown option 'lr'; did you mean 'learningRate'?");
    const sgd = new SGD();
    expect(() => {
      sgd.learningRate = Number.NaN;
    }).toThrow('SGD: learningRate must be a non-negative number, but got NaN');
    expect(new Minified().getState().config.className).toBe('Adam');
  });

  it("new Adam({ weightDecay }) is refused (Adam has none; SGD does), listing Adam's options", () => {
    expect(() => new Adam({ weightDecay: 0.1 } as never)).toThrow(
      "Adam: unknown option 'weightDecay'. Known options: learningRate, clipNorm, clipValue, beta1, beta2, epsilon",
    );
  });

  it("new SGD({ lr }) suggests 'learningRate'; new RMSprop({ Rho }) suggests 'rho'", () => {
    expect(() => new SGD({ lr: 0.1 } as never)).toThrow("SGD: unknown option 'lr'; did you mean 'learningRate'?");
    expect(() => new RMSprop({ Rho: 0.9 } as never)).toThrow("RMSprop: unknown option 'Rho'; did you mean 'rho'?");
    expect(() => new Adam({ beta_1: 0.9 } as never)).toThrow("Adam: unknown option 'beta_1'; did you mean 'beta1'?");
  });
});
