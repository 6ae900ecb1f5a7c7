import type { Tensor, TensorLike } from '../tensor';

export function leakyRelu(x: Tensor, alpha = 0.2): Tensor {
  throw new Error('not implemented yet');
}
