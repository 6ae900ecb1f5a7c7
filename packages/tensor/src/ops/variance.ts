import { record } from '../autograd/record';
import { allocate } from '../dtype';
import { reduceVariance, reduceVarianceBackward } from '../kernels/cpu/reduce';
import { sizeOf } from '../shape';
import { Tensor } from '../tensor';
import { fromReductionLayout, planReduction, toReductionLayout } from './internal/reduction';

/**
 * Population variance over the given axes (divides by N, ddof 0, like tf.moments and
 * `torch.var(unbiased=False)`; batch normalization uses this one).
 *
 *   μ = (1/N) Σ x,   y = (1/N) Σ (x − μ)²,   N = product of the reduced dimensions
 *
 * **Shape:** x's shape with the reduced axes removed (set to 1 when `keepDims`); all axes by default.
 *
 * @param x        input, any rank
 * @param axis     axis or axes to reduce, negative counts from the end. Default: all axes.
 * @param keepDims keep reduced axes as size 1. Default false.
 * @throws ValueError if an axis is out of range or repeated.
 * @example
 * String(variance(tensor([1, 2, 3, 4])));   // '1.25'   (μ = 2.5, (2.25 + 0.25 + 0.25 + 2.25) / 4)
 */
export function variance(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  const plan = planReduction('variance', x.shape, axis, keepDims);
  const { outer, reduced, inner } = plan;
  const xl = toReductionLayout(x, plan);
  const y = allocate(x.dtype, sizeOf(plan.outShape));
  const mu = allocate(x.dtype, y.length);
  reduceVariance(xl, mu, y, outer, reduced, inner);
  // ∂y/∂x = 2(x − μ)/N  (μ's own dependence on x contributes Σ 2(x − μ)/N · (−1/N) = 0)
  return record('variance', [x], new Tensor(y, plan.outShape), (dy) => {
    const dx = allocate(x.dtype, x.size);
    reduceVarianceBackward(xl, mu, dy.data, dx, outer, reduced, inner);
    return [fromReductionLayout(dx, x.shape, plan)];
  });
}
