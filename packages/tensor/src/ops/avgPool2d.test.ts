import { describe, expect, it } from 'vitest';
import { lectureImage } from '../testing/fixtures';
import { avgPool2d } from './avgPool2d';
import { tensor } from './creation';

// Golden values, gradCheck and error messages: testing/opInfos/cnn.ts; TF.js: cnnOracle.test.ts.

describe('avgPool2d', () => {
  it('@example lecture x=[1,4,4,1] pool=2 valid', () => {
    const x = lectureImage();
    expect(avgPool2d(x, { poolSize: 2 }).reshape([2, 2]).toArray()).toEqual([
      [4.25, 4.25],
      [4.25, 3.5],
    ]);
  });

  it('x=[1,3,3,1] pool=2 strides=2 same: each cell gets dy / (real cells of its window)', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1], { requiresGrad: true });
    const y = x.avgPool2d({ poolSize: 2, strides: 2, padding: 'same' });
    // windows: {1,2,4,5} → 3, {3,6} → 4.5, {7,8} → 7.5, {9} → 9
    expect(Array.from(y.data)).toEqual([3, 4.5, 7.5, 9]);
    y.backward(tensor([4, 4, 4, 4], [1, 2, 2, 1]));
    expect(Array.from(x.grad!.data)).toEqual([1, 1, 2, 1, 1, 2, 2, 2, 4]);
  });
});
