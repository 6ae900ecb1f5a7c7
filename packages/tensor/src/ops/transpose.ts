import type { Tensor, TensorLike } from '../tensor';

export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  throw new Error('not implemented yet');
}

export function permute(x: Tensor, perm: readonly number[]): Tensor {
  throw new Error('not implemented yet');
}
