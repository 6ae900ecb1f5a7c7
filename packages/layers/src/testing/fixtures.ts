/** Inputs shared by the layer tests. */
import { type Tensor, tensor } from '@sinapse/tensor';

/** The lecture's 4x4 image, reshaped as in the notebook: `image.reshape(1, 4, 4, 1)`. */
export function lectureImage(): Tensor {
  return tensor([
    [2, 2, 7, 3],
    [9, 4, 6, 1],
    [8, 5, 2, 4],
    [3, 1, 2, 6],
  ]).reshape([1, 4, 4, 1]);
}
