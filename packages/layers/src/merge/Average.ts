import { add, mul, type Tensor } from '@sinapse/tensor';
import { registerLayer } from '../registry';
import { Merge } from './Merge';

/**
 * The elementwise mean of a list of tensors: y = (a + b + …) / n.
 *
 * **Shape**: the inputs' common shape (see Merge for broadcasting). No weights.
 *
 * @throws ShapeError for fewer than 2 inputs, or shapes that do not match.
 * @example
 * new Average().apply([tensor([[1, 5]]), tensor([[3, 2]])]).toArray(); // [[2, 3.5]]
 */
export class Average extends Merge {
  static override readonly className = 'Average';

  protected merge(a: Tensor, b: Tensor): Tensor {
    return add(a, b);
  }

  protected override call(inputs: readonly Tensor[]): Tensor {
    return mul(super.call(inputs), 1 / inputs.length);
  }
}

registerLayer(Average);
