import { describe, expect, it } from 'vitest';
import { arange, tensor, zeros } from './creation';
import { expandDims } from './expandDims';
import { flatten } from './flatten';
import { reshape } from './reshape';
import { squeeze } from './squeeze';
import { sum } from './sum';

describe('reshape', () => {
  it('x=arange(6) to [2,-1] (the TSDoc example)', () => {
    expect(String(reshape(arange(6), [2, -1]))).toBe('[[0. 1. 2.]\n [3. 4. 5.]]');
  });

  it('shares storage with its input and keeps the dtype', () => {
    const x = arange(6, undefined, 1, { dtype: 'float64' });
    const y = reshape(x, [3, 2]);
    expect(y.data).toBe(x.data);
    expect(y.dtype).toBe('float64');
    expect(y.shape).toEqual([3, 2]);
  });

  it('x=[0] to [0,-1] is ambiguous', () => {
    expect(() => reshape(zeros([0]), [0, -1])).toThrow(/cannot reshape \[0\] \(0 elements\) into \[0, -1\]/);
  });

  it('gradient has the input shape: d sum(reshape(x)) / dx = 1', () => {
    const x = tensor([[1, 2, 3]], undefined, { requiresGrad: true });
    sum(reshape(x, [3, 1])).backward();
    expect(x.grad!.shape).toEqual([1, 3]);
    expect(x.grad!.toArray()).toEqual([[1, 1, 1]]);
  });
});

describe('flatten, squeeze, expandDims', () => {
  it('x=[2,4,4,3] flatten(1) is [2,48]', () => {
    expect(flatten(zeros([2, 4, 4, 3]), 1).shape).toEqual([2, 48]);
    expect(flatten(zeros([2, 4, 4, 3])).shape).toEqual([96]);
    expect(flatten(zeros([2, 4, 4, 3]), 1, -2).shape).toEqual([2, 16, 3]);
    expect(flatten(tensor(5)).shape).toEqual([1]);
  });

  it('x=[1,3,1] squeeze all, axis -1, axis 0', () => {
    expect(squeeze(zeros([1, 3, 1])).shape).toEqual([3]);
    expect(squeeze(zeros([1, 3, 1]), -1).shape).toEqual([1, 3]);
    expect(squeeze(zeros([1, 3, 1]), [0, 2]).shape).toEqual([3]);
    expect(squeeze(zeros([1, 1])).shape).toEqual([]);
  });

  it('x=[28,28] expandDims 0, -1 and 1', () => {
    expect(expandDims(zeros([28, 28])).shape).toEqual([1, 28, 28]);
    expect(expandDims(zeros([28, 28]), -1).shape).toEqual([28, 28, 1]);
    expect(expandDims(zeros([28, 28]), 1).shape).toEqual([28, 1, 28]);
    expect(expandDims(tensor(3), -1).shape).toEqual([1]);
  });

  it('squeeze of a size-2 axis names the axis and shape', () => {
    expect(() => squeeze(zeros([1, 2]), 1)).toThrow(/axis 1 of size 2 in shape \[1, 2\]/);
  });

  it('method twins', () => {
    const x = zeros([2, 1, 3]);
    expect(x.reshape([3, 2]).shape).toEqual([3, 2]);
    expect(x.flatten().shape).toEqual([6]);
    expect(x.squeeze().shape).toEqual([2, 3]);
    expect(x.expandDims(-1).shape).toEqual([2, 1, 3, 1]);
  });
});
