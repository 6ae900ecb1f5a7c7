/** Inputs shared by many tests. */
import { tensor } from '../ops/creation';
import type { Tensor } from '../tensor';

/**
 * The lecture's 4x4 image as NHWC [1, 4, 4, 1], as the notebook builds it with
 * `image.reshape(1, 4, 4, 1)`. Max pool 2/2 gives [[9, 7], [8, 6]], average [[4.25, 4.25], [4.25, 3.5]].
 */
export function lectureImage(dtype: 'float32' | 'float64' = 'float32'): Tensor {
  const values = [
    [2, 2, 7, 3],
    [9, 4, 6, 1],
    [8, 5, 2, 4],
    [3, 1, 2, 6],
  ];
  return tensor(values, undefined, { dtype }).reshape([1, 4, 4, 1]);
}
