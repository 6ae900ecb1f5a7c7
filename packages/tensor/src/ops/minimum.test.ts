import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { minimum } from './index';

describe('minimum', () => {
  it('doc example: minimum([-1,0.5,3], 1)', () => {
    expect(minimum(tensor([-1, 0.5, 3]), 1).toArray()).toEqual([-1, 0.5, 1]);
  });

  it('gradient goes to the smaller input; ties go to a (TensorFlow rule)', () => {
    const a = tensor([1, 5, 2], undefined, { requiresGrad: true });
    const b = tensor([1, 3, 4], undefined, { requiresGrad: true });
    minimum(a, b).backward(tensor([10, 20, 30]));
    expect(a.grad!.toArray()).toEqual([10, 0, 30]);
    expect(b.grad!.toArray()).toEqual([0, 20, 0]);
  });

  it('dtypes: number with f64 is f64', () => {
    expect(minimum(1, tensor([2], undefined, { dtype: 'float64' })).dtype).toBe('float64');
  });

  it('a=[2] b=[3] throws', () => {
    expect(() => minimum(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(/minimum: shapes must be broadcastable/);
  });
});
