import type { Tensor } from '../tensor';

/** Row indices for {@link gather}: a list of integers, an Int32Array, or a tensor holding integers. */
export type Indices = readonly number[] | Int32Array | Tensor;

export function gather(x: Tensor, indices: Indices, axis = 0): Tensor {
  throw new Error('not implemented yet');
}
