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
 * every output element that read it (`unbroadcastSum`, used by grads/unbroadcast.ts).
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
 * How the two inputs of a binary kernel line up with the output `y`. The common cases get a plain
 * loop with no index arrays:
 *   'same'    a, b and y have the same number of elements: y[i] = a[i] ∘ b[i]
 *             (their shapes can differ only by axes of size 1, which do not move any element);
 *   'scalarA' a has one element:                            y[i] = a[0] ∘ b[i];
 *   'scalarB' b has one element:                            y[i] = a[i] ∘ b[0];
 *   'indexed' anything else:                                y[i] = a[aIndex[i]] ∘ b[bIndex[i]].
 */
export type BinaryLayout =
  | { readonly kind: 'same' }
  | { readonly kind: 'scalarA' }
  | { readonly kind: 'scalarB' }
  | { readonly kind: 'indexed'; readonly aIndex: Int32Array; readonly bIndex: Int32Array };

/** Picks the cheapest {@link BinaryLayout} for inputs of shapes `aShape`, `bShape` broadcast to `outShape`. */
export function binaryLayout(outShape: Shape, aShape: Shape, bShape: Shape): BinaryLayout {
  const size = sizeOf(outShape);
  const aSize = sizeOf(aShape);
  const bSize = sizeOf(bShape);
  if (aSize === size && bSize === size) return { kind: 'same' };
  if (aSize === 1 && bSize === size) return { kind: 'scalarA' };
  if (bSize === 1 && aSize === size) return { kind: 'scalarB' };
  return { kind: 'indexed', aIndex: broadcastIndex(outShape, aShape), bIndex: broadcastIndex(outShape, bShape) };
}

/**
 * dx += the gradient `dy` (of the broadcast shape) summed back onto the input it was broadcast
 * from, given that input's `broadcastIndex`: dx[index[i]] += dy[i]. See Note [Broadcasting].
 * `index = null` means the input was a single element (every i reads element 0), the common
 * case of a scalar operand, and spares allocating an index of zeros.
 * Sums are accumulated in float64, so a float32 bias gradient summed over a large batch keeps its
 * precision.
 */
export function unbroadcastSum(dy: TypedArray, index: Int32Array | null, dx: TypedArray): void {
  const acc = new Float64Array(dx.length);
  if (index === null) {
    let total = 0;
    for (let i = 0; i < dy.length; i++) total += dy[i]!;
    acc[0] = total;
  } else {
    for (let i = 0; i < dy.length; i++) acc[index[i]!]! += dy[i]!;
  }
  for (let j = 0; j < dx.length; j++) dx[j]! += acc[j]!;
}
