/**
 * Copying a rectangular block between two row-major arrays: the one loop behind slice (copy a
 * block out of x) and pad (copy x into the middle of a bigger y). The two are each other's
 * gradient, and both are this kernel with the roles of source and destination swapped.
 */
import type { TypedArray } from '../../dtype';

/**
 * For every index b of a block of shape `block`:
 *   dst[dstBegin + b] = src[srcBegin + b]
 * where src has shape `srcShape` and dst has shape `dstShape` (same rank). The flat offset of an
 * index i in an array of shape S is Σ_a i[a]·stride_S[a], with stride_S[a] = Π_{b>a} S[b].
 */
export function copyBlock(
  src: TypedArray,
  srcShape: readonly number[],
  srcBegin: readonly number[],
  dst: TypedArray,
  dstShape: readonly number[],
  dstBegin: readonly number[],
  block: readonly number[],
): void {
  const rank = block.length;
  let blockSize = 1;
  for (const d of block) blockSize *= d;
  if (blockSize === 0) return;
  if (rank === 0) {
    dst[0] = src[0]!;
    return;
  }
  const srcStrides = rowMajorStrides(srcShape);
  const dstStrides = rowMajorStrides(dstShape);
  let srcOffset = 0;
  let dstOffset = 0;
  for (let a = 0; a < rank; a++) {
    srcOffset += srcBegin[a]! * srcStrides[a]!;
    dstOffset += dstBegin[a]! * dstStrides[a]!;
  }
  // Trailing axes that the block covers whole in both arrays are contiguous together: merge them
  // into one run (slicing a batch out of [N, H, W, C] is then one run per call, not one per row),
  // and walk the remaining outer axes with an odometer (coord = index within the block).
  let inner = rank - 1;
  while (inner > 0 && block[inner] === srcShape[inner] && block[inner] === dstShape[inner]) inner--;
  let run = 1;
  for (let a = inner; a < rank; a++) run *= block[a]!;
  // a long run of the same element type is one memcpy; short ones a plain loop
  const memcpy = run >= 64 && Object.getPrototypeOf(src) === Object.getPrototypeOf(dst);
  const coord = new Int32Array(rank);
  for (let copied = 0; copied < blockSize; copied += run) {
    if (memcpy) dst.set(src.subarray(srcOffset, srcOffset + run), dstOffset);
    else for (let c = 0; c < run; c++) dst[dstOffset + c] = src[srcOffset + c]!;
    for (let a = inner - 1; a >= 0; a--) {
      coord[a]!++;
      srcOffset += srcStrides[a]!;
      dstOffset += dstStrides[a]!;
      if (coord[a]! < block[a]!) break;
      srcOffset -= srcStrides[a]! * block[a]!;
      dstOffset -= dstStrides[a]! * block[a]!;
      coord[a] = 0;
    }
  }
}

/** y = x[begin : begin + yShape] (y is the block). */
export function slice(
  x: TypedArray,
  xShape: readonly number[],
  begin: readonly number[],
  y: TypedArray,
  yShape: readonly number[],
): void {
  copyBlock(x, xShape, begin, y, yShape, new Array<number>(yShape.length).fill(0), yShape);
}

/** y = `value` everywhere, then x copied in at offset `before` (y's shape is x's plus before + after). */
export function pad(
  x: TypedArray,
  xShape: readonly number[],
  before: readonly number[],
  y: TypedArray,
  yShape: readonly number[],
  value: number,
): void {
  if (value !== 0) y.fill(value);
  copyBlock(x, xShape, new Array<number>(xShape.length).fill(0), y, yShape, before, xShape);
}

function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    strides[a] = s;
    s *= shape[a]!;
  }
  return strides;
}
