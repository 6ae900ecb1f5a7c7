import { record } from '../autograd/record';
import { allocate, promoteTypes } from '../dtype';
import { ShapeError, ValueError } from '../errors';
import { concatInto } from '../kernels/cpu/concat';
import { formatShape, normalizeAxis } from '../shape';
import { Tensor } from '../tensor';
import { slice } from './slice';

/**
 * Joins tensors end to end along an existing axis (`tf.concat`, `torch.cat`).
 *
 *   y = [x₀ | x₁ | …] along `axis`
 *
 * **Shape:** the inputs' common shape, except y.shape[axis] = Σ xᵢ.shape[axis]. Every other
 * dimension must match. The dtype is float64 if any input is float64.
 *
 * @param tensors one or more tensors of the same rank (≥ 1)
 * @param axis    the axis to join along, negative counts from the end. Default 0.
 * @throws ValueError if the list is empty, holds scalars, or the axis is out of range.
 * @throws ShapeError if ranks or the other dimensions differ.
 * @example
 * String(concat([tensor([[1, 2]]), tensor([[3, 4]])]));      // '[[1. 2.]\n [3. 4.]]'
 * String(concat([tensor([[1, 2]]), tensor([[3, 4]])], 1));   // '[[1. 2. 3. 4.]]'
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ValueError('concat: needs at least one tensor, but got an empty list');
  const first = tensors[0]!;
  if (first.rank === 0) {
    throw new ValueError('concat: scalars (rank 0) have no axis to join along, but got shape []; use stack instead');
  }
  const a = normalizeAxis('concat', axis, first.rank);
  let dtype = first.dtype;
  let total = 0;
  tensors.forEach((t, k) => {
    const mismatch = t.rank !== first.rank ? -1 : t.shape.findIndex((d, b) => b !== a && d !== first.shape[b]);
    if (t.rank !== first.rank || mismatch !== -1) {
      throw new ShapeError(
        `concat: tensors must have the same shape except along axis ${a}, but got ${formatShape(first.shape)} ` +
          `(tensor 0) and ${formatShape(t.shape)} (tensor ${k})` +
          (mismatch === -1
            ? `: rank ${first.rank} vs ${t.rank}`
            : `: dimension ${mismatch} is ${first.shape[mismatch]} vs ${t.shape[mismatch]}`),
      );
    }
    dtype = promoteTypes(dtype, t.dtype);
    total += t.shape[a]!;
  });
  const outShape = [...first.shape];
  outShape[a] = total;
  // as [outer, axis, inner]: each input contributes one run of shape[a]·inner values per outer index
  let outer = 1;
  let inner = 1;
  for (let b = 0; b < a; b++) outer *= outShape[b]!;
  for (let b = a + 1; b < outShape.length; b++) inner *= outShape[b]!;
  const y = allocate(dtype, outer * total * inner, 'concat', outShape);
  const offsets: number[] = [];
  let offset = 0;
  for (const t of tensors) {
    offsets.push(offset);
    concatInto(t.data, y, outer, t.shape[a]! * inner, total * inner, offset * inner);
    offset += t.shape[a]!;
  }
  // each input gets back its own block of dy: dxᵢ = dy[…, offsetᵢ : offsetᵢ + nᵢ, …]
  return record('concat', tensors, new Tensor(y, outShape), (dy) =>
    tensors.map((t, k) => {
      if (!t.requiresGrad) return null;
      const begin = outShape.map((_, b) => (b === a ? offsets[k]! : 0));
      return slice(dy, begin, t.shape);
    }),
  );
}
