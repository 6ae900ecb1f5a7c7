/**
 * Gathering rows along one axis, and its gradient (scatter-add). Seen as three nested ranges,
 * x is [outer, axisSize, inner] and y is [outer, count, inner], with count = indices.length:
 *   y[o, k, i] = x[o, indices[k], i]
 */
import type { TypedArray } from '../../dtype';

/** y[(o·count + k)·inner + i] = x[(o·axisSize + indices[k])·inner + i]. Indices are assumed valid. */
export function gather(
  x: TypedArray,
  indices: Int32Array,
  y: TypedArray,
  outer: number,
  axisSize: number,
  inner: number,
): void {
  const count = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < count; k++) {
      const src = (o * axisSize + indices[k]!) * inner;
      const dst = (o * count + k) * inner;
      for (let i = 0; i < inner; i++) y[dst + i] = x[src + i]!;
    }
  }
}

/**
 * dx[(o·axisSize + indices[k])·inner + i] += dy[(o·count + k)·inner + i].
 * Every row that was read gets back the gradient of each place it went to; an index that appears
 * twice was read twice, so its gradients add up (hence += rather than =).
 */
export function gatherBackward(
  dy: TypedArray,
  indices: Int32Array,
  dx: TypedArray,
  outer: number,
  axisSize: number,
  inner: number,
): void {
  const count = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < count; k++) {
      const dst = (o * axisSize + indices[k]!) * inner;
      const src = (o * count + k) * inner;
      for (let i = 0; i < inner; i++) dx[dst + i]! += dy[src + i]!;
    }
  }
}
