import type { Tensor, TensorLike } from '../tensor';

export function slice(x: Tensor, begin: number | readonly number[], size?: number | readonly number[]): Tensor {
  throw new Error('not implemented yet');
}
