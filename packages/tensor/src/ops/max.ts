import { record } from '../autograd/record';
import { allocate } from '../dtype';
import { assert } from '../errors';
import { reduceExtremeBackward, reduceMax } from '../kernels/cpu/reduce';
import { formatShape, sizeOf } from '../shape';
import { Tensor } from '../tensor';
import { fromReductionLayout, planReduction, toReductionLayout } from './internal/reduction';

/**
 * The largest element over the given axes (NaN if the range contains a NaN).
 *
 *   y[kept] = max over the reduced axes of x
 *
 * Gradient: dy goes to the element(s) equal to y. When several elements tie for the largest, dy is
 * split evenly among them (TensorFlow's tf.reduce_max and PyTorch's amax/amin rule), so the
 * gradients over a range still add up to dy. (TF.js gives the full dy to every tie instead.)
 *
 * **Shape:** x's shape with the reduced axes removed (set to 1 when `keepDims`); all axes by default.
 *
 * @param x        input, any rank
 * @param axis     axis or axes to reduce, negative counts from the end. Default: all axes.
 * @param keepDims keep reduced axes as size 1. Default false.
 * @throws ValueError if an axis is out of range or repeated, or a reduced axis has size 0.
 * @example
 * const x = tensor([[1, 5], [3, 2]]);
 * String(max(x));            // '5.0'
 * String(max(x, 0));         // '[3. 5.]'
 */
export function max(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  const plan = planReduction('max', x.shape, axis, keepDims);
  const { outer, reduced, inner } = plan;
  assert(
    reduced > 0,
    () =>
      `max: cannot reduce over zero elements, but got shape ${formatShape(x.shape)} with axes [${plan.axes.join(', ')}]`,
  );
  const xl = toReductionLayout(x, plan);
  const y = allocate(x.dtype, sizeOf(plan.outShape));
  reduceMax(xl, y, outer, reduced, inner);
  // ∂y/∂x = 1/count where x = y (count = number of ties), 0 elsewhere
  return record('max', [x], new Tensor(y, plan.outShape), (dy) => {
    const dx = allocate(x.dtype, x.size);
    reduceExtremeBackward(xl, y, dy.data, dx, outer, reduced, inner);
    return [fromReductionLayout(dx, x.shape, plan)];
  });
}
