import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { relu } from './index';

describe('relu', () => {
  it('doc example: relu([-1, 0, 2])', () => {
    expect(relu(tensor([-1, 0, 2])).toArray()).toEqual([0, 0, 2]);
  });

  it('x=[1,2,2,1] (NHWC): negatives become 0', () => {
    const y = relu(
      tensor([
        [
          [[-1], [2]],
          [[3], [-4]],
        ],
      ]),
    );
    expect(y.shape).toEqual([1, 2, 2, 1]);
    expect(Array.from(y.data)).toEqual([0, 2, 3, 0]);
  });

  it('gradient is 1 for x > 0 and 0 for x <= 0 (0 at exactly 0)', () => {
    const x = tensor([-1, 0, 2], undefined, { requiresGrad: true });
    relu(x).backward(tensor([7, 7, 7]));
    expect(x.grad!.toArray()).toEqual([0, 0, 7]);
  });

  it('NaN stays NaN', () => {
    expect(Number.isNaN(relu(tensor([Number.NaN])).item())).toBe(true);
  });

  it('keeps the dtype', () => {
    expect(relu(tensor([1])).dtype).toBe('float32');
    expect(relu(tensor([1], undefined, { dtype: 'float64' })).dtype).toBe('float64');
  });
});
