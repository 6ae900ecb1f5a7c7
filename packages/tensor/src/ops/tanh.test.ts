import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { tanh } from './index';

describe('tanh', () => {
  it('doc example: tanh([-100, 0, 100])', () => {
    expect(tanh(tensor([-100, 0, 100])).toArray()).toEqual([-1, 0, 1]);
  });

  it('tanh(ln 2) = 3/5', () => {
    expect(tanh(tensor([Math.LN2], undefined, { dtype: 'float64' })).item()).toBeCloseTo(0.6, 15);
  });

  it('gradient: 1 - tanh² is 1 at 0 and 16/25 at ln 2', () => {
    const x = tensor([0, Math.LN2], undefined, { dtype: 'float64', requiresGrad: true });
    tanh(x).backward(tensor([1, 1], undefined, { dtype: 'float64' }));
    expect(x.grad!.data[0]).toBe(1);
    expect(x.grad!.data[1]).toBeCloseTo(16 / 25, 15);
  });

  it('keeps the dtype', () => {
    expect(tanh(tensor([1])).dtype).toBe('float32');
  });
});
