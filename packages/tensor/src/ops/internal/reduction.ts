/**
 * Shared plumbing of the reductions (sum, mean, max, min, argmax, variance): resolve `axis`,
 * compute the output shape, and bring x into the [outer, reduced, inner] layout of the kernels
 * (see Note [Reduction layout] in kernels/cpu/reduce.ts). Not exported from the package.
 */
import type { TypedArray } from '../../dtype';
import { allocate } from '../../dtype';
import { transpose as transposeKernel } from '../../kernels/cpu/transpose';
import { normalizeAxes, type Shape } from '../../shape';
import { Tensor } from '../../tensor';

export interface ReductionPlan {
  /** Reduced axes, sorted and non-negative. */
  axes: number[];
  /** Output shape: x's shape without the reduced axes, or with them set to 1 when keepDims. */
  outShape: number[];
  /**
   * The transpose that moves the reduced axes after the kept ones, when they are not adjacent;
   * null when x can be reduced in place.
   */
  perm: number[] | null;
  outer: number;
  reduced: number;
  inner: number;
}

/** Resolves `axis` (undefined = all axes) against x's shape; throws naming `op` on a bad axis. */
export function planReduction(
  op: string,
  shape: Shape,
  axis: number | readonly number[] | undefined,
  keepDims: boolean,
): ReductionPlan {
  const axes = normalizeAxes(op, axis, shape.length);
  const isReduced = shape.map((_, a) => axes.includes(a));
  const outShape: number[] = [];
  shape.forEach((d, a) => {
    if (!isReduced[a]) outShape.push(d);
    else if (keepDims) outShape.push(1);
  });
  let reduced = 1;
  for (const a of axes) reduced *= shape[a]!;
  const adjacent = axes.every((a, k) => a === axes[0]! + k);
  if (adjacent) {
    // [outer, reduced, inner] with outer = the axes before the block, inner = the axes after it
    const first = axes[0] ?? 0;
    const last = axes.length > 0 ? axes[axes.length - 1]! : -1;
    let outer = 1;
    let inner = 1;
    for (let a = 0; a < first; a++) outer *= shape[a]!;
    for (let a = last + 1; a < shape.length; a++) inner *= shape[a]!;
    return { axes, outShape, perm: null, outer, reduced, inner };
  }
  // kept axes first (their order is the output's order), reduced axes last: [outer, reduced, 1]
  const kept = shape.map((_, a) => a).filter((a) => !isReduced[a]);
  const perm = [...kept, ...axes];
  let outer = 1;
  for (const a of kept) outer *= shape[a]!;
  return { axes, outShape, perm, outer, reduced, inner: 1 };
}

/** x's storage in the plan's layout: x.data itself, or a transposed copy. */
export function toReductionLayout(x: Tensor, plan: ReductionPlan): TypedArray {
  if (plan.perm === null) return x.data;
  const xt = allocate(x.dtype, x.size);
  transposeKernel(x.data, x.shape, plan.perm, xt);
  return xt;
}

/** A gradient computed in the plan's layout, as a tensor of x's shape (undoing the transpose). */
export function fromReductionLayout(dxLayout: TypedArray, xShape: Shape, plan: ReductionPlan): Tensor {
  if (plan.perm === null) return new Tensor(dxLayout, xShape);
  const perm = plan.perm;
  const transposedShape = perm.map((a) => xShape[a]!);
  const inverse = new Array<number>(perm.length);
  perm.forEach((a, k) => {
    inverse[a] = k;
  });
  const dx = allocate(dxLayout instanceof Float64Array ? 'float64' : 'float32', dxLayout.length);
  transposeKernel(dxLayout, transposedShape, inverse, dx);
  return new Tensor(dx, xShape);
}
