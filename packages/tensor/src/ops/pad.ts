import { record } from '../autograd/record';
import { allocate } from '../dtype';
import { ValueError } from '../errors';
import { pad as padKernel, slice as sliceKernel } from '../kernels/cpu/slice';
import { formatShape } from '../shape';
import { Tensor } from '../tensor';

/**
 * Adds `constantValue` around x: paddings[a] = [before, after] cells on each side of axis a
 * (the order of `tf.pad` and `np.pad`; PyTorch's F.pad lists the last axis first instead).
 *
 *   y[before + i] = x[i],   y = constantValue everywhere else
 *
 * **Shape:** y.shape[a] = before[a] + x.shape[a] + after[a].
 *
 * @param x             input, any rank
 * @param paddings      one [before, after] pair of non-negative integers per axis
 * @param constantValue the value of the new cells. Default 0.
 * @throws ValueError if there is not one pair per axis, or an amount is negative or fractional.
 * @example
 * String(pad(tensor([[1, 2]]), [[1, 0], [0, 1]]));   // '[[0. 0. 0.]\n [1. 2. 0.]]'
 */
export function pad(x: Tensor, paddings: ReadonlyArray<readonly [number, number]>, constantValue = 0): Tensor {
  if (paddings.length !== x.rank) {
    throw new ValueError(
      `pad: paddings must have one [before, after] pair per axis (${x.rank}), but got ${paddings.length} pairs for shape ${formatShape(x.shape)}`,
    );
  }
  const before: number[] = [];
  const outShape: number[] = [];
  paddings.forEach((pair, a) => {
    const [lo, hi] = pair;
    if (pair.length !== 2 || !Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < 0) {
      throw new ValueError(
        `pad: paddings[${a}] must be a pair of non-negative integers [before, after], but got [${pair.join(', ')}]`,
      );
    }
    before.push(lo);
    outShape.push(lo + x.shape[a]! + hi);
  });
  const y = allocate(
    x.dtype,
    outShape.reduce((p, d) => p * d, 1),
    'pad',
    outShape,
  );
  padKernel(x.data, x.shape, before, y, outShape, constantValue);
  // the padding cells are constants, so dx = dy with the padding sliced off
  return record('pad', [x], new Tensor(y, outShape), (dy) => {
    const dx = allocate(dy.dtype, x.size);
    sliceKernel(dy.data, outShape, before, dx, x.shape);
    return [new Tensor(dx, x.shape)];
  });
}
