/**
 * Note [Broadcasting]
 * NumPy broadcasting lets `x + b` work for x of shape [N, H, W, C] and a bias b of shape [C]: the
 * shapes are aligned on the right, and every axis where one side has size 1 (or is missing) is
 * repeated to match the other side. Nothing is copied: for each output element we only need to
 * know WHICH input element it reads.
 *
 * That is `broadcastIndex`: with the output in row-major order, element i sits at coordinates
 * (i₀, …, i_{r−1}), and the input element it reads is
 *   src(i) = Σ_d  i_d · stride_d,   where stride_d = 0 on the axes the input repeats
 * (size 1 or missing), and the input's ordinary row-major stride elsewhere.
 *
 * The gradient of broadcasting is the transpose of that read: output element i read input element
 * src(i), so its gradient flows back there, and the input collects the sum of the gradients of
 * every output element that read it (`unbroadcastSum`, used by autograd/unbroadcast.ts).
 *
 * The common case needs no index at all. When the input, after dropping its leading 1s, is the
 * output's last axes (a bias [C] or [1, C] over [N, H, W, C], a scalar over anything), the only
 * axes with stride 0 are the leading ones, and the sum above is the output's flat index within one
 * block of those last axes: src(i) = i mod len, with len = the input's size. The output is then
 * the input repeated whole, `tiled`, and kernels walk it with two plain loops (see {@link tiles}).
 */
import type { TypedArray } from '../../dtype';
import { type Shape, sizeOf, stridesOf } from '../../shape';

/**
 * For each element of the output (row-major), the flat index of the input element it reads when
 * `inShape` is broadcast to `outShape`. `inShape` must broadcast to `outShape` (the op checks).
 *
 * @example broadcastIndex([2, 3], [3]); // [0, 1, 2, 0, 1, 2]   (a row repeated down)
 * @example broadcastIndex([2, 3], [2, 1]); // [0, 0, 0, 1, 1, 1] (a column repeated across)
 */
export function broadcastIndex(outShape: Shape, inShape: Shape): Int32Array {
  const rank = outShape.length;
  const missing = rank - inShape.length;
  const inStrides = stridesOf(inShape);
  // stride of the input along each OUTPUT axis: 0 where the input is repeated
  const strides = new Array<number>(rank).fill(0);
  for (let d = 0; d < inShape.length; d++) strides[missing + d] = inShape[d] === 1 ? 0 : inStrides[d]!;

  // Built from the last axis outwards, by copying blocks rather than stepping a coordinate per
  // element. When axis d is reached, index[0, len) holds the sources of one block of shape
  // outShape[d+1..] (len elements, starting at source 0); along axis d the output is n = outShape[d]
  // such blocks in a row, and the k-th one reads the same elements moved by k·stride[d].
  const index = new Int32Array(sizeOf(outShape));
  if (index.length === 0) return index;
  let len = 1;
  for (let d = rank - 1; d >= 0; d--) {
    const n = outShape[d]!;
    const stride = strides[d]!;
    for (let k = n - 1; k >= 1; k--) {
      const shift = k * stride;
      const offset = k * len;
      for (let j = 0; j < len; j++) index[offset + j] = index[j]! + shift;
    }
    len *= n;
  }
  return index;
}

/**
 * True when `inShape` broadcast to `outShape` is the input repeated whole: after dropping its
 * leading 1s, `inShape` equals the last axes of `outShape`. Then output element i reads input
 * element i mod len (len = the input's size; see Note [Broadcasting]), so a kernel can walk the
 * output as repeats of one block, `for (o = 0; o < n; o += len) for (j = 0; j < len; j++)`,
 * reading the input at j: no index array, no division.
 *
 * @example tiles([4, 5, 6], [6]);       // true:  a bias, read at i mod 6
 * @example tiles([4, 5, 6], [1, 5, 6]); // true:  read at i mod 30
 * @example tiles([4, 5, 6], []);        // true:  a scalar, read at i mod 1 = 0
 * @example tiles([4, 5, 6], [5, 1]);    // false: the last axis repeats each element (indexed)
 */
export function tiles(outShape: Shape, inShape: Shape): boolean {
  let lead = 0;
  while (lead < inShape.length && inShape[lead] === 1) lead++;
  const rest = inShape.length - lead;
  if (rest > outShape.length) return false;
  const offset = outShape.length - rest;
  for (let d = 0; d < rest; d++) if (inShape[lead + d] !== outShape[offset + d]) return false;
  return true;
}

/**
 * How the two inputs of a binary kernel line up with the output `y`. The common cases get plain
 * loops with no index arrays:
 *   'same'    a, b and y have the same number of elements: y[i] = a[i] ∘ b[i]
 *             (their shapes can differ only by axes of size 1, which do not move any element);
 *   'scalarA' a has one element:                            y[i] = a[0] ∘ b[i];
 *   'scalarB' b has one element:                            y[i] = a[i] ∘ b[0];
 *   'tiledA'  a is repeated whole (see {@link tiles}), b has y's size:  y[i] = a[i mod len] ∘ b[i];
 *   'tiledB'  b is repeated whole, a has y's size:          y[i] = a[i] ∘ b[i mod len]
 *             (the bias add y + b, b [C] over [N, H, W, C]);
 *   'indexed' anything else:                                y[i] = a[aIndex[i]] ∘ b[bIndex[i]].
 * The tiled layouts loop over the repeats outside and over the len elements of one block inside.
 */
export type BinaryLayout =
  | { readonly kind: 'same' }
  | { readonly kind: 'scalarA' }
  | { readonly kind: 'scalarB' }
  | { readonly kind: 'tiledA'; readonly len: number }
  | { readonly kind: 'tiledB'; readonly len: number }
  | { readonly kind: 'indexed'; readonly aIndex: Int32Array; readonly bIndex: Int32Array };

/** Picks the cheapest {@link BinaryLayout} for inputs of shapes `aShape`, `bShape` broadcast to `outShape`. */
export function binaryLayout(outShape: Shape, aShape: Shape, bShape: Shape): BinaryLayout {
  const size = sizeOf(outShape);
  const aSize = sizeOf(aShape);
  const bSize = sizeOf(bShape);
  if (aSize === size && bSize === size) return { kind: 'same' };
  if (aSize === 1 && bSize === size) return { kind: 'scalarA' };
  if (bSize === 1 && aSize === size) return { kind: 'scalarB' };
  // (size > 0 here: an empty output has aSize = bSize = 0 and is 'same', so len ≥ 1 below)
  if (bSize === size && tiles(outShape, aShape)) return { kind: 'tiledA', len: aSize };
  if (aSize === size && tiles(outShape, bShape)) return { kind: 'tiledB', len: bSize };
  return { kind: 'indexed', aIndex: broadcastIndex(outShape, aShape), bIndex: broadcastIndex(outShape, bShape) };
}

/**
 * dx += the gradient `dy` (of the broadcast shape) summed back onto the input it was broadcast
 * from, given that input's `broadcastIndex`: dx[index[i]] += dy[i]. See Note [Broadcasting].
 * `index = null` means the input is repeated whole ({@link tiles}: a scalar, a bias [C], …), so
 * element i read dx[i mod len] with len = dx.length, and the sum runs over the repeats:
 *   dx[j] += Σ_o dy[o·len + j]
 * with no index array. Sums are accumulated in float64, so a float32 bias gradient summed over a
 * large batch keeps its precision.
 */
export function unbroadcastSum(dy: TypedArray, index: Int32Array | null, dx: TypedArray): void {
  const len = dx.length;
  if (len === 0) return; // an empty input: dy is empty too
  const acc = new Float64Array(len);
  if (index !== null) {
    for (let i = 0; i < dy.length; i++) acc[index[i]!]! += dy[i]!;
  } else if (len === 1) {
    // a scalar: one running total (the loop below would run its inner loop once per element)
    let total = 0;
    for (let i = 0; i < dy.length; i++) total += dy[i]!;
    acc[0] = total;
  } else {
    // the repeats in order, each adding its block: the additions into acc[j] come in the same
    // order as with the index, so both paths give the same sums bit for bit
    for (let o = 0; o < dy.length; o += len) for (let j = 0; j < len; j++) acc[j]! += dy[o + j]!;
  }
  for (let j = 0; j < len; j++) dx[j]! += acc[j]!;
}
