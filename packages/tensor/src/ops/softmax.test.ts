import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { softmax } from './index';

const f64 = { dtype: 'float64' } as const;

describe('softmax', () => {
  it('doc example: rows [1,1] and [0, ln 3] give [0.5,0.5] and [0.25,0.75]', () => {
    const y = softmax(
      tensor(
        [
          [1, 1],
          [0, Math.log(3)],
        ],
        undefined,
        f64,
      ),
    );
    const v = Array.from(y.data);
    const want = [0.5, 0.5, 0.25, 0.75];
    for (let i = 0; i < want.length; i++) expect(v[i]).toBeCloseTo(want[i]!, 15);
  });

  it('x=[2,3] axis=0 normalizes columns', () => {
    const y = softmax(
      tensor(
        [
          [0, 1, 5],
          [Math.log(3), 1, 5],
        ],
        undefined,
        f64,
      ),
      0,
    );
    const v = Array.from(y.data);
    const want = [0.25, 0.5, 0.5, 0.75, 0.5, 0.5];
    for (let i = 0; i < want.length; i++) expect(v[i]).toBeCloseTo(want[i]!, 15);
  });

  it('stable for large logits: [1000, -1000] is [1, 0] (float32, no NaN)', () => {
    expect(softmax(tensor([1000, -1000])).toArray()).toEqual([1, 0]);
    expect(softmax(tensor([1000, 1000])).toArray()).toEqual([0.5, 0.5]);
  });

  it('gradient: dy = [1, 0] on y = [1/4, 3/4] gives y ⊙ (dy − y·dy) = [3/16, −3/16]', () => {
    const x = tensor([0, Math.log(3)], undefined, { ...f64, requiresGrad: true });
    softmax(x).backward(tensor([1, 0], undefined, f64));
    expect(x.grad!.data[0]).toBeCloseTo(3 / 16, 15);
    expect(x.grad!.data[1]).toBeCloseTo(-3 / 16, 15);
  });

  it('keeps the dtype', () => {
    expect(softmax(tensor([1, 2])).dtype).toBe('float32');
  });

  it('x=[2,3] axis=2 throws naming the valid range', () => {
    expect(() =>
      softmax(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        2,
      ),
    ).toThrow(/softmax: axis must be an integer in \[-2, 1\] for a rank-2 tensor, but got 2/);
  });
});
