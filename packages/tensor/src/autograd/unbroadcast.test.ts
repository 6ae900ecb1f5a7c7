import { describe, expect, it } from 'vitest';
import { tensor } from '../ops/creation';
import { Tensor } from '../tensor';
import { unbroadcast } from './unbroadcast';

describe('unbroadcast', () => {
  it('doc example: dy=[2,3] to [3] sums the rows', () => {
    expect(
      unbroadcast(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        [3],
      ).toArray(),
    ).toEqual([5, 7, 9]);
  });

  it('dy=[2,3] to [2,1] sums each row', () => {
    expect(
      unbroadcast(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        [2, 1],
      ).toArray(),
    ).toEqual([[6], [15]]);
  });

  it('dy=[2,3] to [] sums everything', () => {
    const g = unbroadcast(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      [],
    );
    expect(g.shape).toEqual([]);
    expect(g.item()).toBe(21);
  });

  it('dy=[2,2,3] to [2,1,3] sums the middle axis only', () => {
    const dy = tensor([
      [
        [1, 2, 3],
        [10, 20, 30],
      ],
      [
        [100, 200, 300],
        [1000, 2000, 3000],
      ],
    ]);
    expect(unbroadcast(dy, [2, 1, 3]).toArray()).toEqual([[[11, 22, 33]], [[1100, 2200, 3300]]]);
  });

  it('dy=[1,3] to [3] only drops the axis of size 1 (no sum)', () => {
    expect(unbroadcast(tensor([[1, 2, 3]]), [3]).toArray()).toEqual([1, 2, 3]);
  });

  it('equal shapes return dy itself', () => {
    const dy = tensor([1, 2]);
    expect(unbroadcast(dy, [2])).toBe(dy);
  });

  it('float32 sums are accumulated in float64: 2^24 ones + 1 more stays exact', () => {
    // in float32 arithmetic 16777216 + 1 rounds back to 16777216
    const n = 2 ** 24 + 2;
    const dy = new Tensor(new Float32Array(n).fill(1), [n]);
    expect(unbroadcast(dy, [1]).item()).toBe(n);
  });

  it('keeps the dtype of dy', () => {
    expect(unbroadcast(tensor([1, 2], undefined, { dtype: 'float64' }), []).dtype).toBe('float64');
  });

  it('target [4] cannot broadcast to dy=[2,3]', () => {
    expect(() =>
      unbroadcast(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        [4],
      ),
    ).toThrow(/unbroadcast: shapes must be broadcastable/);
  });

  it('target [2,2,3] has more axes than dy=[2,3]', () => {
    expect(() =>
      unbroadcast(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        [2, 2, 3],
      ),
    ).toThrow(/unbroadcast: shape \[2, 2, 3\] must broadcast to the gradient's shape, but got \[2, 3\]/);
  });
});
