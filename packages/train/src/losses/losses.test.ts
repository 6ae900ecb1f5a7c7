/**
 * Losses against hand-worked values, gradient checks in float64, and error messages. The TF.js
 * comparison is in losses.oracle.test.ts.
 */
import { gradCheck, randn, softmax, type Tensor, tensor } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { binaryCrossentropy } from './binaryCrossentropy';
import { categoricalCrossentropy } from './categoricalCrossentropy';
import { getLoss } from './index';
import { meanSquaredError } from './meanSquaredError';
import { softmaxCrossEntropy } from './softmaxCrossEntropy';
import { sparseSoftmaxCrossEntropy } from './sparseSoftmaxCrossEntropy';

const f64 = { dtype: 'float64' } as const;

function expectClose(actual: ArrayLike<number>, expected: readonly number[], digits = 6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, digits);
}

describe('softmaxCrossEntropy', () => {
  it('logits [[0, ln 3]] label class 1: ℓ = −log(3/4) (hand-worked)', () => {
    // softmax([0, ln 3]) = [1/4, 3/4]
    const loss = softmaxCrossEntropy(tensor([[0, Math.log(3)]], undefined, f64), tensor([[0, 1]], undefined, f64));
    expect(loss.item()).toBeCloseTo(-Math.log(3 / 4), 12);
  });

  it('gradient w.r.t. logits is (softmax − labels) / N (hand-worked, N=2)', () => {
    const logits = tensor(
      [
        [0, Math.log(3)],
        [1, 1],
      ],
      undefined,
      { ...f64, requiresGrad: true },
    );
    const labels = tensor(
      [
        [1, 0],
        [0, 1],
      ],
      undefined,
      f64,
    );
    softmaxCrossEntropy(logits, labels).backward();
    // softmax rows: [1/4, 3/4] and [1/2, 1/2]; minus labels, over N = 2
    expectClose(logits.grad!.data, [(0.25 - 1) / 2, 0.75 / 2, 0.5 / 2, (0.5 - 1) / 2], 12);
  });

  it('stays finite for logits ±1000 (log-sum-exp)', () => {
    const loss = softmaxCrossEntropy(tensor([[1000, -1000]]), tensor([[0, 1]]));
    expect(loss.item()).toBeCloseTo(2000, 2);
  });

  it("reduction 'sum' and 'none' on [3, 4] logits", () => {
    const logits = randn([3, 4], f64);
    const labels = tensor(
      [
        [1, 0, 0, 0],
        [0, 0, 1, 0],
        [0, 1, 0, 0],
      ],
      undefined,
      f64,
    );
    const none = softmaxCrossEntropy(logits, labels, { reduction: 'none' });
    expect(none.shape).toEqual([3]);
    const total = none.data[0]! + none.data[1]! + none.data[2]!;
    expect(softmaxCrossEntropy(logits, labels, { reduction: 'sum' }).item()).toBeCloseTo(total, 12);
    expect(softmaxCrossEntropy(logits, labels).item()).toBeCloseTo(total / 3, 12);
  });

  it('gradCheck logits and labels [3, 5] float64', () => {
    const labels = softmax(randn([3, 5], f64));
    expect(gradCheck((z, y) => softmaxCrossEntropy(z, y), [randn([3, 5], f64), labels]).ok).toBe(true);
  });

  it('labels [64] for logits [64, 10] throws and points to the sparse loss', () => {
    expect(() => softmaxCrossEntropy(randn([64, 10]), randn([64]))).toThrow(
      "softmaxCrossEntropy: labels must have the logits' shape [64, 10], but got [64]; for class indices use sparseSoftmaxCrossEntropy",
    );
  });
});

describe('sparseSoftmaxCrossEntropy', () => {
  it('equals softmaxCrossEntropy with the one-hot labels, value and gradient', () => {
    const z = randn([4, 3], f64);
    const a = z.detach().requireGrad();
    const b = tensor(Array.from(z.data), [4, 3], { ...f64, requiresGrad: true });
    const indices = [2, 0, 1, 2];
    const oneHot = tensor(
      [
        [0, 0, 1],
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      undefined,
      f64,
    );
    const sparse = sparseSoftmaxCrossEntropy(a, indices);
    const dense = softmaxCrossEntropy(b, oneHot);
    expect(sparse.item()).toBeCloseTo(dense.item(), 12);
    sparse.backward();
    dense.backward();
    expectClose(a.grad!.data, Array.from(b.grad!.data), 12);
  });

  it('accepts indices as a float tensor', () => {
    const z = tensor([[0, Math.log(3)]], undefined, f64);
    expect(sparseSoftmaxCrossEntropy(z, tensor([1])).item()).toBeCloseTo(-Math.log(3 / 4), 12);
  });

  it('gradCheck logits [4, 3] float64', () => {
    expect(gradCheck((z) => sparseSoftmaxCrossEntropy(z, [0, 2, 1, 1]), [randn([4, 3], f64)]).ok).toBe(true);
  });

  it('index 3 with 3 classes throws', () => {
    expect(() => sparseSoftmaxCrossEntropy(randn([2, 3]), [0, 3])).toThrow(
      'sparseSoftmaxCrossEntropy: indices must be integers in [0, 3), but got 3 at position 1',
    );
  });

  it('one-hot labels [2, 3] throw and point to softmaxCrossEntropy', () => {
    expect(() => sparseSoftmaxCrossEntropy(randn([2, 3]), randn([2, 3]))).toThrow(
      /shape without the class axis, \[2\], but got \[2, 3\].*use softmaxCrossEntropy/,
    );
  });
});

describe('categoricalCrossentropy', () => {
  it('probabilities [[0.2, 0.8], [0.6, 0.4]] (hand-worked)', () => {
    const p = tensor(
      [
        [0.2, 0.8],
        [0.6, 0.4],
      ],
      undefined,
      f64,
    );
    const y = tensor(
      [
        [0, 1],
        [0, 1],
      ],
      undefined,
      f64,
    );
    expect(categoricalCrossentropy(p, y).item()).toBeCloseTo(-(Math.log(0.8) + Math.log(0.4)) / 2, 12);
  });

  it('a probability of 0 on the true class costs −log(1e-7), not Infinity', () => {
    const loss = categoricalCrossentropy(tensor([[1, 0]], undefined, f64), tensor([[0, 1]], undefined, f64));
    expect(loss.item()).toBeCloseTo(-Math.log(1e-7), 6);
  });

  it('gradCheck probabilities [3, 4] float64', () => {
    const p = softmax(randn([3, 4], f64));
    const y = tensor(
      [
        [1, 0, 0, 0],
        [0, 0, 0, 1],
        [0, 1, 0, 0],
      ],
      undefined,
      f64,
    );
    expect(gradCheck((q) => categoricalCrossentropy(q, y), [p]).ok).toBe(true);
  });
});

describe('binaryCrossentropy', () => {
  it('p [0.5, 0.9, 0.2], t [1, 1, 0] (hand-worked)', () => {
    const loss = binaryCrossentropy(tensor([0.5, 0.9, 0.2], undefined, f64), tensor([1, 1, 0], undefined, f64));
    expect(loss.item()).toBeCloseTo(-(Math.log(0.5) + Math.log(0.9) + Math.log(0.8)) / 3, 12);
  });

  it("[2, 2] with reduction 'none' averages each example's outputs", () => {
    const p = tensor(
      [
        [0.5, 0.9],
        [0.2, 0.4],
      ],
      undefined,
      f64,
    );
    const t = tensor(
      [
        [1, 1],
        [0, 1],
      ],
      undefined,
      f64,
    );
    expectClose(
      binaryCrossentropy(p, t, { reduction: 'none' }).data,
      [-(Math.log(0.5) + Math.log(0.9)) / 2, -(Math.log(0.8) + Math.log(0.4)) / 2],
      12,
    );
  });

  it('gradCheck probabilities and targets [3, 2] float64', () => {
    const p = tensor(
      [
        [0.3, 0.6],
        [0.9, 0.1],
        [0.5, 0.45],
      ],
      undefined,
      f64,
    );
    const t = tensor(
      [
        [1, 0],
        [0.5, 0],
        [1, 1],
      ],
      undefined,
      f64,
    );
    expect(gradCheck((q, y) => binaryCrossentropy(q, y), [p, t]).ok).toBe(true);
  });
});

describe('meanSquaredError', () => {
  it('[[1, 2], [3, 4]] vs [[1, 0], [0, 4]]: (0 + 4 + 9 + 0) / 4 (hand-worked)', () => {
    const loss = meanSquaredError(
      tensor([
        [1, 2],
        [3, 4],
      ]),
      tensor([
        [1, 0],
        [0, 4],
      ]),
    );
    expect(loss.item()).toBeCloseTo(13 / 4, 6);
  });

  it('gradient is 2(pred − target) / size (hand-worked)', () => {
    const pred = tensor([1, 2], undefined, { requiresGrad: true });
    meanSquaredError(pred, tensor([1, 4])).backward();
    expectClose(pred.grad!.data, [0, -2]);
  });

  it('gradCheck [2, 3, 2] float64', () => {
    expect(gradCheck((a, b) => meanSquaredError(a, b), [randn([2, 3, 2], f64), randn([2, 3, 2], f64)]).ok).toBe(true);
  });

  it('shapes [2] and [3] throw', () => {
    expect(() => meanSquaredError(randn([2]), randn([3]))).toThrow(
      "meanSquaredError: targets must have the predictions' shape [2], but got [3]",
    );
  });
});

describe('getLoss', () => {
  it('resolves names and passes functions through', () => {
    expect(getLoss('meanSquaredError')).toBe(meanSquaredError);
    const mine = (p: Tensor, t: Tensor): Tensor => meanSquaredError(p, t);
    expect(getLoss(mine)).toBe(mine);
  });

  it('an unknown name throws with a did-you-mean and the known names', () => {
    expect(() => getLoss('sparse_categorical_crossentropi' as never)).toThrow(
      "getLoss: unknown loss 'sparse_categorical_crossentropi'; did you mean 'sparseCategoricalCrossentropy'? Known losses: softmaxCrossEntropy,",
    );
    expect(() => getLoss('hinge' as never)).toThrow(/unknown loss 'hinge' Known losses: .*meanAbsoluteError/);
    expect(() => getLoss('constructor' as never)).toThrow("unknown loss 'constructor'");
  });
});

// Note [Loss reductions]: 'sum' adds every element loss (PyTorch, TF.js), 'none' is each example's mean
describe('reductions on rank-3 inputs', () => {
  // pred_i = i/4 for i in 0..23 against 0: element losses i²/16
  const pred = () =>
    tensor(
      Array.from({ length: 24 }, (_, i) => i / 4),
      [2, 3, 4],
      f64,
    );
  const zero = () => tensor(new Float64Array(24), [2, 3, 4], f64);

  it("meanSquaredError [2, 3, 4]: 'sum' = Σ i²/16 = 270.25, 'none' = [506/192, 3818/192], 'mean' = 270.25/24 (hand-worked)", () => {
    expect(meanSquaredError(pred(), zero(), { reduction: 'sum' }).item()).toBeCloseTo(4324 / 16, 12);
    const none = meanSquaredError(pred(), zero(), { reduction: 'none' });
    expect(none.shape).toEqual([2]);
    expectClose(none.data, [506 / 192, 3818 / 192], 12);
    expect(meanSquaredError(pred(), zero()).item()).toBeCloseTo(4324 / 16 / 24, 12);
  });

  it("binaryCrossentropy [2, 2] 'sum' adds all 4 element losses", () => {
    const p = tensor([0.5, 0.9, 0.2, 0.4], [2, 2], f64);
    const t = tensor([1, 1, 0, 1], [2, 2], f64);
    expect(binaryCrossentropy(p, t, { reduction: 'sum' }).item()).toBeCloseTo(
      -(Math.log(0.5) + Math.log(0.9) + Math.log(0.8) + Math.log(0.4)),
      12,
    );
  });

  it("softmaxCrossEntropy [2, 3, 4]: 'sum' adds the 6 row losses, 'none' averages each example's 3", () => {
    const logits = randn([2, 3, 4], f64);
    const labels = softmax(randn([2, 3, 4], f64));
    const rows = softmaxCrossEntropy(logits.reshape([6, 4]), labels.reshape([6, 4]), { reduction: 'none' }).data;
    const total = Array.from(rows).reduce((a, b) => a + b, 0);
    expect(softmaxCrossEntropy(logits, labels, { reduction: 'sum' }).item()).toBeCloseTo(total, 12);
    expectClose(
      softmaxCrossEntropy(logits, labels, { reduction: 'none' }).data,
      [(rows[0]! + rows[1]! + rows[2]!) / 3, (rows[3]! + rows[4]! + rows[5]!) / 3],
      12,
    );
    expect(softmaxCrossEntropy(logits, labels).item()).toBeCloseTo(total / 6, 12);
  });

  it("sparseSoftmaxCrossEntropy [2, 3, 4] with indices [2, 3]: 'sum' = softmaxCrossEntropy 'sum' on the one-hot rows", () => {
    const logits = randn([2, 3, 4], f64);
    const indices = [0, 3, 1, 2, 2, 0];
    const oneHot = tensor(
      indices.flatMap((k) => [0, 1, 2, 3].map((c) => (c === k ? 1 : 0))),
      [2, 3, 4],
      f64,
    );
    expect(sparseSoftmaxCrossEntropy(logits, tensor(indices, [2, 3]), { reduction: 'sum' }).item()).toBeCloseTo(
      softmaxCrossEntropy(logits, oneHot, { reduction: 'sum' }).item(),
      12,
    );
  });
});
