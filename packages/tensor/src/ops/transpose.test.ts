import { describe, expect, it } from 'vitest';
import { arange, tensor } from './creation';
import { sum } from './sum';
import { permute, transpose } from './transpose';

describe('transpose', () => {
  it('x=[2,3] default reverses the axes', () => {
    const y = transpose(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    expect(y.shape).toEqual([3, 2]);
    expect(String(y)).toBe('[[1. 4.]\n [2. 5.]\n [3. 6.]]');
  });

  it('x=[1,2,2,3] NHWC to NCHW perm=[0,3,1,2]', () => {
    // x[0, h, w, c] = 6h + 3w + c, so y[0, c, h, w] is the same number
    const y = permute(arange(12).reshape([1, 2, 2, 3]), [0, 3, 1, 2]);
    expect(y.shape).toEqual([1, 3, 2, 2]);
    expect(y.toArray()).toEqual([
      [
        [
          [0, 3],
          [6, 9],
        ],
        [
          [1, 4],
          [7, 10],
        ],
        [
          [2, 5],
          [8, 11],
        ],
      ],
    ]);
  });

  it('keeps float64 and copies (does not share storage)', () => {
    const x = tensor([[1, 2]], undefined, { dtype: 'float64' });
    const y = transpose(x);
    expect(y.dtype).toBe('float64');
    expect(y.data).not.toBe(x.data);
  });

  it('gradient goes back through the inverse permutation', () => {
    // L = Σ w ⊙ transpose(x, [1, 2, 0]), so dL/dx[i, j, k] = w[j, k, i]
    const x = arange(24, undefined, 1, { requiresGrad: true });
    const w = arange(24).reshape([3, 4, 2]);
    transpose(x.reshape([2, 3, 4]), [1, 2, 0]).backward(w);
    const g = x.grad!.reshape([2, 3, 4]).toArray() as number[][][];
    const wa = w.toArray() as number[][][];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expect(g[i]![j]![k]).toBe(wa[j]![k]![i]);
    expect(sum(x.grad!).item()).toBe(276);
  });

  it('perm with a repeated axis', () => {
    expect(() => transpose(arange(6).reshape([2, 3]), [1, 1])).toThrow(/permutation of the axes \[0, 1\].*\[1, 1\]/);
  });
});
