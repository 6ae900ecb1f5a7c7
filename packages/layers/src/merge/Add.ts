import { add, type Tensor } from '@sinapse/tensor';
import { registerLayer } from '../registry';
import { Merge } from './Merge';

/**
 * Merges a list of tensors into the sum a + b + …, element by element: y = Σ inputs.
 *
 * **Shape**: the inputs' common shape (see Merge for broadcasting). No weights.
 *
 * @throws ShapeError for fewer than 2 inputs, or shapes that do not match (the message names them all).
 * @example
 * // a residual connection: y = x + F(x)
 * new Add().apply([tensor([[1, 5]]), tensor([[3, 2]])]).toArray(); // [[4, 7]]
 */
export class Add extends Merge {
  static override readonly className = 'Add';

  protected merge(a: Tensor, b: Tensor): Tensor {
    return add(a, b);
  }
}

registerLayer(Add);
