import { arange, ShapeError, zeros } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { runLayerTest } from '../testing/layerTest';
import { Flatten } from './Flatten';

describe('Flatten', () => {
  it('keeps NHWC order: y[n, (i·W + j)·C + c] = x[n, i, j, c]', () => {
    // x[0, i, j, c] = 100·i + 10·j + c, so the flat order reads as counting i, then j, then c
    const x = arange(0, 2 * 2 * 3).reshape([1, 2, 2, 3]);
    const y = new Flatten().apply(x);
    expect(y.shape).toEqual([1, 12]);
    expect(y.toArray()).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]]);
  });

  // features = product of the non-batch axes
  const cases: Array<[string, number[], number[]]> = [
    ['LeNet [2, 5, 5, 16] → [2, 400]', [2, 5, 5, 16], [2, 400]],
    ['AlexNet [1, 6, 6, 256] → [1, 9216]', [1, 6, 6, 256], [1, 9216]],
    ['rank 3 [3, 4, 5] → [3, 20]', [3, 4, 5], [3, 20]],
    ['rank 2 [3, 7] stays [3, 7]', [3, 7], [3, 7]],
  ];
  it.each(cases)('%s', (title, input, out) => {
    runLayerTest({ title, make: () => new Flatten(), inputShape: input, expectedOutputShape: out, expectedParams: 0 });
  });

  it('passes the gradient through unchanged (a reshape)', () => {
    const x = zeros([2, 2, 2, 1]).requireGrad();
    new Flatten().apply(x).sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('rejects a rank-1 input', () => {
    const flat = new Flatten({ name: 'flat' });
    expect(() => flat.apply(zeros([400]))).toThrow(ShapeError);
    expect(() => flat.apply(zeros([400]))).toThrow(
      "Flatten 'flat' expects input [batch, ...features] with at least 2 axes, got [400]",
    );
  });
});
