import { normalizeAxis } from '../../shape';
import type { Tensor } from '../../tensor';
import { assertTensor } from './elementwiseOp';

/**
 * The [outer, n, inner] view of x around `axis` that the softmax kernels loop over: n is the size
 * of the axis, outer the product of the sizes before it, inner of those after it. (Internal: not
 * exported from the package.)
 */
export function splitAtAxis(op: string, x: Tensor, axis: number): [number, number, number] {
  assertTensor(op, 'x', x);
  const a = normalizeAxis(op, axis, x.rank);
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < a; d++) outer *= x.shape[d]!;
  for (let d = a + 1; d < x.rank; d++) inner *= x.shape[d]!;
  return [outer, x.shape[a]!, inner];
}
