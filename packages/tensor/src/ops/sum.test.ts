import { describe, expect, it } from 'vitest';
import { arange, full, tensor } from './creation';
import { mean } from './mean';
import { sum } from './sum';
import { variance } from './variance';

describe('sum', () => {
  const x = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it('x=[2,3] all, axis 0, axis -1 keepDims (the TSDoc examples)', () => {
    expect(String(sum(x))).toBe('21.0');
    expect(String(sum(x, 0))).toBe('[5. 7. 9.]');
    const r = sum(x, -1, true);
    expect(r.shape).toEqual([2, 1]);
    expect(r.toArray()).toEqual([[6], [15]]);
  });

  it('x=[2,3,2] axes [0,2] (not adjacent, goes through a transpose)', () => {
    // x[i, j, k] = 6i + 2j + k, so Σ over i and k = (0 + 1 + 6 + 7) + 4·2j = 14 + 8j
    const y = sum(arange(12).reshape([2, 3, 2]), [0, 2]);
    expect(y.toArray()).toEqual([14, 22, 30]);
  });

  it('float32 sums accumulate in float64: 1e6 × 0.1 stays within 1e-6 relative', () => {
    const y = sum(full([1_000_000], 0.1));
    expect(y.dtype).toBe('float32');
    expect(Math.abs(y.item() - 100000) / 100000).toBeLessThan(1e-6);
  });

  it('gradient of axis [0,2] is dy broadcast back', () => {
    const w = arange(12, undefined, 1, { requiresGrad: true });
    sum(w.reshape([2, 3, 2]), [0, 2]).backward(tensor([1, 10, 100]));
    expect(Array.from(w.grad!.data)).toEqual([1, 1, 10, 10, 100, 100, 1, 1, 10, 10, 100, 100]);
  });
});

describe('mean', () => {
  it('x=[2,2] all and axis 1 (the TSDoc examples)', () => {
    const x = tensor([
      [1, 2],
      [3, 5],
    ]);
    expect(String(mean(x))).toBe('2.75');
    expect(String(mean(x, 1))).toBe('[1.5 4. ]');
  });

  it('gradient is dy / N', () => {
    const w = tensor([1, 2, 3, 4], undefined, { requiresGrad: true });
    mean(w).backward();
    expect(w.grad!.toArray()).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});

describe('variance', () => {
  it('x=[4] [1,2,3,4] is 1.25 (population, ddof 0)', () => {
    expect(String(variance(tensor([1, 2, 3, 4])))).toBe('1.25');
  });

  it('x=[2,3] axis=-1 keepDims', () => {
    const y = variance(
      tensor([
        [1, 1, 1],
        [0, 3, 6],
      ]),
      -1,
      true,
    );
    expect(y.shape).toEqual([2, 1]);
    expect(y.toArray()).toEqual([[0], [6]]);
  });

  it('gradient is 2(x − mean)/N · dy', () => {
    // mean 2.5; 2(x − 2.5)/4 = [-0.75, -0.25, 0.25, 0.75], times dy = 2
    const w = tensor([1, 2, 3, 4], undefined, { dtype: 'float64', requiresGrad: true });
    variance(w).backward(tensor(2, undefined, { dtype: 'float64' }));
    expect(w.grad!.toArray()).toEqual([-1.5, -0.5, 0.5, 1.5]);
  });
});
