import { describe, expect, it } from 'vitest';
import { lectureImage } from '../testing/fixtures';
import { tensor } from './creation';
import { l2Pool2d } from './l2Pool2d';

// Golden values, gradCheck and error messages: testing/opInfos/cnn.ts; TF.js: cnnOracle.test.ts.

describe('l2Pool2d', () => {
  it('@example lecture x=[1,4,4,1] pool=2 valid', () => {
    const x = lectureImage();
    const y = l2Pool2d(x, { poolSize: 2 });
    const want = [Math.sqrt(105), Math.sqrt(95), Math.sqrt(99), Math.sqrt(60)]; // 10.247, 9.747, 9.950, 7.746
    for (let i = 0; i < 4; i++) expect(y.data[i]).toBeCloseTo(want[i]!, 5);
  });

  it('x=[1,1,4,1] pool=[1,2]: gradient x/y, and exactly 0 (not NaN) on an all-zero window', () => {
    const x = tensor([3, -4, 0, 0], [1, 1, 4, 1], { dtype: 'float64', requiresGrad: true });
    const y = l2Pool2d(x, { poolSize: [1, 2] });
    expect(Array.from(y.data)).toEqual([5, 0]);
    y.backward(tensor([1, 1], [1, 1, 2, 1], { dtype: 'float64' }));
    // (3/5, −4/5) for the first window; 0 for the zero window
    const dx = Array.from(x.grad!.data);
    expect(dx[0]).toBeCloseTo(0.6, 12);
    expect(dx[1]).toBeCloseTo(-0.8, 12);
    expect(dx.slice(2)).toEqual([0, 0]);
  });

  it('x=[1,1,3,1] pool=[1,2] strides=1: a cell shared by a zero window and a non-zero one', () => {
    // windows {0, 0} (y = 0) and {0, 2} (y = 2): the middle cell is 0, so x/y is 0 in both
    const x = tensor([0, 0, 2], [1, 1, 3, 1], { dtype: 'float64', requiresGrad: true });
    const y = l2Pool2d(x, { poolSize: [1, 2], strides: 1 });
    y.backward(tensor([1, 1], [1, 1, 2, 1], { dtype: 'float64' }));
    expect(Array.from(x.grad!.data)).toEqual([0, 0, 1]);
  });
});
