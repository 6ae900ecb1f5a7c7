/**
 * Reduction kernels and their gradients.
 *
 * Note [Reduction layout]
 * Every reduction here sees its input as three nested ranges [outer, reduced, inner]: the axes
 * before the reduced ones, the reduced ones (adjacent, merged into one), and the axes after.
 * For x of shape [2, 3, 4] reduced over axis 1 that is outer = 2, reduced = 3, inner = 4, and
 *   flat index of x[o, r, i] = (o·reduced + r)·inner + i,   flat index of y[o, i] = o·inner + i.
 * Loops run o, then r, then i, so x is read in storage order. Axes that are not adjacent (say
 * 0 and 2 of a rank-3 tensor) are first moved to the end by a transpose, in ops/reduction.ts.
 *
 * Forward kernels write y; backward kernels accumulate (+=) into a zero-filled dx, like the
 * Backend kernels (see Note [Kernels and backends]).
 */
import type { TypedArray } from '../../dtype';

/**
 * y[o, i] = Σ_r x[o, r, i] / divisor (divisor 1 gives the sum, `reduced` the mean).
 * Sums are accumulated in float64 even for float32 data, so long sums do not drift.
 */
export function reduceSum(
  x: TypedArray,
  y: TypedArray,
  outer: number,
  reduced: number,
  inner: number,
  divisor = 1,
): void {
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    for (let r = 0; r < reduced; r++) {
      const base = (o * reduced + r) * inner;
      for (let i = 0; i < inner; i++) acc[i]! += x[base + i]!;
    }
    for (let i = 0; i < inner; i++) y[o * inner + i] = acc[i]! / divisor;
  }
}

/** y[o, i] = max_r x[o, r, i]. A NaN anywhere in the range makes the result NaN. `reduced` ≥ 1. */
export function reduceMax(x: TypedArray, y: TypedArray, outer: number, reduced: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    // start from r = 0, then let every later row compete
    for (let i = 0; i < inner; i++) y[o * inner + i] = x[o * reduced * inner + i]!;
    for (let r = 1; r < reduced; r++) {
      const base = (o * reduced + r) * inner;
      for (let i = 0; i < inner; i++) {
        const v = x[base + i]!;
        // a NaN replaces the running max; once it is NaN, nothing compares greater, so NaN stays
        if (v > y[o * inner + i]! || Number.isNaN(v)) y[o * inner + i] = v;
      }
    }
  }
}

/** y[o, i] = min_r x[o, r, i]. A NaN anywhere in the range makes the result NaN. `reduced` ≥ 1. */
export function reduceMin(x: TypedArray, y: TypedArray, outer: number, reduced: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) y[o * inner + i] = x[o * reduced * inner + i]!;
    for (let r = 1; r < reduced; r++) {
      const base = (o * reduced + r) * inner;
      for (let i = 0; i < inner; i++) {
        const v = x[base + i]!;
        if (v < y[o * inner + i]! || Number.isNaN(v)) y[o * inner + i] = v;
      }
    }
  }
}

/**
 * y[o, i] = the smallest r with x[o, r, i] = max_r' x[o, r', i] (the first maximum wins; a NaN
 * counts as the maximum, as in NumPy). `reduced` ≥ 1.
 */
export function argMax(x: TypedArray, y: TypedArray, outer: number, reduced: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = x[o * reduced * inner + i]!;
      let bestR = 0;
      for (let r = 1; r < reduced && !Number.isNaN(best); r++) {
        const v = x[(o * reduced + r) * inner + i]!;
        // strictly greater: a later equal value does not replace the first one
        if (v > best || Number.isNaN(v)) {
          best = v;
          bestR = r;
        }
      }
      y[o * inner + i] = bestR;
    }
  }
}

/**
 * dx[o, r, i] += scale · dy[o, i]: every input element of a range gets that range's gradient.
 * The gradient of sum (scale 1) and of mean (scale 1/reduced).
 */
export function reduceSumBackward(
  dy: TypedArray,
  dx: TypedArray,
  outer: number,
  reduced: number,
  inner: number,
  scale = 1,
): void {
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < reduced; r++) {
      const base = (o * reduced + r) * inner;
      for (let i = 0; i < inner; i++) dx[base + i]! += scale * dy[o * inner + i]!;
    }
  }
}

/**
 * Gradient of max and min: dx[o, r, i] += dy[o, i] / count[o, i] where x[o, r, i] = y[o, i],
 * and count[o, i] is how many elements of the range tie for the extreme. Splitting evenly among
 * ties is TensorFlow's rule (tf.reduce_max) and PyTorch's for amax; it keeps Σ_r dx = dy.
 */
export function reduceExtremeBackward(
  x: TypedArray,
  y: TypedArray,
  dy: TypedArray,
  dx: TypedArray,
  outer: number,
  reduced: number,
  inner: number,
): void {
  const count = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    count.fill(0);
    for (let r = 0; r < reduced; r++) {
      const base = (o * reduced + r) * inner;
      for (let i = 0; i < inner; i++) if (x[base + i] === y[o * inner + i]) count[i]!++;
    }
    for (let r = 0; r < reduced; r++) {
      const base = (o * reduced + r) * inner;
      for (let i = 0; i < inner; i++) {
        if (x[base + i] === y[o * inner + i]) dx[base + i]! += dy[o * inner + i]! / count[i]!;
      }
    }
  }
}

/**
 * Population variance (ddof 0), two passes for accuracy:
 *   mean[o, i] = Σ_r x[o, r, i] / N,   y[o, i] = Σ_r (x[o, r, i] − mean[o, i])² / N,   N = reduced.
 * `mean` (same size as y) is an output too: the backward pass needs it.
 */
export function reduceVariance(
  x: TypedArray,
  mean: TypedArray,
  y: TypedArray,
  outer: number,
  reduced: number,
  inner: number,
): void {
  reduceSum(x, mean, outer, reduced, inner, reduced);
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    for (let r = 0; r < reduced; r++) {
      const base = (o * reduced + r) * inner;
      for (let i = 0; i < inner; i++) {
        const d = x[base + i]! - mean[o * inner + i]!;
        acc[i]! += d * d;
      }
    }
    for (let i = 0; i < inner; i++) y[o * inner + i] = acc[i]! / reduced;
  }
}

/**
 * Gradient of the population variance: dx[o, r, i] += 2·(x[o, r, i] − mean[o, i]) / N · dy[o, i].
 * (The mean depends on x too, but its term is Σ_r 2(x − mean)/N · (−1/N) = 0.)
 */
export function reduceVarianceBackward(
  x: TypedArray,
  mean: TypedArray,
  dy: TypedArray,
  dx: TypedArray,
  outer: number,
  reduced: number,
  inner: number,
): void {
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < reduced; r++) {
      const base = (o * reduced + r) * inner;
      for (let i = 0; i < inner; i++) {
        dx[base + i]! += ((2 * (x[base + i]! - mean[o * inner + i]!)) / reduced) * dy[o * inner + i]!;
      }
    }
  }
}
