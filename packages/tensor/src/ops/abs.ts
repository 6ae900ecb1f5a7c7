import type { Tensor, TensorLike } from '../tensor';

export function abs(x: Tensor): Tensor {
  throw new Error('not implemented yet');
}
