import type { Tensor, TensorLike } from '../tensor';

export function softmax(x: Tensor, axis = -1): Tensor {
  throw new Error('not implemented yet');
}
