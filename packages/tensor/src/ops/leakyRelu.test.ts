import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { leakyRelu } from './index';

describe('leakyRelu', () => {
  it('doc example: alpha defaults to 0.2 (TF.js)', () => {
    expect(leakyRelu(tensor([-2, 0, 3], undefined, { dtype: 'float64' })).toArray()).toEqual([-0.4, 0, 3]);
  });

  it('alpha=0.5', () => {
    expect(leakyRelu(tensor([-2, 4]), 0.5).toArray()).toEqual([-1, 4]);
  });

  it('gradient is 1 for x > 0 and alpha for x <= 0', () => {
    const x = tensor([-2, 0, 3], undefined, { requiresGrad: true });
    leakyRelu(x, 0.5).backward(tensor([2, 2, 2]));
    expect(x.grad!.toArray()).toEqual([1, 1, 2]);
  });

  it('keeps the dtype', () => {
    expect(leakyRelu(tensor([1])).dtype).toBe('float32');
  });

  it('alpha=Infinity throws', () => {
    expect(() => leakyRelu(tensor([1]), Number.POSITIVE_INFINITY)).toThrow(
      /leakyRelu: alpha must be a finite number, but got alpha=Infinity/,
    );
  });
});
