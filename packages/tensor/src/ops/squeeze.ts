import type { Tensor, TensorLike } from '../tensor';

export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  throw new Error('not implemented yet');
}
