import { describe, expect, it } from 'vitest';
import { getBackend, setBackend } from '../kernels/index';
import { lectureImage } from '../testing/fixtures';
import { tensor } from './creation';
import { globalMaxPool2d } from './globalMaxPool2d';
import { maxPool2d } from './maxPool2d';

// Golden values, gradCheck and error messages: testing/opInfos/cnn.ts; TF.js: cnnOracle.test.ts.

const lecture = () => lectureImage();

describe('maxPool2d', () => {
  it('@example lecture x=[1,4,4,1] pool=2 strides=2 valid', () => {
    expect(maxPool2d(lecture(), { poolSize: 2, strides: 2 }).reshape([2, 2]).toArray()).toEqual([
      [9, 7],
      [8, 6],
    ]);
  });

  it('x=[1,4,4,1] pool=2: the gradient goes to where each max came from', () => {
    const x = lecture().detach().requireGrad();
    maxPool2d(x).sum().backward();
    // maxima 9 at (1,0), 7 at (0,2), 8 at (2,0), 6 at (3,3)
    expect(Array.from(x.grad!.data)).toEqual([0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('ties: x=ones [1,2,2,1] pool=2 sends the whole gradient to the first cell (TensorFlow rule)', () => {
    const x = tensor([1, 1, 1, 1], [1, 2, 2, 1], { requiresGrad: true });
    maxPool2d(x).backward(tensor([5], [1, 1, 1, 1]));
    expect(Array.from(x.grad!.data)).toEqual([5, 0, 0, 0]);
  });

  it('x=[1,1,3,1] pool=[1,2] strides=1: overlapping windows add up at a shared max', () => {
    // windows {0, 9} and {9, 1} both pick the middle cell
    const x = tensor([0, 9, 1], [1, 1, 3, 1], { requiresGrad: true });
    const y = x.maxPool2d({ poolSize: [1, 2], strides: 1 });
    expect(Array.from(y.data)).toEqual([9, 9]);
    y.backward(tensor([2, 3], [1, 1, 2, 1]));
    expect(Array.from(x.grad!.data)).toEqual([0, 5, 0]);
  });

  it('keeps float32', () => {
    expect(maxPool2d(lecture()).dtype).toBe('float32');
  });
});

describe('maxPool2d with NaN', () => {
  // PyTorch and our `max` reduction propagate NaN; the result must not depend on where it sits
  it.each(['cpu', 'reference'])('a NaN anywhere in the window wins (%s backend), and gets the gradient', (name) => {
    const previous = getBackend().name;
    setBackend(name);
    try {
      for (let at = 0; at < 4; at++) {
        const values = [1, 2, 3, 4];
        values[at] = Number.NaN;
        const x = tensor(values, [1, 2, 2, 1], { requiresGrad: true });
        const y = maxPool2d(x);
        expect(y.item()).toBeNaN();
        expect(globalMaxPool2d(x).item()).toBeNaN();
        y.backward(tensor([1], [1, 1, 1, 1]));
        expect(Array.from(x.grad!.data)).toEqual([0, 1, 2, 3].map((i) => (i === at ? 1 : 0)));
      }
    } finally {
      setBackend(previous);
    }
  });
});
