import { record } from '../autograd/record';
import { allocate, type DType, isDType } from '../dtype';
import { ValueError } from '../errors';
import { Tensor } from '../tensor';

/**
 * Converts to another dtype (a copy). Differentiable: the gradient is cast back.
 * @example tensor([1.5]).cast('float64').dtype; // 'float64'
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (!isDType(dtype)) {
    throw new ValueError(`cast: dtype must be 'float32' or 'float64', but got ${JSON.stringify(dtype)}`);
  }
  if (x.dtype === dtype) return x;
  const data = allocate(dtype, x.size);
  data.set(x.data);
  const y = new Tensor(data, x.shape);
  // d cast(x) / dx = 1
  return record('cast', [x], y, (dy) => [dy.cast(x.dtype)]);
}

/**
 * A copy with its own storage. Differentiable (the gradient passes through unchanged).
 */
export function clone(x: Tensor): Tensor {
  const y = new Tensor(x.data.slice(), x.shape);
  // d clone(x) / dx = 1
  return record('clone', [x], y, (dy) => [dy]);
}
