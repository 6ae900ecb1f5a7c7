import { type GlobalPool2DOptions, globalAvgPool2d, type Tensor } from '@sinapse/tensor';
import { registerLayer } from '../registry';
import { GlobalPooling2D } from './GlobalPooling2D';

/**
 * Summarises each channel by the mean of each channel's whole map: y[n, c] = (1/(H·W)) Σ over h, w of x[n, h, w, c].
 * No weights.
 *
 * **Shape**: [N, H, W, C] → [N, C] (or [N, 1, 1, C] with keepDims).
 *
 * @example
 * new GlobalAveragePooling2D().apply(image); // [1, 4, 4, 1] → [1, 1]
 */
export class GlobalAveragePooling2D extends GlobalPooling2D {
  static override readonly className = 'GlobalAveragePooling2D';

  protected pool(x: Tensor, options: GlobalPool2DOptions): Tensor {
    return globalAvgPool2d(x, options);
  }
}

registerLayer(GlobalAveragePooling2D);
