import { describe, expect, it } from 'vitest';
import { add } from '../ops/add';
import { tensor } from '../ops/creation';
import { gather } from '../ops/gather';
import { mul } from '../ops/mul';
import { sum } from '../ops/sum';
import { Tensor } from '../tensor';
import { noGrad } from './gradMode';
import { record } from './record';

const leaf = (values: number[], dtype: 'float32' | 'float64' = 'float32'): Tensor =>
  tensor(values, undefined, { dtype, requiresGrad: true });

describe('backward', () => {
  it('fills the leaf gradient: d Σ(x·x)/dx = 2x', () => {
    const x = leaf([1, 2, 3]);
    sum(mul(x, x)).backward();
    expect(x.grad!.toArray()).toEqual([2, 4, 6]);
  });

  it('accumulates into .grad across two backward calls; zeroGrad resets', () => {
    const x = leaf([1, 2]);
    sum(mul(x, 3)).backward();
    sum(mul(x, 3)).backward();
    expect(x.grad!.toArray()).toEqual([6, 6]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
    sum(x).backward();
    expect(x.grad!.toArray()).toEqual([1, 1]);
  });

  it('a diamond x → (a, b) → y adds both paths', () => {
    // a = 2x, b = x·x, y = Σ a·b = Σ 2x³, so dy/dx = 6x²
    const x = leaf([1, 2], 'float64');
    const a = mul(x, 2);
    const b = mul(x, x);
    sum(mul(a, b)).backward();
    expect(x.grad!.toArray()).toEqual([6, 24]);
  });

  it('the same leaf used twice in one op (gather with repeats) also accumulates', () => {
    const x = leaf([5, 7]);
    sum(gather(x, [1, 1, 0, 1])).backward();
    expect(x.grad!.toArray()).toEqual([1, 3]);
  });

  it('detach stops gradients', () => {
    const x = leaf([1, 2]);
    const d = mul(x, 2).detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    const y = sum(mul(mul(x, 1), d)); // only the first factor carries a gradient
    y.backward();
    expect(x.grad!.toArray()).toEqual([2, 4]);
  });

  it('noGrad produces no graph', () => {
    const x = leaf([1, 2]);
    const y = noGrad(() => sum(mul(x, x)));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradNode).toBeNull();
    expect(() => y.backward()).toThrow(/does not require a gradient/);
  });

  it('a non-scalar output needs an explicit gradient', () => {
    const y = mul(leaf([1, 2]), 2);
    expect(() => y.backward()).toThrow(
      /implicit gradient can only be created for a scalar output, but got shape \[2\]/,
    );
    expect(() => y.backward(tensor([1, 2, 3]))).toThrow(
      /upstream gradient must have the output's shape \[2\], but got \[3\]/,
    );
  });

  it('going back twice through a freed graph fails; retainGraph keeps it', () => {
    const x = leaf([1, 2]);
    const y = sum(mul(x, x));
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(x.grad!.toArray()).toEqual([4, 8]);
    expect(() => y.backward()).toThrow(/the graph through 'sum' was already freed.*retainGraph: true/);
  });

  it('gradients have the dtype of their leaf', () => {
    const a = leaf([1, 2], 'float32');
    const b = leaf([3, 4], 'float64');
    const y = sum(mul(a, b));
    expect(y.dtype).toBe('float64');
    y.backward();
    expect(a.grad!.dtype).toBe('float32');
    expect(b.grad!.dtype).toBe('float64');
    expect(a.grad!.toArray()).toEqual([3, 4]);
    expect(b.grad!.toArray()).toEqual([1, 2]);
  });

  it('a rule that returns the wrong shape is reported with the op name', () => {
    const x = leaf([1, 2]);
    const y = record('broken', [x], new Tensor(new Float32Array([0]), []), () => [tensor([1, 2, 3])]);
    expect(() => y.backward()).toThrow(
      /gradient rule of 'broken' returned shape \[3\] for input 0, which has shape \[2\]/,
    );
  });

  it('requireGrad only on leaves', () => {
    const y = mul(leaf([1]), 2);
    expect(() => y.requireGrad()).toThrow(/only leaves can be marked/);
    expect(tensor([1]).requireGrad().requiresGrad).toBe(true);
  });
});

describe('each leaf owns its gradient', () => {
  it('a + b: a.grad and b.grad are different storage, and neither is the upstream tensor', () => {
    const a = tensor([1, 2], undefined, { requiresGrad: true });
    const b = tensor([3, 4], undefined, { requiresGrad: true });
    const g = tensor([5, 6]);
    add(a, b).backward(g);
    expect(a.grad).not.toBe(b.grad);
    expect(a.grad).not.toBe(g);
    a.grad!.data[0] = 100; // an in-place edit of one gradient leaves the others alone
    expect(Array.from(b.grad!.data)).toEqual([5, 6]);
    expect(Array.from(g.data)).toEqual([5, 6]);
  });
});
