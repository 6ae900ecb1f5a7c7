import type { Tensor, TensorLike } from '../tensor';

export function exp(x: Tensor): Tensor {
  throw new Error('not implemented yet');
}
