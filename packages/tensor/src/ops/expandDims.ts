import type { Tensor, TensorLike } from '../tensor';

export function expandDims(x: Tensor, axis = 0): Tensor {
  throw new Error('not implemented yet');
}
