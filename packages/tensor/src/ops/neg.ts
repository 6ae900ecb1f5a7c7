import type { Tensor, TensorLike } from '../tensor';

export function neg(x: Tensor): Tensor {
  throw new Error('not implemented yet');
}
