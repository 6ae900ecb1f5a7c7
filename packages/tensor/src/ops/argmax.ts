import type { Tensor, TensorLike } from '../tensor';

export function argmax(x: Tensor, axis?: number): Tensor {
  throw new Error('not implemented yet');
}
