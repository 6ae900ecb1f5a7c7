import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { maximum } from './index';

describe('maximum', () => {
  it('doc example: maximum(x, 0) is relu', () => {
    expect(maximum(tensor([-1, 0.5, 3]), 0).toArray()).toEqual([0, 0.5, 3]);
  });

  it('a=[3] b=[2,1] broadcasts to [2,3]', () => {
    expect(maximum(tensor([1, -2, 3]), tensor([[0], [2]])).toArray()).toEqual([
      [1, 0, 3],
      [2, 2, 3],
    ]);
  });

  it('gradient goes to the larger input; ties go to a (TensorFlow rule)', () => {
    const a = tensor([1, 5, 2], undefined, { requiresGrad: true });
    const b = tensor([1, 3, 4], undefined, { requiresGrad: true });
    maximum(a, b).backward(tensor([10, 20, 30]));
    expect(a.grad!.toArray()).toEqual([10, 20, 0]);
    expect(b.grad!.toArray()).toEqual([0, 0, 30]);
  });

  it('gradient to a broadcast scalar sums the elements where it won', () => {
    const a = tensor([-1, 2, -3], undefined, { requiresGrad: true });
    const b = tensor(0, undefined, { requiresGrad: true });
    maximum(a, b).backward(tensor([1, 1, 1]));
    expect(b.grad!.item()).toBe(2);
    expect(a.grad!.toArray()).toEqual([0, 1, 0]);
  });

  it('dtypes: f32 with f64 is f64', () => {
    expect(maximum(tensor([1]), tensor([2], undefined, { dtype: 'float64' })).dtype).toBe('float64');
  });
});
