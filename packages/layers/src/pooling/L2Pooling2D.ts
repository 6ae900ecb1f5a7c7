import { l2Pool2d, type Pool2DOptions, type Tensor } from '@sinapse/tensor';
import { registerLayer } from '../registry';
import { Pooling2D } from './Pooling2D';

/**
 * Downsamples each channel of an NHWC image by the L2 norm of each window:
 *   y[n, i, j, c] = √(Σ over the window of x[n, i·sh + a, j·sw + b, c]²), the square root of the SUM of squares (the lecture's definition; PyTorch LPPool2d with p = 2).
 * No weights.
 *
 * **Shape**: [N, H, W, C] → [N, H_out, W_out, C] with H_out = floor((H − poolH) / strideH) + 1
 * for 'valid' and ceil(H / strideH) for 'same' (likewise W).
 *
 * @example
 * new L2Pooling2D({ poolSize: 2, strides: 2 }).apply(image); // [1, 4, 4, 1] → [1, 2, 2, 1]
 */
export class L2Pooling2D extends Pooling2D {
  static override readonly className = 'L2Pooling2D';

  protected pool(x: Tensor, options: Pool2DOptions): Tensor {
    return l2Pool2d(x, options);
  }
}

registerLayer(L2Pooling2D);
