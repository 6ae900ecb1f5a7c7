/**
 * Metrics: numbers to watch during training that are not differentiated (plain JS, no graph).
 * Labels may be one-hot rows [N, C] or class indices [N] (a tensor or a number[]).
 */
import { formatShape, ShapeError, Tensor, ValueError } from '@sinapse/tensor';

/** Labels as metrics accept them: one-hot rows [N, C], or class indices [N] (or [N, 1], as Keras's sparse labels). */
export type Labels = Tensor | readonly number[];

/** @internal The class index of each example: argmax of one-hot rows, or the indices as given. */
function labelIndices(fn: string, labels: Labels, n: number, classes: number): Int32Array {
  const out = new Int32Array(n);
  // Keras-style sparse labels [N, 1] (one index per row) are indices, unless the model has 1 output
  const sparseColumn = labels instanceof Tensor && labels.rank === 2 && labels.shape[1] === 1 && classes > 1;
  if (labels instanceof Tensor && labels.rank === 2 && !sparseColumn) {
    if (labels.shape[0] !== n || labels.shape[1] !== classes) {
      throw new ShapeError(
        `${fn}: one-hot labels must have shape [${n}, ${classes}] like the predictions, but got ${formatShape(labels.shape)}`,
      );
    }
    argmaxRows(labels.data, n, classes, out);
    return out;
  }
  const values: ArrayLike<number> = labels instanceof Tensor ? labels.data : labels;
  const rank = labels instanceof Tensor ? (sparseColumn ? 1 : labels.rank) : 1;
  if (rank !== 1 || values.length !== n) {
    const shape = labels instanceof Tensor ? formatShape(labels.shape) : `[${values.length}]`;
    throw new ShapeError(`${fn}: labels must be indices [${n}] or one-hot [${n}, ${classes}], but got ${shape}`);
  }
  for (let i = 0; i < n; i++) {
    const y = values[i]!;
    if (!Number.isInteger(y) || y < 0 || (classes > 1 && y >= classes)) {
      throw new ValueError(`${fn}: labels must be class indices in [0, ${classes}), but got ${y} at position ${i}`);
    }
    out[i] = y;
  }
  return out;
}

function argmaxRows(data: ArrayLike<number>, n: number, classes: number, out: Int32Array): void {
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (data[i * classes + c]! > data[i * classes + best]!) best = c;
    out[i] = best;
  }
}

/** @internal [N, C] scores; [N] or [N, 1] are one probability per example (binary). */
function scoresShape(fn: string, pred: Tensor): [number, number] {
  if (pred.rank === 1) return [pred.shape[0]!, 1];
  if (pred.rank === 2) return [pred.shape[0]!, pred.shape[1]!];
  throw new ShapeError(
    `${fn}: predictions must have shape [batch, classes] or [batch], but got ${formatShape(pred.shape)}`,
  );
}

/**
 * The fraction of examples whose predicted class (the argmax of the scores, logits or
 * probabilities alike) is the true class. With one output per example ([N] or [N, 1]), it is
 * binary accuracy: the prediction is 1 when the probability is above 0.5, and labels are 0/1.
 *
 * @param pred scores [N, C], or probabilities [N] / [N, 1] for a binary problem
 * @param labels one-hot [N, C], or indices [N] or [N, 1] (0/1 targets for binary)
 * @returns a number in [0, 1]
 * @example
 * accuracy(tensor([[2, 1], [0, 3], [5, 4]]), [0, 1, 1]); // 0.6666… (2 of 3)
 */
export function accuracy(pred: Tensor, labels: Labels): number {
  const [n, classes] = scoresShape('accuracy', pred);
  if (n === 0) return 0;
  if (classes === 1) {
    const targets: ArrayLike<number> = labels instanceof Tensor ? labels.data : labels;
    if (targets.length !== n) {
      throw new ShapeError(
        `accuracy: binary targets must have ${n} elements like the predictions, but got ${targets.length}`,
      );
    }
    let correct = 0;
    for (let i = 0; i < n; i++) if (pred.data[i]! > 0.5 === targets[i]! > 0.5) correct++;
    return correct / n;
  }
  const truth = labelIndices('accuracy', labels, n, classes);
  const predicted = new Int32Array(n);
  argmaxRows(pred.data, n, classes, predicted);
  let correct = 0;
  for (let i = 0; i < n; i++) if (predicted[i] === truth[i]) correct++;
  return correct / n;
}

/**
 * The fraction of examples whose true class is among the k highest scores (ImageNet reports
 * top-5). A tie with the k-th score counts as inside, as in TensorFlow's `in_top_k`.
 *
 * @example
 * topKAccuracy(tensor([[3, 2, 1], [1, 2, 3]]), [1, 0], 2); // 0.5
 */
export function topKAccuracy(pred: Tensor, labels: Labels, k = 5): number {
  const [n, classes] = scoresShape('topKAccuracy', pred);
  if (!Number.isInteger(k) || k < 1) throw new ValueError(`topKAccuracy: k must be a positive integer, but got ${k}`);
  if (n === 0) return 0;
  const truth = labelIndices('topKAccuracy', labels, n, classes);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const target = pred.data[i * classes + truth[i]!]!;
    let higher = 0; // classes that beat the true one
    for (let c = 0; c < classes; c++) if (pred.data[i * classes + c]! > target) higher++;
    if (higher < k) correct++;
  }
  return correct / n;
}

/**
 * Counts of (true class, predicted class) pairs: `m[t][p]` is how many examples of class t were
 * predicted as p. The diagonal holds the correct ones; a large off-diagonal cell names the two
 * classes the model confuses.
 *
 * @param pred scores [N, C] or predicted indices [N]
 * @param labels one-hot [N, C] or indices [N]
 * @param numClasses C, the size of the matrix
 * @returns a numClasses × numClasses array, rows = true class
 * @example
 * confusionMatrix([0, 1, 1], [0, 0, 1], 2); // [[1, 1], [0, 1]]
 */
export function confusionMatrix(pred: Tensor | readonly number[], labels: Labels, numClasses: number): number[][] {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new ValueError(`confusionMatrix: numClasses must be a positive integer, but got ${numClasses}`);
  }
  let predicted: Int32Array;
  if (pred instanceof Tensor && pred.rank === 2) {
    const [n, classes] = scoresShape('confusionMatrix', pred);
    if (classes !== numClasses) {
      throw new ShapeError(
        `confusionMatrix: predictions must have ${numClasses} columns, but got ${formatShape(pred.shape)}`,
      );
    }
    predicted = new Int32Array(n);
    argmaxRows(pred.data, n, classes, predicted);
  } else {
    const n = pred instanceof Tensor ? pred.size : pred.length;
    predicted = labelIndices('confusionMatrix', pred, n, numClasses);
  }
  const truth = labelIndices('confusionMatrix', labels, predicted.length, numClasses);
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < predicted.length; i++) m[truth[i]!]![predicted[i]!]!++;
  return m;
}

/**
 * A running (weighted) mean, e.g. the epoch's loss so far: each batch adds its mean loss with its
 * number of examples as the weight, so a smaller last batch counts for less.
 *
 * @example
 * const loss = new RunningMean();
 * loss.update(1.0, 32);
 * loss.update(0.5, 16);
 * loss.result(); // 0.8333… = (32·1 + 16·0.5) / 48
 */
export class RunningMean {
  private total = 0;
  private count = 0;

  /** Adds `value` with `weight` (a batch's mean loss with its size, say): total += value·weight. */
  update(value: number, weight = 1): void {
    this.total += value * weight;
    this.count += weight;
  }

  /** The mean so far (NaN before the first update). */
  result(): number {
    return this.count === 0 ? Number.NaN : this.total / this.count;
  }

  /** Back to no values, as at the start of each epoch. */
  reset(): void {
    this.total = 0;
    this.count = 0;
  }
}
