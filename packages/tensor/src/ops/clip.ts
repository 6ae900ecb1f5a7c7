import type { Tensor, TensorLike } from '../tensor';

export function clip(x: Tensor, min: number, max: number): Tensor {
  throw new Error('not implemented yet');
}
