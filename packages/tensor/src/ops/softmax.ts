import { record } from '../autograd/record';
import { allocate } from '../dtype';
import * as kernels from '../kernels/cpu/softmax';
import { Tensor } from '../tensor';
import { zerosLike } from './creation';
import { splitAtAxis } from './internal/axisSplit';

/**
 * Softmax along an axis: turns scores (logits) into probabilities that are positive and sum to 1
 * along that axis.
 *
 *   y_i = e^(x_i) / Σ_k e^(x_k) = e^(x_i − m) / Σ_k e^(x_k − m),   m = max_k x_k
 *
 * Subtracting the max changes nothing mathematically (e^(−m) cancels) but keeps every exponent ≤ 0,
 * so inputs like [1000, −1000] give [1, 0] instead of Infinity / Infinity = NaN.
 *
 * **Shape**: y has x's shape and dtype. x must have rank ≥ 1.
 *
 * @param x the scores, e.g. logits of shape [batch, classes]
 * @param axis the axis to normalize over. Default −1 (the last, the classes).
 * @throws ValueError if axis is not an integer in [−rank, rank − 1].
 * @example
 * softmax(tensor([[1, 1], [0, Math.log(3)]], undefined, { dtype: 'float64' })).toArray();
 * // [[0.5, 0.5], [0.25, 0.75]]
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  const [outer, n, inner] = splitAtAxis('softmax', x, axis);
  const y = new Tensor(allocate(x.dtype, x.size), x.shape);
  kernels.softmax(x.data, y.data, outer, n, inner);
  // dx = y ⊙ (dy − Σ_axis dy ⊙ y)
  return record('softmax', [x], y, (dy) => {
    const dx = zerosLike(x);
    kernels.softmaxBackward(dy.data, y.data, dx.data, outer, n, inner);
    return [dx];
  });
}
