import type { Tensor, TensorLike } from '../tensor';

export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  throw new Error('not implemented yet');
}
