/**
 * The shared base of MaxPooling2D, AveragePooling2D and L2Pooling2D (Keras `base_pooling.py`):
 * options are validated and normalized here; each subclass only names the op it calls.
 */
import type { Pool2DOptions, Tensor } from '@sinapse/tensor';
import { Layer, type LayerConfig, type LayerOptions, type LayerShape } from '../Layer';
import { oneOf, pair, positionalOptions } from '../util/args';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';
import { checkImageInput, checkOutputNotEmpty, windowOutputLength } from '../util/shapes';

/** Options for the 2-D pooling layers (names as in Keras and TF.js layers). */
export interface Pooling2DOptions extends LayerOptions {
  /** Window size [poolH, poolW]; a number means square. Default 2. */
  poolSize?: number | readonly [number, number];
  /** Step between windows. Default: poolSize (windows do not overlap). */
  strides?: number | readonly [number, number];
  /** 'valid' drops incomplete windows; 'same' pads so out = ceil(in / stride). Default 'valid'. */
  padding?: 'valid' | 'same';
}

/**
 * The base of MaxPooling2D, AveragePooling2D and L2Pooling2D: options checked and normalized once,
 * here (`2` → `[2, 2]`, strides defaulting to the pool size); each subclass names its op in `pool`.
 *
 * **Shape**: `[N, H, W, C]` → `[N, H_out, W_out, C]`, 'valid': `H_out = floor((H − poolH) / sh) + 1`,
 * 'same': `H_out = ceil(H / sh)` (likewise W).
 *
 * @throws ConfigError for a poolSize or strides that is not a positive integer (or pair), or an unknown padding.
 */
export abstract class Pooling2D extends Layer {
  static override readonly optionNames = [
    'poolSize',
    'strides',
    'padding',
  ] as const satisfies readonly (keyof Pooling2DOptions)[];

  /** The {@link Pooling2DOptions.poolSize | poolSize} option as `[poolH, poolW]`. */
  readonly poolSize: readonly [number, number];
  /** The {@link Pooling2DOptions.strides | strides} option as `[sh, sw]`. */
  readonly strides: readonly [number, number];
  /** The {@link Pooling2DOptions.padding | padding} option, as the layer uses it. */
  readonly padding: 'valid' | 'same';

  constructor(options?: Pooling2DOptions);
  /** Keras's positional form: `new MaxPooling2D(2)`, `new MaxPooling2D([3, 3], { strides: 2 })`. */
  constructor(poolSize: number | readonly [number, number], options?: Omit<Pooling2DOptions, 'poolSize'>);
  constructor(...args: unknown[]) {
    const options = positionalOptions<Pooling2DOptions>('Pooling2D', args, ['poolSize']);
    super(options);
    this.poolSize = pair(this.describe(), 'poolSize', options.poolSize ?? 2);
    this.strides = pair(this.describe(), 'strides', options.strides ?? this.poolSize);
    this.padding = oneOf(this.describe(), 'padding', options.padding ?? 'valid', ['valid', 'same'] as const);
  }

  /** The pooling op this layer applies (maxPool2d, avgPool2d or l2Pool2d). */
  protected abstract pool(x: Tensor, options: Pool2DOptions): Tensor;

  protected call(x: Tensor): Tensor {
    return this.pool(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }

  protected override checkInput(shape: LayerShape): void {
    checkImageInput(this, shape);
  }

  /** [N, H, W, C] → [N, H_out, W_out, C], H_out = floor((H − poolH) / strideH) + 1 ('valid') or ceil(H / strideH) ('same'). */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkImageInput(this, inputShape);
    const [n, h, w, c] = inputShape;
    return checkOutputNotEmpty(this, inputShape, [
      n ?? null,
      windowOutputLength(h ?? null, this.poolSize[0], this.strides[0], this.padding),
      windowOutputLength(w ?? null, this.poolSize[1], this.strides[1], this.padding),
      c ?? null,
    ]);
  }

  protected options(): LayerConfig {
    return { poolSize: [...this.poolSize], strides: [...this.strides], padding: this.padding };
  }
}

// fails to compile if Pooling2DOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof Pooling2D.optionNames, Pooling2DOptions, LayerOptions>>;
