import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { sqrt } from './index';

describe('sqrt', () => {
  it('doc example: sqrt([4, 9, 2.25])', () => {
    expect(sqrt(tensor([4, 9, 2.25])).toArray()).toEqual([2, 3, 1.5]);
  });

  it('sqrt(-1) is NaN', () => {
    expect(Number.isNaN(sqrt(tensor([-1])).item())).toBe(true);
  });

  it('gradient: 1/(2√x) at x = [4, 0.25] is [0.25, 1]; Infinity at 0', () => {
    const x = tensor([4, 0.25, 0], undefined, { requiresGrad: true });
    sqrt(x).backward(tensor([1, 1, 1]));
    expect(x.grad!.toArray()).toEqual([0.25, 1, Number.POSITIVE_INFINITY]);
  });

  it('keeps the dtype', () => {
    expect(sqrt(tensor([4], undefined, { dtype: 'float64' })).dtype).toBe('float64');
  });
});
