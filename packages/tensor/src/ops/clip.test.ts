import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { clip } from './index';

describe('clip', () => {
  it('doc example: clip([-2, 0.5, 3], 0, 1)', () => {
    expect(clip(tensor([-2, 0.5, 3]), 0, 1).toArray()).toEqual([0, 0.5, 1]);
  });

  it('gradient is 1 inside [min, max] including the bounds, 0 outside', () => {
    const x = tensor([-2, 0, 0.5, 1, 3], undefined, { requiresGrad: true });
    clip(x, 0, 1).backward(tensor([1, 1, 1, 1, 1]));
    expect(x.grad!.toArray()).toEqual([0, 1, 1, 1, 0]);
  });

  it('min = max gives a constant', () => {
    expect(clip(tensor([-1, 5]), 2, 2).toArray()).toEqual([2, 2]);
  });

  it('keeps the dtype', () => {
    expect(clip(tensor([1], undefined, { dtype: 'float64' }), 0, 1).dtype).toBe('float64');
  });

  it('min=1 > max=0 throws a ValueError naming both', () => {
    expect(() => clip(tensor([1]), 1, 0)).toThrow(/clip: min must be less than or equal to max, but got min=1, max=0/);
  });
});
