import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { pad } from './pad';
import { slice } from './slice';

describe('slice', () => {
  const x = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it('x=[2,3] begin=[0,1] size=[2,2]', () => {
    expect(String(slice(x, [0, 1], [2, 2]))).toBe('[[2. 3.]\n [5. 6.]]');
  });

  it('x=[2,3] begin=1 (a number is axis 0, the rest to the end)', () => {
    expect(slice(x, 1).toArray()).toEqual([[4, 5, 6]]);
    expect(slice(x, [0, 2]).toArray()).toEqual([[3], [6]]);
    expect(slice(x, [0, 1], [-1, 1]).toArray()).toEqual([[2], [5]]);
  });

  it('gradient is dy in the block and zero outside', () => {
    const w = tensor([[1, 2, 3, 4]], undefined, { requiresGrad: true });
    slice(w, [0, 1], [1, 2]).backward(tensor([[10, 20]]));
    expect(w.grad!.toArray()).toEqual([[0, 10, 20, 0]]);
  });
});

describe('pad', () => {
  it('x=[1,2] [[1,0],[0,1]] (the TSDoc example)', () => {
    expect(
      String(
        pad(tensor([[1, 2]]), [
          [1, 0],
          [0, 1],
        ]),
      ),
    ).toBe('[[0. 0. 0.]\n [1. 2. 0.]]');
  });

  it('x=[1,2,2,1] spatial padding 1, value -1 (an image border)', () => {
    const img = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    const y = pad(
      img,
      [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ],
      -1,
    );
    expect(y.shape).toEqual([1, 4, 4, 1]);
    expect(Array.from(y.data)).toEqual([-1, -1, -1, -1, -1, 1, 2, -1, -1, 3, 4, -1, -1, -1, -1, -1]);
  });

  it('gradient drops the padding cells', () => {
    const w = tensor([5, 6], undefined, { dtype: 'float64', requiresGrad: true });
    pad(w, [[2, 1]], 7).backward(tensor([1, 2, 3, 4, 5], undefined, { dtype: 'float64' }));
    expect(w.grad!.toArray()).toEqual([3, 4]);
    expect(w.grad!.dtype).toBe('float64');
  });
});
