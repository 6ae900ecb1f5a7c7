import { describe, expect, it } from 'vitest';
import { findBackend, getBackend, setBackend } from '../kernels/index';
import { Generator } from '../random';
import { gradCheck } from '../testing/gradCheck';
import { randn, tensor, zeros } from './creation';
import { matMul } from './matMul';

const f64 = { dtype: 'float64' } as const;

describe('matMul forward', () => {
  it('[2, 3]·[3, 2] by hand', () => {
    // row·column: [1, 2, 3]·[7, 9, 11] = 7 + 18 + 33 = 58, [4, 5, 6]·[8, 10, 12] = 32 + 50 + 72 = 154
    const y = matMul(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      tensor([
        [7, 8],
        [9, 10],
        [11, 12],
      ]),
    );
    expect(y.shape).toEqual([2, 2]);
    expect(y.dtype).toBe('float32');
    expect(y.toArray()).toEqual([
      [58, 64],
      [139, 154],
    ]);
  });

  it('the TSDoc example: [[1, 2], [3, 4]]·[[5], [6]] = [[17], [39]], also with b transposed', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(matMul(a, tensor([[5], [6]])).toArray()).toEqual([[17], [39]]);
    expect(matMul(a, tensor([[5, 6]]), false, true).toArray()).toEqual([[17], [39]]);
  });

  it('transposeA and transposeB read the stored matrices transposed', () => {
    // a stored [3, 2] is the transpose of [[1, 2, 3], [4, 5, 6]]; b stored [2, 3] of [[7, 8], [9, 10], [11, 12]]
    const aT = tensor([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    const bT = tensor([
      [7, 9, 11],
      [8, 10, 12],
    ]);
    const want = [
      [58, 64],
      [139, 154],
    ];
    expect(matMul(aT, bT, true, true).toArray()).toEqual(want);
    expect(
      matMul(
        aT,
        tensor([
          [7, 8],
          [9, 10],
          [11, 12],
        ]),
        true,
        false,
      ).toArray(),
    ).toEqual(want);
    expect(
      matMul(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        bT,
        false,
        true,
      ).toArray(),
    ).toEqual(want);
  });

  it('[1, 1]·[1, 1] and an identity', () => {
    expect(matMul(tensor([[3]]), tensor([[-2]])).toArray()).toEqual([[-6]]);
    const x = tensor([
      [1.5, -2],
      [0, 7],
    ]);
    expect(
      matMul(
        x,
        tensor([
          [1, 0],
          [0, 1],
        ]),
      ).toArray(),
    ).toEqual(x.toArray());
  });

  it('batch [2]: each matrix times its own', () => {
    // batch 0: [[1, 2]]·[[1], [1]] = [[3]]; batch 1: [[3, 4]]·[[2], [0]] = [[6]]
    const y = matMul(tensor([1, 2, 3, 4], [2, 1, 2]), tensor([1, 1, 2, 0], [2, 2, 1]));
    expect(y.shape).toEqual([2, 1, 1]);
    expect(Array.from(y.data)).toEqual([3, 6]);
  });

  it('a [2, 1, 2] times b [2, 2] broadcasts b over the batch', () => {
    // [[1, 2]]·[[1, 0], [0, 2]] = [[1, 4]]; [[3, 4]]·same = [[3, 8]]
    const y = matMul(
      tensor([1, 2, 3, 4], [2, 1, 2]),
      tensor([
        [1, 0],
        [0, 2],
      ]),
    );
    expect(y.shape).toEqual([2, 1, 2]);
    expect(Array.from(y.data)).toEqual([1, 4, 3, 8]);
  });

  it('batch dims broadcast NumPy-style: [2, 1, 1, 2]·[3, 2, 1] is [2, 3, 1, 1]', () => {
    // a's rows are [1, 1] and [2, 2]; b's columns sum to 1, 2, 3: y[i, j] = (i + 1)·(j + 1)
    const a = tensor([1, 1, 2, 2], [2, 1, 1, 2]);
    const b = tensor([1, 0, 1, 1, 2, 1], [3, 2, 1]);
    const y = matMul(a, b);
    expect(y.shape).toEqual([2, 3, 1, 1]);
    expect(Array.from(y.data)).toEqual([1, 2, 3, 2, 4, 6]);
  });

  it('float32 · float64 gives float64', () => {
    const y = matMul(tensor([[0.1]]), tensor([[3]], undefined, f64));
    expect(y.dtype).toBe('float64');
    expect(y.item()).toBe(Math.fround(0.1) * 3);
  });

  it('k=0 gives zeros of shape [m, n]', () => {
    const y = matMul(tensor([], [2, 0]), tensor([], [0, 3]));
    expect(y.toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it("'cpu' and 'reference' backends agree on a batched, transposed, broadcast product", () => {
    const g = new Generator(7);
    const a = randn([3, 1, 9, 21], { generator: g, dtype: 'float64' });
    const b = randn([4, 13, 9], { generator: g, dtype: 'float64' });
    const before = getBackend().name;
    try {
      setBackend('reference');
      const want = matMul(a, b, true, true);
      setBackend('cpu');
      const got = matMul(a, b, true, true);
      expect(findBackend('reference')).toBeDefined();
      expect(got.shape).toEqual([3, 4, 21, 13]);
      for (let i = 0; i < want.size; i++) expect(got.data[i]).toBeCloseTo(want.data[i]!, 12);
    } finally {
      setBackend(before);
    }
  });
});

describe('matMul errors', () => {
  it('inner dimensions must match', () => {
    expect(() => matMul(zeros([2, 3]), zeros([4, 5]))).toThrow(
      'matMul: inner dimensions must match: a is [2, 3] (k=3) and b is [4, 5] (k=4)',
    );
    expect(() => matMul(zeros([2, 3]), zeros([2, 3]), true, true)).toThrow(
      /a is \[2, 3\] \(transposed\) \(k=2\) and b is \[2, 3\] \(transposed\) \(k=3\)/,
    );
  });

  it('rank below 2 is rejected with a hint', () => {
    expect(() => matMul(tensor([1, 2]), tensor([[1], [2]]))).toThrow(/rank >= 2.*a with shape \[2\] \(rank 1\)/);
    expect(() => matMul(tensor([1, 2]), tensor([[1], [2]]))).toThrow(expect.objectContaining({ name: 'ShapeError' }));
  });

  it('batch dimensions must broadcast', () => {
    expect(() => matMul(zeros([2, 1, 0]), zeros([3, 0, 1]))).toThrow(
      /matMul: shapes must be broadcastable.*\[2\] and \[3\]/,
    );
  });
});

describe('matMul backward', () => {
  it('[1, 2]·[2, 1] by hand: dA = dY·Bᵀ, dB = Aᵀ·dY', () => {
    const a = tensor([[1, 2]], undefined, { requiresGrad: true });
    const b = tensor([[3], [4]], undefined, { requiresGrad: true });
    matMul(a, b).backward(tensor([[10]]));
    expect(a.grad?.toArray()).toEqual([[30, 40]]);
    expect(b.grad?.toArray()).toEqual([[10], [20]]);
  });

  it('a gradient summed over a broadcast batch: b [2, 1] shared by a [3, 1, 2]', () => {
    // y[i] = a[i]·b, so dL/db = Σ_i a[i]ᵀ·dy[i] = Σ_i a[i]ᵀ when dy = 1
    const a = tensor([1, 2, 3, 4, 5, 6], [3, 1, 2]);
    const b = tensor([[1], [1]], undefined, { requiresGrad: true });
    matMul(a, b).backward(tensor([1, 1, 1], [3, 1, 1]));
    expect(b.grad?.toArray()).toEqual([[9], [12]]);
  });

  it('gradients only for inputs that require them', () => {
    const a = tensor([[1, 2]], undefined, { requiresGrad: true });
    const b = tensor([[3], [4]]);
    matMul(a, b).backward(tensor([[1]]));
    expect(a.grad?.toArray()).toEqual([[3, 4]]);
    expect(b.grad).toBeNull();
  });

  const cases: Array<[string, number[], number[], boolean, boolean]> = [
    ['[3, 4]·[4, 5]', [3, 4], [4, 5], false, false],
    ['[4, 3]ᵀ·[4, 5]', [4, 3], [4, 5], true, false],
    ['[3, 4]·[5, 4]ᵀ', [3, 4], [5, 4], false, true],
    ['[4, 3]ᵀ·[5, 4]ᵀ', [4, 3], [5, 4], true, true],
    ['[2, 3, 4]·[4, 2] (b broadcast)', [2, 3, 4], [4, 2], false, false],
    ['[4, 3]ᵀ·[2, 5, 4]ᵀ (a broadcast)', [4, 3], [2, 5, 4], true, true],
    ['[2, 1, 2, 3]·[3, 3, 2] (both broadcast)', [2, 1, 2, 3], [3, 3, 2], false, false],
    ['[1, 3, 2]ᵀ·[2, 2, 3]ᵀ (size-1 batch dim)', [1, 3, 2], [2, 2, 3], true, true],
  ];
  it.each(cases)('gradCheck %s', (_title, aShape, bShape, ta, tb) => {
    const g = new Generator(11);
    const a = randn(aShape, { generator: g, dtype: 'float64' });
    const b = randn(bShape, { generator: g, dtype: 'float64' });
    expect(gradCheck((x, w) => matMul(x, w, ta, tb), [a, b]).ok).toBe(true);
  });
});
