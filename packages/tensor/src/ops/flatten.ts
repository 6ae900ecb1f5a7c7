import type { Tensor, TensorLike } from '../tensor';

export function flatten(x: Tensor, startAxis = 0, endAxis = -1): Tensor {
  throw new Error('not implemented yet');
}
