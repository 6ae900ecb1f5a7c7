import type { Tensor, TensorLike } from '../tensor';

export function mul(a: TensorLike, b: TensorLike): Tensor {
  throw new Error('not implemented yet');
}
