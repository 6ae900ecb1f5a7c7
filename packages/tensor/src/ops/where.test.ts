import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { where } from './index';

describe('where', () => {
  it('doc example: where([1,0,1], [1,2,3], 0)', () => {
    expect(where(tensor([1, 0, 1]), tensor([1, 2, 3]), 0).toArray()).toEqual([1, 0, 3]);
  });

  it('any non-zero condition is true (including negatives and NaN)', () => {
    expect(where(tensor([-2, 0, Number.NaN]), 1, 2).toArray()).toEqual([1, 2, 1]);
  });

  it('condition=[2,1] a=[3] b=[] broadcast to [2,3]', () => {
    const y = where(tensor([[1], [0]]), tensor([1, 2, 3]), tensor(-1));
    expect(y.toArray()).toEqual([
      [1, 2, 3],
      [-1, -1, -1],
    ]);
  });

  it('gradient goes to a where true, to b where false, summed over broadcast axes', () => {
    const a = tensor([1, 2, 3], undefined, { requiresGrad: true });
    const b = tensor(0, undefined, { requiresGrad: true });
    const c = tensor([
      [1, 0, 1],
      [0, 0, 1],
    ]);
    where(c, a, b).backward(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    expect(a.grad!.toArray()).toEqual([1, 0, 9]);
    expect(b.grad!.item()).toBe(2 + 4 + 5);
  });

  it('the condition gets no gradient', () => {
    const c = tensor([1, 0], undefined, { requiresGrad: true });
    const a = tensor([1, 2], undefined, { requiresGrad: true });
    where(c, a, 0).backward(tensor([1, 1]));
    expect(c.grad).toBeNull();
    expect(a.grad!.toArray()).toEqual([1, 0]);
  });

  it('dtypes: a, b promote (f32 with f64 is f64); numbers take the tensors dtype', () => {
    const c = tensor([1]);
    expect(where(c, tensor([1]), tensor([2], undefined, { dtype: 'float64' })).dtype).toBe('float64');
    expect(where(c, tensor([1]), 0).dtype).toBe('float32');
    expect(where(tensor([1], undefined, { dtype: 'float64' }), 1, 0).dtype).toBe('float64');
  });

  it('condition=[3] a=[2] throws', () => {
    expect(() => where(tensor([1, 0, 1]), tensor([1, 2]), 0)).toThrow(/where: shapes must be broadcastable/);
  });
});
