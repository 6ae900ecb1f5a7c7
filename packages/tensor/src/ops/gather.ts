import { record } from '../autograd/record';
import { allocate } from '../dtype';
import { ValueError } from '../errors';
import { gatherBackward, gather as gatherKernel } from '../kernels/cpu/gather';
import { formatShape, normalizeAxis } from '../shape';
import { Tensor } from '../tensor';

/** Row indices for {@link gather}: a list of integers, an Int32Array, or a tensor holding integers. */
export type Indices = number | readonly number[] | Int32Array | Tensor;

/**
 * Picks slices of x along `axis` by index, like `tf.gather`: embedding lookups, selecting a
 * batch, or each sample's label column after a reshape.
 *
 *   y[o…, k…, i…] = x[o…, indices[k…], i…]
 *
 * An index may repeat; in the backward pass the gradients of its copies add up (scatter-add).
 *
 * **Shape:** x.shape[0 : axis] + indices.shape + x.shape[axis+1 :] (a list or Int32Array is 1-D).
 *
 * @param x       input, rank ≥ 1
 * @param indices integers in [0, x.shape[axis]); not differentiated
 * @param axis    the axis to pick along, negative counts from the end. Default 0.
 * @throws ValueError if the axis is out of range, or an index is not an integer in range.
 * @example
 * const x = tensor([[1, 2], [3, 4], [5, 6]]);
 * String(gather(x, [2, 0, 2]));      // '[[5. 6.]\n [1. 2.]\n [5. 6.]]'
 * String(gather(x, [1], 1));         // '[[2.]\n [4.]\n [6.]]'
 */
export function gather(x: Tensor, indices: Indices, axis = 0): Tensor {
  const a = normalizeAxis('gather', axis, x.rank);
  const axisSize = x.shape[a]!;
  if (
    typeof indices !== 'number' &&
    !(indices instanceof Tensor) &&
    !Array.isArray(indices) &&
    !(indices instanceof Int32Array)
  ) {
    throw new ValueError(
      `gather: indices must be a number, an array of integers, an Int32Array or a tensor, but got ${typeof indices}`,
    );
  }
  // a single number picks one slice and drops the axis (NumPy take, tf.gather with a scalar index)
  const indexShape =
    typeof indices === 'number' ? [] : indices instanceof Tensor ? [...indices.shape] : [indices.length];
  const values: ArrayLike<number> =
    typeof indices === 'number' ? [indices] : indices instanceof Tensor ? indices.data : indices;
  const idx = new Int32Array(values.length);
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (!Number.isInteger(v) || v < 0 || v >= axisSize) {
      throw new ValueError(
        `gather: indices must be integers in [0, ${axisSize}) (the size of axis ${a}), but got ${v} at position ${k}. ` +
          `Input shape ${formatShape(x.shape)}`,
      );
    }
    idx[k] = v;
  }
  let outer = 1;
  let inner = 1;
  for (let b = 0; b < a; b++) outer *= x.shape[b]!;
  for (let b = a + 1; b < x.rank; b++) inner *= x.shape[b]!;
  const outShape = [...x.shape.slice(0, a), ...indexShape, ...x.shape.slice(a + 1)];
  const y = allocate(x.dtype, outer * idx.length * inner, 'gather', outShape);
  gatherKernel(x.data, idx, y, outer, axisSize, inner);
  // each x row receives the gradients of every output row that copied it: dx[idx[k]] += dy[k]
  return record('gather', [x], new Tensor(y, outShape), (dy) => {
    const dx = allocate(dy.dtype, x.size);
    gatherBackward(dy.data, idx, dx, outer, axisSize, inner);
    return [new Tensor(dx, x.shape)];
  });
}
