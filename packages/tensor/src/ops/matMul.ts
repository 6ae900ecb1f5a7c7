import type { Tensor, TensorLike } from '../tensor';

export function matMul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  throw new Error('not implemented yet');
}
