import type { Tensor, TensorLike } from '../tensor';

export function min(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  throw new Error('not implemented yet');
}
