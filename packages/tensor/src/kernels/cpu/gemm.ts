import type { TypedArray } from '../../dtype';

export function matMul(
  a: TypedArray,
  b: TypedArray,
  c: TypedArray,
  batch: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  aBatchStride: number,
  bBatchStride: number,
): void {
  throw new Error('not implemented yet');
}
