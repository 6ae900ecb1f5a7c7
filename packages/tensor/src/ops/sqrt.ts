import type { Tensor, TensorLike } from '../tensor';

export function sqrt(x: Tensor): Tensor {
  throw new Error('not implemented yet');
}
