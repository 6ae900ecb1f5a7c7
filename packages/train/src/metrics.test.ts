import { tensor } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { accuracy, confusionMatrix, RunningMean, topKAccuracy } from './metrics';

// 4 examples, 3 classes; predicted classes (argmax) are 0, 2, 1, 2
const scores = tensor([
  [0.7, 0.2, 0.1],
  [0.1, 0.3, 0.6],
  [0.2, 0.5, 0.3],
  [0.3, 0.3, 0.4],
]);
const truth = [0, 1, 1, 2]; // so examples 0, 2, 3 are right

describe('accuracy', () => {
  it('3 of 4 right, with indices, a float tensor of indices, or one-hot labels', () => {
    expect(accuracy(scores, truth)).toBe(0.75);
    expect(accuracy(scores, tensor(truth))).toBe(0.75);
    expect(
      accuracy(
        scores,
        tensor([
          [1, 0, 0],
          [0, 1, 0],
          [0, 1, 0],
          [0, 0, 1],
        ]),
      ),
    ).toBe(0.75);
  });

  it('logits give the same answer as their probabilities', () => {
    expect(
      accuracy(
        tensor([
          [5, -1],
          [-2, 3],
        ]),
        [0, 0],
      ),
    ).toBe(0.5);
  });

  it('binary: probabilities [N, 1] thresholded at 0.5', () => {
    expect(accuracy(tensor([[0.9], [0.4], [0.6]]), tensor([[1], [1], [0]]))).toBeCloseTo(1 / 3, 12);
  });

  it('Keras-style sparse labels [N, 1] with scores [N, C] are class indices', () => {
    expect(accuracy(scores, tensor(truth, [truth.length, 1]))).toBe(0.75);
  });

  it('label 3 with 3 classes throws', () => {
    expect(() => accuracy(scores, [0, 1, 3, 2])).toThrow(
      'accuracy: labels must be class indices in [0, 3), but got 3 at position 2',
    );
  });

  it('5 labels for 4 predictions throw', () => {
    expect(() => accuracy(scores, [0, 1, 1, 2, 0])).toThrow(
      'accuracy: labels must be indices [4] or one-hot [4, 3], but got [5]',
    );
  });
});

describe('topKAccuracy', () => {
  it('k=1 equals accuracy; k=2 also counts example 1 (its class 1 is second); a tie with the k-th score counts', () => {
    expect(topKAccuracy(scores, truth, 1)).toBe(0.75);
    expect(topKAccuracy(scores, truth, 2)).toBe(1);
    // only example 3 has class 0 in its top 2: its 0.3 ties with class 1 for second place, and a tie counts
    expect(topKAccuracy(scores, [2, 0, 0, 0], 2)).toBe(0.25);
  });
});

describe('confusionMatrix', () => {
  it('rows are true classes, columns predicted', () => {
    // (true, predicted) pairs: (0,0), (1,2), (1,1), (2,2)
    expect(confusionMatrix(scores, truth, 3)).toEqual([
      [1, 0, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(confusionMatrix([0, 1, 1], [0, 0, 1], 2)).toEqual([
      [1, 1],
      [0, 1],
    ]);
  });
});

describe('RunningMean', () => {
  it('weights each value: (32·1 + 16·0.5) / 48', () => {
    const m = new RunningMean();
    expect(m.result()).toBeNaN();
    m.update(1, 32);
    m.update(0.5, 16);
    expect(m.result()).toBeCloseTo(5 / 6, 12);
    m.reset();
    m.update(2);
    expect(m.result()).toBe(2);
  });
});
