import { describe, expect, it } from 'vitest';
import { conv2d } from './conv2d';
import { arange, tensor } from './creation';

// Golden values, gradCheck and error messages are in testing/opInfos/cnn.ts; TF.js comparisons
// in cnnOracle.test.ts. Here: the documented example, dtypes and the method twin.

describe('conv2d', () => {
  it('@example x=arange [1,4,4,1] k=[[1,0],[0,-1]] valid', () => {
    const x = arange(16).reshape([1, 4, 4, 1]);
    const k = tensor([
      [1, 0],
      [0, -1],
    ]).reshape([2, 2, 1, 1]);
    // x[i, j] − x[i+1, j+1] = (4i + j) − (4i + 4 + j + 1) = −5
    expect(conv2d(x, k).reshape([3, 3]).toArray()).toEqual([
      [-5, -5, -5],
      [-5, -5, -5],
      [-5, -5, -5],
    ]);
  });

  it('float32 x float32 stays float32; x.conv2d is the same op', () => {
    const x = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    const k = tensor([1, 1, 1, 1], [2, 2, 1, 1]);
    const y = x.conv2d(k);
    expect(y.dtype).toBe('float32');
    expect(Array.from(y.data)).toEqual([10]);
  });

  it('float32 x with float64 kernel computes in float64; each gradient keeps its input dtype', () => {
    const x = tensor([1, 2, 3, 4], [1, 2, 2, 1], { requiresGrad: true });
    const k = tensor([1, 2, 3, 4], [2, 2, 1, 1], { dtype: 'float64', requiresGrad: true });
    const y = conv2d(x, k);
    expect(y.dtype).toBe('float64');
    expect(Array.from(y.data)).toEqual([30]); // 1·1 + 2·2 + 3·3 + 4·4
    y.backward();
    // dy = 1: dx = k, dk = x
    expect(x.grad!.dtype).toBe('float32');
    expect(Array.from(x.grad!.data)).toEqual([1, 2, 3, 4]);
    expect(k.grad!.dtype).toBe('float64');
    expect(Array.from(k.grad!.data)).toEqual([1, 2, 3, 4]);
  });

  it('records no graph when nothing requires a gradient', () => {
    const y = conv2d(tensor([1, 2, 3, 4], [1, 2, 2, 1]), tensor([1], [1, 1, 1, 1]));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradNode).toBeNull();
  });
});
