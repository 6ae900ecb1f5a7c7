import { describe, expect, it } from 'vitest';
import { argmax } from './argmax';
import { arange, tensor } from './creation';
import { max } from './max';
import { min } from './min';

describe('max and min', () => {
  const x = tensor([
    [1, 5],
    [3, 2],
  ]);

  it('x=[2,2] all and axis 0 (the TSDoc examples)', () => {
    expect(String(max(x))).toBe('5.0');
    expect(String(max(x, 0))).toBe('[3. 5.]');
    expect(String(min(x))).toBe('1.0');
    expect(String(min(x, 0))).toBe('[1. 2.]');
    expect(max(x, 1, true).toArray()).toEqual([[5], [3]]);
  });

  it('gradient goes to the extreme element only', () => {
    const w = tensor(
      [
        [1, 5],
        [3, 2],
      ],
      undefined,
      { requiresGrad: true },
    );
    max(w, 1).backward(tensor([10, 20]));
    expect(w.grad!.toArray()).toEqual([
      [0, 10],
      [20, 0],
    ]);
  });

  it('ties split the gradient evenly (TF reduce_max rule)', () => {
    const w = tensor([4, 1, 4, 4], undefined, { dtype: 'float64', requiresGrad: true });
    max(w).backward(tensor(3, undefined, { dtype: 'float64' }));
    expect(w.grad!.toArray()).toEqual([1, 0, 1, 1]);
    const v = tensor([0, 0, 2], undefined, { requiresGrad: true });
    min(v).backward();
    expect(v.grad!.toArray()).toEqual([0.5, 0.5, 0]);
  });

  it('a NaN in the range gives NaN', () => {
    expect(Number.isNaN(max(tensor([1, Number.NaN, 3])).item())).toBe(true);
    expect(Number.isNaN(min(tensor([Number.NaN, 1])).item())).toBe(true);
  });

  it('x=[2,3,2] axes [0,2] (not adjacent)', () => {
    // x[i, j, k] = 6i + 2j + k: the max over i, k is at i = 1, k = 1, i.e. 7 + 2j
    expect(max(arange(12).reshape([2, 3, 2]), [0, 2]).toArray()).toEqual([7, 9, 11]);
    expect(min(arange(12).reshape([2, 3, 2]), [0, -1]).toArray()).toEqual([0, 2, 4]);
  });
});

describe('argmax', () => {
  const x = tensor([
    [1, 9, 3],
    [7, 2, 7],
  ]);

  it('x=[2,3] axis 1 and flattened (the TSDoc examples)', () => {
    expect(String(argmax(x, 1))).toBe('[1. 0.]');
    expect(String(argmax(x))).toBe('1.0');
    expect(argmax(x, 0).toArray()).toEqual([1, 0, 1]);
  });

  it('the first maximum wins; the result is float32 with no graph', () => {
    const w = tensor([2, 5, 5, 1], undefined, { dtype: 'float64', requiresGrad: true });
    const i = argmax(w);
    expect(i.item()).toBe(1);
    expect(i.dtype).toBe('float32');
    expect(i.requiresGrad).toBe(false);
  });
});
