import { minimum, type Tensor } from '@sinapse/tensor';
import { registerLayer } from '../registry';
import { Merge } from './Merge';

/**
 * Merges a list of tensors into the elementwise minimum, element by element: y = min over the inputs.
 *
 * **Shape**: the inputs' common shape (see Merge for broadcasting). No weights.
 *
 * @throws ShapeError for fewer than 2 inputs, or shapes that do not match (the message names them all).
 * @example
 * new Minimum().apply([tensor([[1, 5]]), tensor([[3, 2]])]).toArray(); // [[1, 2]]
 */
export class Minimum extends Merge {
  static override readonly className = 'Minimum';

  protected merge(a: Tensor, b: Tensor): Tensor {
    return minimum(a, b);
  }
}

registerLayer(Minimum);
