import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { pow } from './index';

describe('pow', () => {
  it('doc examples: [1,2,3]^2 and 2^[0,1,2,3]', () => {
    expect(pow(tensor([1, 2, 3]), 2).toArray()).toEqual([1, 4, 9]);
    expect(pow(2, tensor([0, 1, 2, 3])).toArray()).toEqual([1, 2, 4, 8]);
  });

  it('negative base: integer exponent is real, fractional exponent is NaN', () => {
    expect(pow(tensor([-2]), 3).toArray()).toEqual([-8]);
    expect(Number.isNaN(pow(tensor([-2]), 0.5).item())).toBe(true);
  });

  it('gradients at a=2, b=3: ∂/∂a = 3·2² = 12, ∂/∂b = 2³·ln 2', () => {
    const a = tensor([2], undefined, { dtype: 'float64', requiresGrad: true });
    const b = tensor([3], undefined, { dtype: 'float64', requiresGrad: true });
    pow(a, b).backward(tensor([1], undefined, { dtype: 'float64' }));
    expect(a.grad!.item()).toBeCloseTo(12, 12);
    expect(b.grad!.item()).toBeCloseTo(8 * Math.LN2, 12);
  });

  it('∂/∂b is defined as 0 where a <= 0 (TensorFlow rule), not NaN', () => {
    const a = tensor([0, -2, 4], undefined, { dtype: 'float64' });
    const b = tensor([2, 2, 0.5], undefined, { dtype: 'float64', requiresGrad: true });
    pow(a, b).backward(tensor([1, 1, 1], undefined, { dtype: 'float64' }));
    // at a = 4: 4^0.5 · ln 4 = 2 · 2 ln 2
    expect(Array.from(b.grad!.data)).toEqual([0, 0, 4 * Math.LN2]);
  });

  it('∂/∂a is 0 where b = 0 (a^0 = 1), even at a = 0 where b·a^(b-1) would be 0·∞', () => {
    const a = tensor([0, 3], undefined, { requiresGrad: true });
    pow(a, 0).backward(tensor([1, 1]));
    expect(a.grad!.toArray()).toEqual([0, 0]);
  });

  it('∂/∂a of x² at x = 0 is 0', () => {
    const a = tensor([0], undefined, { requiresGrad: true });
    pow(a, 2).backward(tensor([1]));
    expect(a.grad!.toArray()).toEqual([0]);
  });

  it('dtypes: f32 ^ number stays f32, f32 ^ f64 is f64', () => {
    expect(pow(tensor([2]), 2).dtype).toBe('float32');
    expect(pow(tensor([2]), tensor([2], undefined, { dtype: 'float64' })).dtype).toBe('float64');
  });
});
