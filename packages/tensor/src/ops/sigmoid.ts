import type { Tensor, TensorLike } from '../tensor';

export function sigmoid(x: Tensor): Tensor {
  throw new Error('not implemented yet');
}
