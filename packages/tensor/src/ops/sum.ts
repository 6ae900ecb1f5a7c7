import { record } from '../autograd/record';
import { allocate } from '../dtype';
import { reduceSum, reduceSumBackward } from '../kernels/cpu/reduce';
import { sizeOf } from '../shape';
import { Tensor } from '../tensor';
import { fromReductionLayout, planReduction, toReductionLayout } from './internal/reduction';

/**
 * Sum of the elements over the given axes.
 *
 *   y[kept] = Σ_{reduced axes} x
 *
 * **Shape:** x's shape with the reduced axes removed (set to 1 when `keepDims`). With no `axis`,
 * every axis is reduced and the result is a scalar `[]`.
 *
 * @param x        input, any rank
 * @param axis     axis or axes to reduce, negative counts from the end. Default: all axes.
 * @param keepDims keep reduced axes as size 1, so the result broadcasts against x. Default false.
 * @throws ValueError if an axis is out of range or repeated.
 * @example
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * String(sum(x));            // '21.0'
 * String(sum(x, 0));         // '[5. 7. 9.]'
 * sum(x, -1, true).shape;    // [2, 1]
 */
export function sum(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  const plan = planReduction('sum', x.shape, axis, keepDims);
  const { outer, reduced, inner } = plan;
  const y = allocate(x.dtype, sizeOf(plan.outShape));
  reduceSum(toReductionLayout(x, plan), y, outer, reduced, inner);
  // ∂y/∂x = 1 for every element of the range: dx = dy, broadcast back over the reduced axes
  return record('sum', [x], new Tensor(y, plan.outShape), (dy) => {
    const dx = allocate(x.dtype, x.size);
    reduceSumBackward(dy.data, dx, outer, reduced, inner);
    return [fromReductionLayout(dx, x.shape, plan)];
  });
}
