/**
 * Softmax and log-softmax along one axis, forward and backward.
 *
 * The tensor is viewed as [outer, n, inner], where n is the size of the softmax axis, outer the
 * product of the axes before it and inner of the axes after it. Element (o, k, j) is at
 *   flat = (o·n + k)·inner + j,
 * so one softmax "row" (fixed o and j) is n elements spaced `inner` apart. For the usual case,
 * logits [batch, classes] with axis −1, inner = 1 and each row is contiguous.
 *
 * Stability: softmax(x) = softmax(x − c) for any constant c, because e^(x−c) = eˣ·e^(−c) and the
 * e^(−c) cancels in the ratio. With c = max(x) every exponent is ≤ 0, so nothing overflows and the
 * largest term is exactly 1, so the sum is ≥ 1 and its log is safe.
 */
import type { TypedArray } from '../../dtype';

/** y[o, :, j] = e^(x − m) / Σ_k e^(x_k − m), with m = max_k x[o, k, j] */
export function softmax(x: TypedArray, y: TypedArray, outer: number, n: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < n; k++) max = Math.max(max, x[base + k * inner]!);
      let sum = 0;
      for (let k = 0; k < n; k++) {
        const e = Math.exp(x[base + k * inner]! - max);
        y[base + k * inner] = e;
        sum += e;
      }
      for (let k = 0; k < n; k++) y[base + k * inner]! /= sum;
    }
  }
}

/** y[o, :, j] = x − m − ln Σ_k e^(x_k − m), with m = max_k x[o, k, j] */
export function logSoftmax(x: TypedArray, y: TypedArray, outer: number, n: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < n; k++) max = Math.max(max, x[base + k * inner]!);
      let sum = 0;
      for (let k = 0; k < n; k++) sum += Math.exp(x[base + k * inner]! - max);
      const logSum = max + Math.log(sum);
      for (let k = 0; k < n; k++) y[base + k * inner] = x[base + k * inner]! - logSum;
    }
  }
}

/**
 * dx += y ⊙ (dy − Σ_k dy_k·y_k) along each row, where y = softmax(x).
 * (The Jacobian is ∂y_i/∂x_k = y_i·(δ_ik − y_k); multiplying by dy gives this without forming it.)
 */
export function softmaxBackward(
  dy: TypedArray,
  y: TypedArray,
  dx: TypedArray,
  outer: number,
  n: number,
  inner: number,
): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let dot = 0;
      for (let k = 0; k < n; k++) dot += dy[base + k * inner]! * y[base + k * inner]!;
      for (let k = 0; k < n; k++) {
        const f = base + k * inner;
        dx[f]! += y[f]! * (dy[f]! - dot);
      }
    }
  }
}

/**
 * dx += dy − softmax ⊙ Σ_k dy_k along each row, where y = logSoftmax(x), so softmax = e^y.
 * (∂y_i/∂x_k = δ_ik − softmax_k.)
 */
export function logSoftmaxBackward(
  dy: TypedArray,
  y: TypedArray,
  dx: TypedArray,
  outer: number,
  n: number,
  inner: number,
): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let sumDy = 0;
      for (let k = 0; k < n; k++) sumDy += dy[base + k * inner]!;
      for (let k = 0; k < n; k++) {
        const f = base + k * inner;
        dx[f]! += dy[f]! - Math.exp(y[f]!) * sumDy;
      }
    }
  }
}
