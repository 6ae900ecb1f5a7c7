import { type GlobalPool2DOptions, globalMaxPool2d, type Tensor } from '@sinapse/tensor';
import { registerLayer } from '../registry';
import { GlobalPooling2D } from './GlobalPooling2D';

/**
 * Summarises each channel by the largest value of each channel's whole map: y[n, c] = max over h, w of x[n, h, w, c].
 * No weights.
 *
 * **Shape**: [N, H, W, C] → [N, C] (or [N, 1, 1, C] with keepDims).
 *
 * @example
 * new GlobalMaxPooling2D().apply(image); // [1, 4, 4, 1] → [1, 1]
 */
export class GlobalMaxPooling2D extends GlobalPooling2D {
  static override readonly className = 'GlobalMaxPooling2D';

  protected pool(x: Tensor, options: GlobalPool2DOptions): Tensor {
    return globalMaxPool2d(x, options);
  }
}

registerLayer(GlobalMaxPooling2D);
