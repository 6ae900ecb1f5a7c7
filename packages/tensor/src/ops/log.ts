import type { Tensor, TensorLike } from '../tensor';

export function log(x: Tensor): Tensor {
  throw new Error('not implemented yet');
}
