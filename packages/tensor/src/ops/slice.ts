import { record } from '../autograd/record';
import { allocate } from '../dtype';
import { ValueError } from '../errors';
import { pad as padKernel, slice as sliceKernel } from '../kernels/cpu/slice';
import { formatShape } from '../shape';
import { Tensor } from '../tensor';

/**
 * A contiguous block of x, as `tf.slice`: along axis a it keeps indices begin[a] … begin[a] + size[a] − 1.
 *
 *   y[i] = x[begin + i]   for every index i of the block
 *
 * `begin` and `size` may be shorter than the rank: missing begins are 0 and missing sizes -1.
 * A number is a list of one, so it applies to axis 0 (`slice(x, 2, 3)` is rows 2, 3 and 4).
 * A size of -1 means "to the end of the axis".
 *
 * **Shape:** `size`, with each -1 replaced by x.shape[a] − begin[a].
 *
 * @param x     input, rank ≥ 1
 * @param begin start index per axis, 0 ≤ begin[a] ≤ x.shape[a]
 * @param size  block size per axis, -1 = to the end. Default: all -1.
 * @throws ValueError if begin or size has too many entries, or the block leaves the tensor.
 * @example
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * String(slice(x, [0, 1], [2, 2]));   // '[[2. 3.]\n [5. 6.]]'
 * String(slice(x, 1));                // '[[4. 5. 6.]]'
 */
export function slice(x: Tensor, begin: number | readonly number[], size?: number | readonly number[]): Tensor {
  const b = typeof begin === 'number' ? [begin] : [...begin];
  const s = size === undefined ? [] : typeof size === 'number' ? [size] : [...size];
  if (b.length > x.rank || s.length > x.rank) {
    throw new ValueError(
      `slice: begin and size can have at most one entry per axis (${x.rank}), but got begin ${formatShape(b)} ` +
        `and size ${formatShape(s)} for shape ${formatShape(x.shape)}`,
    );
  }
  const start: number[] = [];
  const outShape: number[] = [];
  for (let a = 0; a < x.rank; a++) {
    const dim = x.shape[a]!;
    const ba = b[a] ?? 0;
    const sa = s[a] ?? -1;
    if (!Number.isInteger(ba) || ba < 0 || ba > dim) {
      throw new ValueError(
        `slice: begin[${a}] must be an integer in [0, ${dim}] (the size of axis ${a}), but got ${ba}. Input shape ${formatShape(x.shape)}`,
      );
    }
    const len = sa === -1 ? dim - ba : sa;
    if (!Number.isInteger(len) || len < 0 || ba + len > dim) {
      throw new ValueError(
        `slice: begin[${a}] + size[${a}] must be at most ${dim} (the size of axis ${a}) and size[${a}] ≥ 0 or -1, ` +
          `but got begin ${ba} + size ${sa} = ${ba + sa}. Input shape ${formatShape(x.shape)}`,
      );
    }
    start.push(ba);
    outShape.push(len);
  }
  const y = allocate(
    x.dtype,
    outShape.reduce((p, d) => p * d, 1),
  );
  sliceKernel(x.data, x.shape, start, y, outShape);
  // dx = dy placed back where the block came from, zeros elsewhere (a zero padding of dy)
  return record('slice', [x], new Tensor(y, outShape), (dy) => {
    const dx = allocate(dy.dtype, x.size);
    padKernel(dy.data, outShape, start, dx, x.shape, 0);
    return [new Tensor(dx, x.shape)];
  });
}
