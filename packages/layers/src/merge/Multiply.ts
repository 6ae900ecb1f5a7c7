import { mul, type Tensor } from '@sinapse/tensor';
import { registerLayer } from '../registry';
import { Merge } from './Merge';

/**
 * Merges a list of tensors into the product a · b · …, element by element: y = Π inputs.
 *
 * **Shape**: the inputs' common shape (see Merge for broadcasting). No weights.
 *
 * @throws ShapeError for fewer than 2 inputs, or shapes that do not match (the message names them all).
 * @example
 * new Multiply().apply([tensor([[1, 5]]), tensor([[3, 2]])]).toArray(); // [[3, 10]]
 */
export class Multiply extends Merge {
  static override readonly className = 'Multiply';

  protected merge(a: Tensor, b: Tensor): Tensor {
    return mul(a, b);
  }
}

registerLayer(Multiply);
