import { describe, expect, it } from 'vitest';
import { arange, eye, full, ones, tensor, zeros } from './ops/creation';
import { Tensor } from './tensor';

describe('tensor() creation', () => {
  it('infers the shape from the nesting', () => {
    expect(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]).shape,
    ).toEqual([2, 3]);
    expect(tensor([[[1], [2]]]).shape).toEqual([1, 2, 1]);
    expect(tensor(7).shape).toEqual([]);
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([1, 2, 3, 4, 5, 6], [2, 3]).toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('infers the dtype: float32 by default, float64 from a Float64Array', () => {
    expect(tensor([1, 2]).dtype).toBe('float32');
    expect(tensor(new Float64Array([1, 2])).dtype).toBe('float64');
    expect(tensor(new Float32Array([1, 2])).dtype).toBe('float32');
    expect(tensor([1, 2], undefined, { dtype: 'float64' }).data).toBeInstanceOf(Float64Array);
    // a float32 tensor rounds: 0.1 is not representable
    expect(tensor([0.1]).data[0]).toBe(Math.fround(0.1));
  });

  it('copies its input', () => {
    const src = new Float32Array([1, 2]);
    const t = tensor(src);
    src[0] = 99;
    expect(t.data[0]).toBe(1);
  });

  it('ragged nesting names the place and the expected length', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(
      /ragged nested array: expected 2 elements at \[1\].*but got an array of length 1/,
    );
    expect(() => tensor([[1, 2], 3] as never)).toThrow(/expected 2 elements at \[1\].*but got number 3/);
    expect(() => tensor([[1, [2]]] as never)).toThrow(/expected a number at \[0, 1\]/);
  });

  it('an explicit shape must match the number of values', () => {
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/shape \[2, 2\] needs 4 values, but got 3/);
    expect(() => tensor([1, 2], [-2, -1])).toThrow(/non-negative integers, but got \[-2, -1\]/);
  });

  it('rejects an unknown dtype and non-numbers', () => {
    expect(() => tensor([1], undefined, { dtype: 'int32' as never })).toThrow(
      /dtype must be 'float32' or 'float64', but got "int32"/,
    );
    expect(() => tensor('abc' as never)).toThrow(/values must be a number.*but got string "abc"/);
  });

  it('the Tensor constructor checks the storage size', () => {
    expect(() => new Tensor(new Float32Array(3), [2, 2])).toThrow(/storage has 3 elements but shape \[2, 2\] needs 4/);
  });

  it('zeros, ones, full, arange, eye', () => {
    expect(zeros([2, 2]).toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(ones([3]).toArray()).toEqual([1, 1, 1]);
    expect(full([2], 7, { dtype: 'float64' }).dtype).toBe('float64');
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(() => arange(0, 1, 0)).toThrow(/step must be a non-zero finite number, but got 0/);
  });
});

describe('reading a tensor', () => {
  it('toArray mirrors the shape; a scalar gives a number', () => {
    expect(tensor([[1, 2]]).toArray()).toEqual([[1, 2]]);
    expect(tensor(3).toArray()).toBe(3);
    expect(zeros([2, 0]).toArray()).toEqual([[], []]);
  });

  it('dataSync is a copy', () => {
    const t = tensor([1, 2]);
    const d = t.dataSync();
    d[0] = 5;
    expect(t.data[0]).toBe(1);
  });

  it('item reads a one-element tensor and refuses others', () => {
    expect(tensor([[2.5]]).item()).toBe(2.5);
    expect(() => tensor([1, 2]).item()).toThrow(/only one-element tensors.*but got shape \[2\]/);
  });

  it('size, rank, isLeaf', () => {
    const t = zeros([2, 3, 4]);
    expect(t.size).toBe(24);
    expect(t.rank).toBe(3);
    expect(t.isLeaf).toBe(true);
    expect(Object.isFrozen(t.shape)).toBe(true);
  });
});

// Expected strings are what NumPy 1.26 prints for the same arrays (print(np.array(...))).
describe('String(x) prints like NumPy', () => {
  it('decimals are aligned on the point', () => {
    expect(
      String(
        tensor([
          [4.25, 4.25],
          [4.25, 3.5],
        ]),
      ),
    ).toBe('[[4.25 4.25]\n [4.25 3.5 ]]');
  });

  it('integers print with a trailing dot', () => {
    expect(
      String(
        tensor([
          [9, 7],
          [8, 6],
        ]),
      ),
    ).toBe('[[9. 7.]\n [8. 6.]]');
    expect(String(tensor([-1, 10, 2]))).toBe('[-1. 10.  2.]');
  });

  it('float32 values print their shortest float32 digits', () => {
    expect(String(tensor([2 / 3, 0.1]))).toBe('[0.6666667 0.1      ]');
    expect(String(tensor([2 / 3, 0.1], undefined, { dtype: 'float64' }))).toBe('[0.66666667 0.1       ]');
  });

  it('a 3-D tensor separates blocks with a blank line', () => {
    expect(String(arange(8).reshape([2, 2, 2]))).toBe('[[[0. 1.]\n  [2. 3.]]\n\n [[4. 5.]\n  [6. 7.]]]');
  });

  it('small, large or widely spread values switch to scientific notation', () => {
    expect(String(tensor([1, 1e-5], undefined, { dtype: 'float64' }))).toBe('[1.e+00 1.e-05]');
    expect(String(tensor([1.5, 2000], undefined, { dtype: 'float64' }))).toBe('[1.5e+00 2.0e+03]');
    expect(String(tensor([1e8, 0], undefined, { dtype: 'float64' }))).toBe('[1.e+08 0.e+00]');
  });

  it('nan and inf', () => {
    expect(String(tensor([1, Number.NaN, Number.POSITIVE_INFINITY]))).toBe('[ 1. nan inf]');
  });

  it('a >1000-element tensor is summarised with 3 items at each edge', () => {
    expect(String(arange(2000))).toBe('[0.000e+00 1.000e+00 2.000e+00 ... 1.997e+03 1.998e+03 1.999e+03]');
    expect(String(zeros([100, 100]))).toBe(
      [
        '[[0. 0. 0. ... 0. 0. 0.]',
        ' [0. 0. 0. ... 0. 0. 0.]',
        ' [0. 0. 0. ... 0. 0. 0.]',
        ' ...',
        ' [0. 0. 0. ... 0. 0. 0.]',
        ' [0. 0. 0. ... 0. 0. 0.]',
        ' [0. 0. 0. ... 0. 0. 0.]]',
      ].join('\n'),
    );
  });

  it('a scalar prints like a Python float', () => {
    expect(String(tensor(3))).toBe('3.0');
    expect(String(tensor(2.5))).toBe('2.5');
    expect(String(tensor(1e-5, undefined, { dtype: 'float64' }))).toBe('1e-05');
    expect(String(tensor(2 / 3))).toBe('0.6666667');
  });
});

describe('printing empty tensors', () => {
  it('a tensor with no elements prints [] whatever its shape, as NumPy does', () => {
    expect(String(zeros([2, 0]))).toBe('[]');
    expect(String(zeros([0]))).toBe('[]');
  });
});
