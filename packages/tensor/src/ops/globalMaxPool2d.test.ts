import { describe, expect, it } from 'vitest';
import { lectureImage } from '../testing/fixtures';
import { tensor } from './creation';
import { globalMaxPool2d } from './globalMaxPool2d';

// Golden values, gradCheck and error messages: testing/opInfos/cnn.ts; TF.js: cnnOracle.test.ts.

describe('globalMaxPool2d', () => {
  it('@example lecture x=[1,4,4,1]', () => {
    const x = lectureImage();
    expect(globalMaxPool2d(x).toArray()).toEqual([[9]]);
  });

  it('x=[2,2,1,2] keepDims: per image and channel, gradient to the first maximal cell', () => {
    // image 0: channel 0 = {1, 5}, channel 1 = {7, 7} (a tie); image 1: {−1, −2}, {0, 3}
    const x = tensor([1, 7, 5, 7, -1, 0, -2, 3], [2, 2, 1, 2], { requiresGrad: true });
    const y = x.globalMaxPool2d({ keepDims: true });
    expect(y.shape).toEqual([2, 1, 1, 2]);
    expect(Array.from(y.data)).toEqual([5, 7, -1, 3]);
    y.backward(tensor([1, 2, 3, 4], [2, 1, 1, 2]));
    expect(Array.from(x.grad!.data)).toEqual([0, 2, 1, 0, 3, 0, 0, 4]);
  });
});
