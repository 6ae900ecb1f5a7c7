import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { abs } from './index';

describe('abs', () => {
  it('doc example: abs([-2, 0, 3])', () => {
    expect(abs(tensor([-2, 0, 3])).toArray()).toEqual([2, 0, 3]);
  });

  it('gradient is sign(x), with sign(0) = 0', () => {
    const x = tensor([-2, 0, 3], undefined, { requiresGrad: true });
    abs(x).backward(tensor([5, 5, 5]));
    expect(x.grad!.toArray()).toEqual([-5, 0, 5]);
  });

  it('keeps the dtype', () => {
    expect(abs(tensor([-1], undefined, { dtype: 'float64' })).dtype).toBe('float64');
  });
});
