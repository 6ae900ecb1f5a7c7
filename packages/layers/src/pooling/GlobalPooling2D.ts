/** The shared base of GlobalMaxPooling2D and GlobalAveragePooling2D (Keras `base_global_pooling.py`). */
import type { GlobalPool2DOptions, Tensor } from '@sinapse/tensor';
import { ConfigError } from '@sinapse/tensor';
import { Layer, type LayerConfig, type LayerOptions, type LayerShape } from '../Layer';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';
import { checkImageInput } from '../util/shapes';

export interface GlobalPooling2DOptions extends LayerOptions {
  /** Keep the spatial axes with size 1: [N, 1, 1, C] instead of [N, C]. Default false. */
  keepDims?: boolean;
}

/**
 * The base of the global pooling layers: each channel pooled over the whole image,
 * `[N, H, W, C]` → `[N, C]` (`[N, 1, 1, C]` with keepDims). Subclasses name the op in `pool`.
 */
export abstract class GlobalPooling2D extends Layer {
  static override readonly optionNames = ['keepDims'] as const satisfies readonly (keyof GlobalPooling2DOptions)[];

  /** The {@link GlobalPooling2DOptions.keepDims | keepDims} option, as the layer uses it. */
  readonly keepDims: boolean;

  constructor(options: GlobalPooling2DOptions = {}) {
    super(options);
    const keepDims = options.keepDims ?? false;
    if (typeof keepDims !== 'boolean') {
      throw new ConfigError(`${this.describe()}: keepDims must be a boolean, but got ${JSON.stringify(keepDims)}`);
    }
    this.keepDims = keepDims;
  }

  /** The pooling op this layer applies (globalMaxPool2d or globalAvgPool2d). */
  protected abstract pool(x: Tensor, options: GlobalPool2DOptions): Tensor;

  protected call(x: Tensor): Tensor {
    return this.pool(x, { keepDims: this.keepDims });
  }

  protected override checkInput(shape: LayerShape): void {
    checkImageInput(this, shape);
  }

  /** [N, H, W, C] → [N, C], or [N, 1, 1, C] with keepDims. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkImageInput(this, inputShape);
    const n = inputShape[0] ?? null;
    const c = inputShape[3] ?? null;
    return this.keepDims ? [n, 1, 1, c] : [n, c];
  }

  protected options(): LayerConfig {
    return { keepDims: this.keepDims };
  }
}

// fails to compile if GlobalPooling2DOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof GlobalPooling2D.optionNames, GlobalPooling2DOptions, LayerOptions>>;
