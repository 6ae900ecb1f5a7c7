import { sub, type Tensor } from '@sinapse/tensor';
import { registerLayer } from '../registry';
import { Merge } from './Merge';

/**
 * Subtracts the second of exactly two tensors from the first, element by element: y = a − b.
 *
 * **Shape**: the inputs' common shape (see Merge for broadcasting). No weights.
 *
 * @throws ShapeError for a list that is not two inputs, or shapes that do not match.
 * @example
 * new Subtract().apply([tensor([[1, 5]]), tensor([[3, 2]])]).toArray(); // [[-2, 3]]
 */
export class Subtract extends Merge {
  static override readonly className = 'Subtract';
  protected override readonly maxInputs = 2;

  protected merge(a: Tensor, b: Tensor): Tensor {
    return sub(a, b);
  }
}

registerLayer(Subtract);
