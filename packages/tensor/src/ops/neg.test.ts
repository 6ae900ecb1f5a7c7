import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { neg } from './index';

describe('neg', () => {
  it('doc example: neg([1,-2,0])', () => {
    expect(Array.from(neg(tensor([1, -2, 0])).data)).toEqual([-1, 2, -0]);
  });

  it('gradient is -dy', () => {
    const x = tensor([[1, 2]], undefined, { requiresGrad: true });
    x.neg().backward(tensor([[3, -4]]));
    expect(x.grad!.toArray()).toEqual([[-3, 4]]);
  });

  it('keeps the dtype (f32 and f64)', () => {
    expect(neg(tensor([1])).dtype).toBe('float32');
    expect(neg(tensor([1], undefined, { dtype: 'float64' })).dtype).toBe('float64');
  });
});
