import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { sub } from './index';

describe('sub', () => {
  it('doc example: 1 - [0.25, 0.5]', () => {
    expect(sub(1, tensor([0.25, 0.5])).toArray()).toEqual([0.75, 0.5]);
  });

  it('a=[2,1] b=[2] broadcasts to [2,2]', () => {
    expect(sub(tensor([[1], [2]]), tensor([1, 10])).toArray()).toEqual([
      [0, -9],
      [1, -8],
    ]);
  });

  it('gradient: a=[2,2] - b=[2] gives a.grad = dy, b.grad = -(column sums of dy)', () => {
    const a = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      undefined,
      { requiresGrad: true },
    );
    const b = tensor([5, 6], undefined, { requiresGrad: true });
    sub(a, b).backward(
      tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(a.grad!.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(b.grad!.toArray()).toEqual([-4, -6]);
  });

  it('dtypes: f32-f64=f64, number takes the tensor dtype', () => {
    expect(sub(tensor([1]), tensor([1], undefined, { dtype: 'float64' })).dtype).toBe('float64');
    expect(sub(2, tensor([1])).dtype).toBe('float32');
  });

  it('a=[3] b=[2] throws', () => {
    expect(() => sub(tensor([1, 2, 3]), tensor([1, 2]))).toThrow(/sub: shapes must be broadcastable/);
  });
});
