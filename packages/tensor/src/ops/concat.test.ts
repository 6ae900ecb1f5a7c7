import { describe, expect, it } from 'vitest';
import { concat } from './concat';
import { tensor, zeros } from './creation';
import { stack } from './stack';

describe('concat', () => {
  const a = tensor([[1, 2]]);
  const b = tensor([[3, 4]]);

  it('two [1,2] along axis 0 and axis 1', () => {
    expect(String(concat([a, b]))).toBe('[[1. 2.]\n [3. 4.]]');
    expect(String(concat([a, b], 1))).toBe('[[1. 2. 3. 4.]]');
    expect(a.concat(b, -1).shape).toEqual([1, 4]);
  });

  it('float32 with float64 gives float64, and each gradient keeps its input dtype', () => {
    const p = tensor([1], undefined, { requiresGrad: true });
    const q = tensor([2, 3], undefined, { dtype: 'float64', requiresGrad: true });
    const y = concat([p, q]);
    expect(y.dtype).toBe('float64');
    y.backward(tensor([7, 8, 9], undefined, { dtype: 'float64' }));
    expect(p.grad!.toArray()).toEqual([7]);
    expect(p.grad!.dtype).toBe('float32');
    expect(q.grad!.toArray()).toEqual([8, 9]);
  });

  it('only inputs that require a gradient get one', () => {
    const p = tensor([1, 2], undefined, { requiresGrad: true });
    const c = tensor([3]);
    concat([c, p]).backward(tensor([4, 5, 6]));
    expect(p.grad!.toArray()).toEqual([5, 6]);
    expect(c.grad).toBeNull();
  });
});

describe('stack', () => {
  it('two [2] along axis 0 and axis 1', () => {
    expect(String(stack([tensor([1, 2]), tensor([3, 4])]))).toBe('[[1. 2.]\n [3. 4.]]');
    expect(String(stack([tensor([1, 2]), tensor([3, 4])], 1))).toBe('[[1. 3.]\n [2. 4.]]');
  });

  it('three [28,28,1] images make a batch [3,28,28,1]', () => {
    const img = zeros([28, 28, 1]);
    expect(stack([img, img, img]).shape).toEqual([3, 28, 28, 1]);
  });

  it('gradient splits dy along the new axis', () => {
    const p = tensor([1, 2], undefined, { requiresGrad: true });
    const q = tensor([3, 4], undefined, { requiresGrad: true });
    stack([p, q], 1).backward(
      tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(p.grad!.toArray()).toEqual([1, 3]);
    expect(q.grad!.toArray()).toEqual([2, 4]);
  });

  it('shapes [2] and [3] name tensor 1', () => {
    expect(() => stack([zeros([2]), zeros([3])])).toThrow(
      /same shape, but got \[2\] \(tensor 0\) and \[3\] \(tensor 1\)/,
    );
  });
});
