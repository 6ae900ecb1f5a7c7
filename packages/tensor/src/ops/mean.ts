import { record } from '../autograd/record';
import { allocate } from '../dtype';
import { reduceSum, reduceSumBackward } from '../kernels/cpu/reduce';
import { sizeOf } from '../shape';
import { Tensor } from '../tensor';
import { fromReductionLayout, planReduction, toReductionLayout } from './internal/reduction';

/**
 * Arithmetic mean over the given axes.
 *
 *   y[kept] = (1/N) Σ_{reduced axes} x,   N = product of the reduced dimensions
 *
 * **Shape:** x's shape with the reduced axes removed (set to 1 when `keepDims`); all axes by default.
 * The mean over zero elements is NaN (0/0), as in NumPy.
 *
 * @param x        input, any rank
 * @param axis     axis or axes to reduce, negative counts from the end. Default: all axes.
 * @param keepDims keep reduced axes as size 1. Default false.
 * @throws ValueError if an axis is out of range or repeated.
 * @example
 * const x = tensor([[1, 2], [3, 5]]);
 * String(mean(x));           // '2.75'
 * String(mean(x, 1));        // '[1.5 4. ]'
 */
export function mean(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  const plan = planReduction('mean', x.shape, axis, keepDims);
  const { outer, reduced, inner } = plan;
  const y = allocate(x.dtype, sizeOf(plan.outShape));
  reduceSum(toReductionLayout(x, plan), y, outer, reduced, inner, reduced);
  // ∂y/∂x = 1/N for every element of the range: dx = dy / N, broadcast back
  return record('mean', [x], new Tensor(y, plan.outShape), (dy) => {
    const dx = allocate(x.dtype, x.size);
    reduceSumBackward(dy.data, dx, outer, reduced, inner, 1 / reduced);
    return [fromReductionLayout(dx, x.shape, plan)];
  });
}
