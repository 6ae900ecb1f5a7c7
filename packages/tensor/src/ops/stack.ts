import type { Tensor, TensorLike } from '../tensor';

export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  throw new Error('not implemented yet');
}
