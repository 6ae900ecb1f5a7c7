import { mul, ones, resizeBilinear, type Tensor } from '@sinapse/tensor';
import { Layer, type LayerConfig, type LayerOptions, type LayerShape } from '../Layer';
import { registerLayer } from '../registry';
import { oneOf, pair } from '../util/args';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';
import { checkImageInput } from '../util/shapes';

/** Options for {@link UpSampling2D} (names and defaults as in Keras and TF.js layers). */
export interface UpSampling2DOptions extends LayerOptions {
  /** Upsampling factors [rows, columns]; a number means both. Default 2. */
  size?: number | readonly [number, number];
  /** 'nearest' repeats each pixel; 'bilinear' interpolates, as tf.image.resize. Default 'nearest'. */
  interpolation?: 'nearest' | 'bilinear';
}

/**
 * Upsamples an NHWC image by whole factors, without weights (the fixed counterpart of
 * Conv2DTranspose in a decoder):
 * - 'nearest': y[n, i, j, c] = x[n, floor(i / sh), floor(j / sw), c], each pixel an sh x sw block;
 * - 'bilinear': TensorFlow 2's tf.image.resize with half-pixel centers, as Keras computes it
 *   (the `resizeBilinear` op). TF.js's UpSampling2D samples without half-pixel centers, so its
 *   bilinear output differs from Keras's, and from this one, except in the interior.
 *
 * **Shape**: [N, H, W, C] → [N, H·sh, W·sw, C]. No weights.
 *
 * @throws ConfigError for a size that is not positive integers or an unknown interpolation.
 * @example
 * new UpSampling2D().apply(tensor([1, 2], [1, 1, 2, 1])).reshape([2, 4]).toArray(); // [[1, 1, 2, 2], [1, 1, 2, 2]]
 */
export class UpSampling2D extends Layer {
  static override readonly className = 'UpSampling2D';
  static override readonly optionNames = [
    'size',
    'interpolation',
  ] as const satisfies readonly (keyof UpSampling2DOptions)[];

  /** The {@link UpSampling2DOptions.size | size} option as `[rows, columns]`. */
  readonly size: readonly [number, number];
  /** The {@link UpSampling2DOptions.interpolation | interpolation} option, as the layer uses it. */
  readonly interpolation: 'nearest' | 'bilinear';

  constructor(options: UpSampling2DOptions = {}) {
    super(options);
    this.size = pair(this.describe(), 'size', options.size ?? 2);
    this.interpolation = oneOf(this.describe(), 'interpolation', options.interpolation ?? 'nearest', [
      'nearest',
      'bilinear',
    ] as const);
  }

  protected override checkInput(shape: LayerShape): void {
    checkImageInput(this, shape);
  }

  protected call(x: Tensor): Tensor {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const [sh, sw] = this.size;
    if (this.interpolation === 'bilinear') return resizeBilinear(x, [h * sh, w * sw]);
    // nearest: [N, H, 1, W, 1, C] times ones [sh, 1, sw, 1] broadcasts each pixel into an sh x sw block
    const blocks = mul(x.reshape([n, h, 1, w, 1, c]), ones([sh, 1, sw, 1], { dtype: x.dtype }));
    return blocks.reshape([n, h * sh, w * sw, c]);
  }

  /** [N, H, W, C] → [N, H·sh, W·sw, C]. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkImageInput(this, inputShape);
    const [n, h, w, c] = inputShape;
    const [sh, sw] = this.size;
    return [n ?? null, h == null ? null : h * sh, w == null ? null : w * sw, c ?? null];
  }

  protected options(): LayerConfig {
    return { size: [...this.size], interpolation: this.interpolation };
  }
}

// fails to compile if UpSampling2DOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof UpSampling2D.optionNames, UpSampling2DOptions, LayerOptions>>;

registerLayer(UpSampling2D);
