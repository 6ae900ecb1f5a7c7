import { avgPool2d, type Pool2DOptions, type Tensor } from '@sinapse/tensor';
import { registerLayer } from '../registry';
import { Pooling2D } from './Pooling2D';

/**
 * Downsamples each channel of an NHWC image by the mean of each window:
 *   y[n, i, j, c] = (1/|W|) Σ over the window's real cells of x[n, i·sh + a, j·sw + b, c].
 * No weights.
 *
 * **Shape**: [N, H, W, C] → [N, H_out, W_out, C] with H_out = floor((H − poolH) / strideH) + 1
 * for 'valid' and ceil(H / strideH) for 'same' (likewise W).
 *
 * @example
 * new AveragePooling2D({ poolSize: 2, strides: 2 }).apply(image); // [1, 4, 4, 1] → [1, 2, 2, 1]
 */
export class AveragePooling2D extends Pooling2D {
  static override readonly className = 'AveragePooling2D';

  protected pool(x: Tensor, options: Pool2DOptions): Tensor {
    return avgPool2d(x, options);
  }
}

registerLayer(AveragePooling2D);
