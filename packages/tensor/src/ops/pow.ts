import type { Tensor, TensorLike } from '../tensor';

export function pow(a: TensorLike, b: TensorLike): Tensor {
  throw new Error('not implemented yet');
}
