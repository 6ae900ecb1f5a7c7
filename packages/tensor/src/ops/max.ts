import type { Tensor, TensorLike } from '../tensor';

export function max(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  throw new Error('not implemented yet');
}
