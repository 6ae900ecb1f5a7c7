import { formatShape, gather, logSoftmax, ShapeError, Tensor, ValueError } from '@sinapse/tensor';
import { type LossOptions, reduce } from './reduction';

/**
 * {@link softmaxCrossEntropy} with the labels given as class indices instead of one-hot rows
 * (Keras `sparse_categorical_crossentropy(from_logits=True)`, PyTorch `cross_entropy` with
 * indices). It picks one log-probability per example instead of multiplying by a mostly-zero
 * matrix:
 *
 *   ℓ_n = −log softmax(z_n)_{y_n}
 *
 * The gradient is the same, (softmax(z_n) − onehot(y_n)) / N: gather sends −1/N to the picked
 * entry, and logSoftmax's rule turns that into p − onehot (see Note [The softmax cross-entropy
 * gradient] in softmaxCrossEntropy.ts).
 *
 * **Shape:** logits [N, C], indices [N] (or [N, H, W, C] and [N, H, W] per pixel, one ℓ each).
 * Returns a scalar: 'mean' (default) is the mean of all the ℓ, 'sum' their sum; 'none' gives [N],
 * each example's mean (Note [Loss reductions] in reduction.ts).
 *
 * @param logits unnormalized scores
 * @param indices the true class of each example, integers in [0, C), as a tensor or a number[]
 * @param options `reduction`, default 'mean'
 * @throws ShapeError if indices do not have the logits' shape without the class axis.
 * @throws ValueError if an index is not an integer in [0, C).
 * @example
 * sparseSoftmaxCrossEntropy(tensor([[0, 0], [0, 0]]), [0, 1]).item(); // 0.6931… = ln 2
 */
export function sparseSoftmaxCrossEntropy(
  logits: Tensor,
  indices: Tensor | readonly number[],
  options: LossOptions = {},
): Tensor {
  const fn = 'sparseSoftmaxCrossEntropy';
  const indexShape = indices instanceof Tensor ? indices.shape : [indices.length];
  const values: ArrayLike<number> = indices instanceof Tensor ? indices.data : indices;
  const expected = logits.shape.slice(0, -1);
  if (logits.rank < 2 || indexShape.length !== expected.length || indexShape.some((d, i) => d !== expected[i])) {
    throw new ShapeError(
      `${fn}: indices must have the logits' shape without the class axis, ${formatShape(expected)}, ` +
        `but got ${formatShape(indexShape)}. Logits shape ${formatShape(logits.shape)}` +
        (indexShape.length === logits.rank ? '; for one-hot labels use softmaxCrossEntropy' : ''),
    );
  }
  const classes = logits.shape[logits.rank - 1]!;
  // position m of the flattened [M, C] log-probabilities holds its label at m·C + y_m
  const flat = new Int32Array(values.length);
  for (let m = 0; m < values.length; m++) {
    const y = values[m]!;
    if (!Number.isInteger(y) || y < 0 || y >= classes) {
      throw new ValueError(`${fn}: indices must be integers in [0, ${classes}), but got ${y} at position ${m}`);
    }
    flat[m] = m * classes + y;
  }
  const picked = gather(logSoftmax(logits).reshape([logits.size]), flat).reshape(indexShape);
  return reduce(fn, picked.neg(), options.reduction);
}
