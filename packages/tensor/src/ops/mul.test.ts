import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { mul } from './index';

describe('mul', () => {
  it('doc example: [[1],[2]] * [3,4] is an outer product', () => {
    expect(mul(tensor([[1], [2]]), tensor([3, 4])).toArray()).toEqual([
      [3, 4],
      [6, 8],
    ]);
  });

  it('gradient: d(a·b)/da = b, d(a·b)/db = a, summed over broadcast axes', () => {
    // y[i, j] = a[i, j] · b[j]; with dy = 1: a.grad = b per row, b.grad[j] = Σ_i a[i, j]
    const a = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      undefined,
      { requiresGrad: true },
    );
    const b = tensor([10, 20], undefined, { requiresGrad: true });
    mul(a, b).backward(
      tensor([
        [1, 1],
        [1, 1],
      ]),
    );
    expect(a.grad!.toArray()).toEqual([
      [10, 20],
      [10, 20],
    ]);
    expect(b.grad!.toArray()).toEqual([4, 6]);
  });

  it('x * x: the two uses add up to 2x', () => {
    const x = tensor([1, -3], undefined, { requiresGrad: true });
    mul(x, x).backward(tensor([1, 1]));
    expect(x.grad!.toArray()).toEqual([2, -6]);
  });

  it('scalar on either side: 2 * [1,2] and [1,2] * 2', () => {
    expect(mul(2, tensor([1, 2])).toArray()).toEqual([2, 4]);
    expect(mul(tensor([1, 2]), 2).toArray()).toEqual([2, 4]);
    expect(mul(tensor([1, 2]), tensor(2)).toArray()).toEqual([2, 4]);
  });

  it('dtypes: f32*f32=f32, f64*f32=f64', () => {
    expect(mul(tensor([1]), tensor([2])).dtype).toBe('float32');
    expect(mul(tensor([1], undefined, { dtype: 'float64' }), tensor([2])).dtype).toBe('float64');
  });

  it('a=[2,3] b=[2] throws', () => {
    expect(() => mul(tensor([1, 2, 3, 4, 5, 6], [2, 3]), tensor([1, 2]))).toThrow(
      /mul: shapes must be broadcastable .*\[2, 3\] and \[2\]: dimension 3 vs 2/,
    );
  });
});
