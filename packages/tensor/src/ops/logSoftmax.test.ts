import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { logSoftmax } from './index';

const f64 = { dtype: 'float64' } as const;

describe('logSoftmax', () => {
  it('doc example: [1000, -1000] gives [0, -2000] (finite, where log(softmax) gives -Infinity)', () => {
    expect(logSoftmax(tensor([1000, -1000], undefined, f64)).toArray()).toEqual([0, -2000]);
    expect(logSoftmax(tensor([1000, -1000])).toArray()).toEqual([0, -2000]);
  });

  it('[0, ln 3] gives [ln 1/4, ln 3/4]', () => {
    const y = logSoftmax(tensor([0, Math.log(3)], undefined, f64));
    expect(y.data[0]).toBeCloseTo(Math.log(0.25), 15);
    expect(y.data[1]).toBeCloseTo(Math.log(0.75), 15);
  });

  it('x=[2,2] axis=0', () => {
    const y = logSoftmax(
      tensor(
        [
          [0, 7],
          [Math.log(3), 7],
        ],
        undefined,
        f64,
      ),
      0,
    );
    const v = Array.from(y.data);
    const want = [Math.log(0.25), Math.log(0.5), Math.log(0.75), Math.log(0.5)];
    for (let i = 0; i < want.length; i++) expect(v[i]).toBeCloseTo(want[i]!, 15);
  });

  it('gradient: dy = [1, 0] on softmax [1/4, 3/4] gives dy − softmax·Σdy = [3/4, −3/4]', () => {
    const x = tensor([0, Math.log(3)], undefined, { ...f64, requiresGrad: true });
    logSoftmax(x).backward(tensor([1, 0], undefined, f64));
    expect(x.grad!.data[0]).toBeCloseTo(0.75, 15);
    expect(x.grad!.data[1]).toBeCloseTo(-0.75, 15);
  });

  it('keeps the dtype', () => {
    expect(logSoftmax(tensor([1, 2])).dtype).toBe('float32');
  });

  it('x=[] throws (a scalar has no axis)', () => {
    expect(() => logSoftmax(tensor(1))).toThrow(
      /logSoftmax: a rank-0 tensor \(a scalar\) has no axes, but got axis -1/,
    );
  });
});
