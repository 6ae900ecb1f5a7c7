import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { gather } from './gather';

describe('gather', () => {
  const x = tensor([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);

  it('x=[3,2] indices=[2,0,2] axis=0', () => {
    expect(String(gather(x, [2, 0, 2]))).toBe('[[5. 6.]\n [1. 2.]\n [5. 6.]]');
  });

  it('x=[3,2] indices=[1] axis=1 and axis=-1', () => {
    expect(gather(x, [1], 1).toArray()).toEqual([[2], [4], [6]]);
    expect(gather(x, Int32Array.from([0, 1]), -1).toArray()).toEqual(x.toArray());
  });

  it('x=[3,2] indices tensor [2,2]: the output takes the indices shape', () => {
    const y = gather(
      x,
      tensor([
        [0, 1],
        [2, 2],
      ]),
    );
    expect(y.shape).toEqual([2, 2, 2]);
    expect(y.toArray()).toEqual([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [5, 6],
      ],
    ]);
  });

  it('gradient of repeated indices accumulates (scatter-add)', () => {
    const w = tensor([10, 20, 30], undefined, { requiresGrad: true });
    gather(w, [2, 0, 2, 2]).backward(tensor([1, 2, 3, 4]));
    // row 0 was read once (dy 2), row 1 never, row 2 three times (1 + 3 + 4)
    expect(w.grad!.toArray()).toEqual([2, 0, 8]);
  });

  it('index 3 on an axis of size 3', () => {
    expect(() => gather(x, [3])).toThrow(/integers in \[0, 3\) \(the size of axis 0\), but got 3 at position 0/);
  });
});
