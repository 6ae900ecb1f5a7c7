import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { log } from './index';

describe('log', () => {
  it('doc example: log([1, e]) in float64', () => {
    expect(log(tensor([1, Math.E], undefined, { dtype: 'float64' })).toArray()).toEqual([0, 1]);
  });

  it('log(0) = -Infinity, log(-1) = NaN (no throw)', () => {
    const y = log(tensor([0, -1]));
    expect(y.data[0]).toBe(Number.NEGATIVE_INFINITY);
    expect(Number.isNaN(y.data[1])).toBe(true);
  });

  it('gradient: d ln x/dx = 1/x at x = [2, 0.5]', () => {
    const x = tensor([2, 0.5], undefined, { requiresGrad: true });
    log(x).backward(tensor([1, 1]));
    expect(x.grad!.toArray()).toEqual([0.5, 2]);
  });

  it('keeps the dtype', () => {
    expect(log(tensor([1])).dtype).toBe('float32');
  });
});
