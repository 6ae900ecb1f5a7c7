import { record } from '../autograd/record';
import { ShapeError, ValueError } from '../errors';
import { formatShape, type Shape, sizeOf } from '../shape';
import { Tensor } from '../tensor';

/**
 * The same elements in the same row-major order, viewed with another shape. One dimension may
 * be -1: it is inferred so that the sizes match.
 *
 * Storage is shared, not copied: tensors are immutable values (see Note [Tensors are immutable
 * values] in tensor.ts), so no op can tell the difference, and reshape is O(1). The one place
 * that writes into storage, an optimizer step on a parameter, also changes views of that
 * parameter, exactly as PyTorch's `view` does; reshape parameters inside the forward pass only.
 *
 * **Shape:** `shape` with the -1 filled in; its product must equal x.size.
 *
 * @param x     input, any rank
 * @param shape the new dimensions: non-negative integers, with at most one -1
 * @throws ValueError if a dimension is not an integer ≥ -1, or -1 appears twice.
 * @throws ShapeError if the sizes differ.
 * @example
 * String(reshape(arange(6), [2, -1]));   // '[[0. 1. 2.]\n [3. 4. 5.]]'
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const outShape = inferShape(x.shape, shape);
  const y = new Tensor(x.data, outShape);
  // a reshape moves no values: dx is dy read with x's shape
  return record('reshape', [x], y, (dy) => [reshape(dy, x.shape)]);
}

/** Fills in the -1 of `shape` so that it holds as many elements as `from`, checking everything. */
function inferShape(from: Shape, shape: Shape): number[] {
  let inferred = -1;
  let known = 1;
  shape.forEach((d, a) => {
    if (d === -1) {
      if (inferred !== -1) {
        throw new ValueError(
          `reshape: only one dimension can be -1, but got ${formatShape(shape)} (axes ${inferred} and ${a})`,
        );
      }
      inferred = a;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new ValueError(
        `reshape: dimensions must be non-negative integers or -1, but got ${d} at axis ${a} of ${formatShape(shape)}`,
      );
    } else {
      known *= d;
    }
  });
  const size = sizeOf(from);
  const out = [...shape];
  if (inferred !== -1) {
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(
        `reshape: cannot reshape ${formatShape(from)} (${size} elements) into ${formatShape(shape)}: ` +
          `${size} is not a multiple of ${known}, the product of the other dimensions`,
      );
    }
    out[inferred] = size / known;
  } else if (known !== size) {
    throw new ShapeError(
      `reshape: cannot reshape ${formatShape(from)} (${size} elements) into ${formatShape(shape)} (${known} elements)`,
    );
  }
  return out;
}
