import type { Tensor, TensorLike } from '../tensor';

export function tanh(x: Tensor): Tensor {
  throw new Error('not implemented yet');
}
