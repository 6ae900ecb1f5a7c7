import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { add } from './index';

describe('add', () => {
  it('doc example: x=[2,3] + b=[3] broadcasts the row down', () => {
    expect(
      add(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        tensor([10, 20, 30]),
      ).toArray(),
    ).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
  });

  it('a=[3,1] b=[1,4] broadcasts both sides to [3,4]', () => {
    const y = add(tensor([[0], [10], [20]]), tensor([[1, 2, 3, 4]]));
    expect(y.shape).toEqual([3, 4]);
    expect(y.toArray()).toEqual([
      [1, 2, 3, 4],
      [11, 12, 13, 14],
      [21, 22, 23, 24],
    ]);
  });

  it('rank 0 + rank 0 is rank 0; number + number is a float32 scalar', () => {
    expect(add(tensor(2), tensor(3)).shape).toEqual([]);
    const y = add(2, 3);
    expect(y.shape).toEqual([]);
    expect(y.dtype).toBe('float32');
    expect(y.item()).toBe(5);
  });

  it('empty: [0,3] + [3] is [0,3]', () => {
    expect(add(tensor([], [0, 3]), tensor([1, 2, 3])).shape).toEqual([0, 3]);
  });

  it('dtypes: f32+f32=f32, f32+f64=f64, number takes the tensor dtype', () => {
    const f32 = tensor([1, 2]);
    const f64 = tensor([1, 2], undefined, { dtype: 'float64' });
    expect(add(f32, f32).dtype).toBe('float32');
    expect(add(f32, f64).dtype).toBe('float64');
    expect(add(f64, f32).dtype).toBe('float64');
    expect(add(f32, 0.1).dtype).toBe('float32');
    expect(add(0.1, f64).dtype).toBe('float64');
    // 0.1 rounded to float32 then added in float32
    expect(add(f32, 0.1).data[0]).toBe(Math.fround(1.1));
  });

  it('bias gradient: x=[2,2,3] + b=[3] gives b.grad = 4 per channel (summed over 2·2 positions)', () => {
    const x = tensor(new Array(12).fill(1), [2, 2, 3], { requiresGrad: true });
    const b = tensor([0.1, 0.2, 0.3], undefined, { requiresGrad: true });
    const y = add(x, b);
    y.backward(tensor(new Array(12).fill(1), [2, 2, 3]));
    expect(Array.from(b.grad!.data)).toEqual([4, 4, 4]);
    expect(x.grad!.shape).toEqual([2, 2, 3]);
    expect(Array.from(x.grad!.data)).toEqual(new Array(12).fill(1));
  });

  it('gradient of a number operand is not needed: add(x, 1) only fills x.grad', () => {
    const x = tensor([1, 2], undefined, { requiresGrad: true });
    add(x, 1).backward(tensor([3, 4]));
    expect(Array.from(x.grad!.data)).toEqual([3, 4]);
  });

  it('method twin x.add(y)', () => {
    expect(
      tensor([1, 2])
        .add(tensor([3, 4]))
        .toArray(),
    ).toEqual([4, 6]);
  });

  it('a=[2,3] b=[4] throws a ShapeError naming both shapes', () => {
    expect(() => add(tensor([1, 2, 3, 4, 5, 6], [2, 3]), tensor([1, 2, 3, 4]))).toThrow(
      /add: shapes must be broadcastable .*but got \[2, 3\] and \[4\]/,
    );
  });
});
