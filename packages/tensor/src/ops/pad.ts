import type { Tensor, TensorLike } from '../tensor';

export function pad(x: Tensor, paddings: ReadonlyArray<readonly [number, number]>, constantValue = 0): Tensor {
  throw new Error('not implemented yet');
}
