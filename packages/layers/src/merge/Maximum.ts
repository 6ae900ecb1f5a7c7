import { maximum, type Tensor } from '@sinapse/tensor';
import { registerLayer } from '../registry';
import { Merge } from './Merge';

/**
 * Merges a list of tensors into the elementwise maximum, element by element: y = max over the inputs.
 *
 * **Shape**: the inputs' common shape (see Merge for broadcasting). No weights.
 *
 * @throws ShapeError for fewer than 2 inputs, or shapes that do not match (the message names them all).
 * @example
 * new Maximum().apply([tensor([[1, 5]]), tensor([[3, 2]])]).toArray(); // [[3, 5]]
 */
export class Maximum extends Merge {
  static override readonly className = 'Maximum';

  protected merge(a: Tensor, b: Tensor): Tensor {
    return maximum(a, b);
  }
}

registerLayer(Maximum);
