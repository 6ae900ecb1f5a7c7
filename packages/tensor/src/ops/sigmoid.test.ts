import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { sigmoid } from './index';

describe('sigmoid', () => {
  it('doc example: sigmoid([-100, 0, 100]) in float64', () => {
    const y = sigmoid(tensor([-100, 0, 100], undefined, { dtype: 'float64' }));
    // 1 / (1 + e^100) = e^-100 / (1 + e^-100), printed by Node as 3.720075976020836e-44
    expect(y.data[0]).toBe(3.720075976020836e-44);
    expect(y.data[1]).toBe(0.5);
    expect(y.data[2]).toBe(1);
  });

  it('σ(ln 3) = 3/4 and σ(-x) = 1 - σ(x)', () => {
    const y = sigmoid(tensor([Math.log(3), -Math.log(3)], undefined, { dtype: 'float64' }));
    expect(y.data[0]).toBeCloseTo(0.75, 15);
    expect(y.data[1]).toBeCloseTo(0.25, 15);
  });

  it('x = ±1000 in float32 stays finite: [0, 1], gradient 0', () => {
    const x = tensor([-1000, 1000], undefined, { requiresGrad: true });
    const y = sigmoid(x);
    expect(y.dtype).toBe('float32');
    expect(y.toArray()).toEqual([0, 1]);
    y.backward(tensor([1, 1]));
    expect(x.grad!.toArray()).toEqual([0, 0]);
  });

  it('gradient: σ(x)(1 - σ(x)) is 1/4 at 0 and 3/16 at ln 3', () => {
    const x = tensor([0, Math.log(3)], undefined, { dtype: 'float64', requiresGrad: true });
    sigmoid(x).backward(tensor([1, 1], undefined, { dtype: 'float64' }));
    expect(x.grad!.data[0]).toBeCloseTo(0.25, 15);
    expect(x.grad!.data[1]).toBeCloseTo(3 / 16, 15);
  });
});
