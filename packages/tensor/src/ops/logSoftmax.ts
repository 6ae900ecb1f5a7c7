import type { Tensor, TensorLike } from '../tensor';

export function logSoftmax(x: Tensor, axis = -1): Tensor {
  throw new Error('not implemented yet');
}
