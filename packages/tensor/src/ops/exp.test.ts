import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { exp } from './index';

describe('exp', () => {
  it('doc example: exp([0, 1]) in float64', () => {
    expect(exp(tensor([0, 1], undefined, { dtype: 'float64' })).toArray()).toEqual([1, Math.E]);
  });

  it('float32 rounds to float32 and overflows above ~88.7', () => {
    const y = exp(tensor([1, 89]));
    expect(y.dtype).toBe('float32');
    expect(y.data[0]).toBe(Math.fround(Math.E));
    expect(y.data[1]).toBe(Number.POSITIVE_INFINITY);
  });

  it('gradient: d eˣ/dx = eˣ at x = [0, 2]', () => {
    const x = tensor([0, 2], undefined, { dtype: 'float64', requiresGrad: true });
    exp(x).backward(tensor([1, 3], undefined, { dtype: 'float64' }));
    expect(x.grad!.toArray()).toEqual([1, 3 * Math.exp(2)]);
  });
});
