import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { square } from './index';

describe('square', () => {
  it('doc example: square([-3, 0.5, 2])', () => {
    expect(square(tensor([-3, 0.5, 2])).toArray()).toEqual([9, 0.25, 4]);
  });

  it('gradient: 2x at x = [-3, 0.5]', () => {
    const x = tensor([-3, 0.5], undefined, { requiresGrad: true });
    square(x).backward(tensor([1, 2]));
    expect(x.grad!.toArray()).toEqual([-6, 2]);
  });

  it('keeps the dtype', () => {
    expect(square(tensor([1])).dtype).toBe('float32');
  });
});
