/**
 * Concatenation along one axis. Seen as [outer, axisSize, inner], each input is `outer` runs of
 * axisSize·inner contiguous values, and each run lands in the matching output row at the
 * input's offset along the axis.
 */
import type { TypedArray } from '../../dtype';

/**
 * Copies x (viewed as [outer, run] with run = axisSize·inner) into y (viewed as [outer, yRun]):
 *   y[o·yRun + offset + j] = x[o·run + j]
 * where offset = (position of x along the axis)·inner.
 */
export function concatInto(
  x: TypedArray,
  y: TypedArray,
  outer: number,
  run: number,
  yRun: number,
  offset: number,
): void {
  for (let o = 0; o < outer; o++) {
    const src = o * run;
    const dst = o * yRun + offset;
    for (let j = 0; j < run; j++) y[dst + j] = x[src + j]!;
  }
}
