import { describe, expect, it } from 'vitest';
import { lectureImage } from '../testing/fixtures';
import { tensor } from './creation';
import { globalAvgPool2d } from './globalAvgPool2d';

// Golden values, gradCheck and error messages: testing/opInfos/cnn.ts; TF.js: cnnOracle.test.ts.

describe('globalAvgPool2d', () => {
  it('@example lecture x=[1,4,4,1]', () => {
    const x = lectureImage();
    expect(globalAvgPool2d(x).toArray()).toEqual([[4.0625]]); // 65 / 16
  });

  it('x=[2,2,1,2]: [N, C] by default, each cell gets dy / (H·W)', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 1, 2], { requiresGrad: true });
    const y = x.globalAvgPool2d();
    expect(y.shape).toEqual([2, 2]);
    expect(Array.from(y.data)).toEqual([2, 3, 6, 7]);
    y.backward(tensor([2, 4, 6, 8], [2, 2]));
    expect(Array.from(x.grad!.data)).toEqual([1, 2, 1, 2, 3, 4, 3, 4]);
  });
});
