import { describe, expect, it } from 'vitest';
import { tensor } from './creation';
import { div } from './index';

describe('div', () => {
  it('doc example: [1,2,3] / 2', () => {
    expect(div(tensor([1, 2, 3]), 2).toArray()).toEqual([0.5, 1, 1.5]);
  });

  it('division by zero follows IEEE: 1/0 = Infinity, -1/0 = -Infinity, 0/0 = NaN', () => {
    expect(div(tensor([1, -1, 0]), 0).toArray()).toEqual([
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
    ]);
  });

  it('gradient: a=6, b=2: ∂/∂a = 1/b = 0.5, ∂/∂b = -a/b² = -1.5', () => {
    const a = tensor([6], undefined, { requiresGrad: true });
    const b = tensor([2], undefined, { requiresGrad: true });
    div(a, b).backward(tensor([1]));
    expect(a.grad!.toArray()).toEqual([0.5]);
    expect(b.grad!.toArray()).toEqual([-1.5]);
  });

  it('gradient with a broadcast divisor: [2,2] / [2] sums ∂/∂b over rows', () => {
    // ∂/∂b[j] = -Σ_i a[i, j] / b[j]² = -(1 + 3) / 4 = -1 and -(2 + 4) / 16 = -0.375
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = tensor([2, 4], undefined, { requiresGrad: true });
    div(a, b).backward(
      tensor([
        [1, 1],
        [1, 1],
      ]),
    );
    expect(b.grad!.toArray()).toEqual([-1, -0.375]);
  });

  it('dtypes: number / f64 tensor is f64', () => {
    expect(div(1, tensor([2], undefined, { dtype: 'float64' })).dtype).toBe('float64');
  });
});
