import { record } from '../autograd/record';
import { allocate } from '../dtype';
import * as kernels from '../kernels/cpu/softmax';
import { Tensor } from '../tensor';
import { zerosLike } from './creation';
import { splitAtAxis } from './internal/axisSplit';

/**
 * Log of the softmax along an axis, computed directly (the log-sum-exp trick), which is what
 * cross-entropy needs: log(softmax(x)) would round tiny probabilities to 0 and return −Infinity.
 *
 *   y_i = x_i − m − ln Σ_k e^(x_k − m),   m = max_k x_k
 *
 * **Shape**: y has x's shape and dtype. x must have rank ≥ 1.
 *
 * @param x the scores, e.g. logits of shape [batch, classes]
 * @param axis the axis to normalize over. Default −1 (the last, the classes).
 * @throws ValueError if axis is not an integer in [−rank, rank − 1].
 * @example
 * logSoftmax(tensor([1000, -1000], undefined, { dtype: 'float64' })).toArray(); // [0, -2000]
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const [outer, n, inner] = splitAtAxis('logSoftmax', x, axis);
  const y = new Tensor(allocate(x.dtype, x.size), x.shape);
  kernels.logSoftmax(x.data, y.data, outer, n, inner);
  // dx = dy − softmax(x) ⊙ Σ_axis dy,  with softmax(x) = e^y
  return record('logSoftmax', [x], y, (dy) => {
    const dx = zerosLike(x);
    kernels.logSoftmaxBackward(dy.data, y.data, dx.data, outer, n, inner);
    return [dx];
  });
}
