import { allocate } from '../dtype';
import { assert } from '../errors';
import { argMax as argMaxKernel } from '../kernels/cpu/reduce';
import { formatShape } from '../shape';
import { Tensor } from '../tensor';
import { planReduction } from './internal/reduction';

/**
 * Index of the largest element along one axis (the first one when several tie; a NaN counts as
 * largest). Not differentiable: indices are piecewise constant, so their gradient is 0 or undefined.
 *
 *   y[kept] = argmax_k x[…, k, …]
 *
 * **Shape:** with an `axis`, x's shape without that axis. Without one, x is treated as flattened
 * (like NumPy and PyTorch) and the result is a scalar: the flat row-major index.
 * The result is a float32 tensor holding integers (Sinapse tensors are float only).
 *
 * @param x    input, any rank
 * @param axis the axis to search, negative counts from the end. Default: the whole flattened tensor.
 * @throws ValueError if the axis is out of range, or the searched range is empty.
 * @example
 * const x = tensor([[1, 9, 3], [7, 2, 7]]);
 * String(argmax(x, 1));      // '[1. 0.]'
 * String(argmax(x));         // '1.0'
 */
export function argmax(x: Tensor, axis?: number): Tensor {
  const plan = planReduction('argmax', axis === undefined ? [x.size] : x.shape, axis ?? 0, false);
  const outShape = axis === undefined ? [] : plan.outShape;
  assert(
    plan.reduced > 0,
    () =>
      `argmax: cannot search an empty range, but got shape ${formatShape(x.shape)} and axis ${axis ?? 'undefined (all)'}`,
  );
  const y = allocate('float32', plan.outer * plan.inner);
  argMaxKernel(x.data, y, plan.outer, plan.reduced, plan.inner);
  return new Tensor(y, outShape);
}
