/**
 * The 1-D pooling layers for sequences [batch, steps, channels] (Keras's MaxPooling1D,
 * AveragePooling1D, GlobalAveragePooling1D): the 2-D pooling ops on [N, 1, steps, C] with a
 * [1, poolSize] window, so the window rules are the 2-D ones.
 */
import { avgPool2d, maxPool2d, ShapeError, type Tensor } from '@sinapse/tensor';
import { formatLayerShape, Layer, type LayerConfig, type LayerOptions, type LayerShape } from '../Layer';
import { registerLayer } from '../registry';
import { bool, oneOf, positiveInt } from '../util/args';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';
import { checkOutputNotEmpty, windowOutputLength } from '../util/shapes';

/** Options for the 1-D pooling layers (names and defaults as in Keras and TF.js layers). */
export interface Pooling1DOptions extends LayerOptions {
  /** Window length. Default 2. */
  poolSize?: number | readonly [number];
  /** Step between windows. Default: poolSize. */
  strides?: number | readonly [number] | null;
  /** 'valid' drops an incomplete last window; 'same' pads so out = ceil(steps / stride). Default 'valid'. */
  padding?: 'valid' | 'same';
}

const single = (who: string, option: string, value: unknown) =>
  positiveInt(who, option, Array.isArray(value) && value.length === 1 ? value[0] : value);

function checkSequence(layer: Layer, shape: LayerShape): void {
  if (shape.length !== 3) {
    throw new ShapeError(`${layer.describe()} expects input [batch, steps, channels], got ${formatLayerShape(shape)}`);
  }
}

abstract class Pooling1D extends Layer {
  static override readonly optionNames = [
    'poolSize',
    'strides',
    'padding',
  ] as const satisfies readonly (keyof Pooling1DOptions)[];

  /** The {@link Pooling1DOptions.poolSize | poolSize} option, as the layer uses it. */
  readonly poolSize: number;
  /** The {@link Pooling1DOptions.strides | strides} option, as the layer uses it. */
  readonly strides: number;
  /** The {@link Pooling1DOptions.padding | padding} option, as the layer uses it. */
  readonly padding: 'valid' | 'same';

  constructor(options: Pooling1DOptions = {}) {
    super(options);
    this.poolSize = single(this.describe(), 'poolSize', options.poolSize ?? 2);
    this.strides = single(this.describe(), 'strides', options.strides ?? this.poolSize);
    this.padding = oneOf(this.describe(), 'padding', options.padding ?? 'valid', ['valid', 'same'] as const);
  }

  /** The 2-D pooling op the 1-D pooling runs on `[N, 1, steps, C]` (maxPool2d or avgPool2d). */
  protected abstract readonly pool: typeof maxPool2d;

  protected override checkInput(shape: LayerShape): void {
    checkSequence(this, shape);
  }

  protected call(x: Tensor): Tensor {
    const [n, steps, c] = x.shape as [number, number, number];
    const y = this.pool(x.reshape([n, 1, steps, c]), {
      poolSize: [1, this.poolSize],
      strides: [1, this.strides],
      padding: this.padding,
    });
    return y.reshape([n, y.shape[2]!, c]);
  }

  /** [N, L, C] → [N, L_out, C]. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkSequence(this, inputShape);
    const [n, steps, c] = inputShape;
    return checkOutputNotEmpty(this, inputShape, [
      n ?? null,
      windowOutputLength(steps ?? null, this.poolSize, this.strides, this.padding),
      c ?? null,
    ]);
  }

  protected options(): LayerConfig {
    return { poolSize: [this.poolSize], strides: [this.strides], padding: this.padding };
  }
}

// fails to compile if Pooling1DOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof Pooling1D.optionNames, Pooling1DOptions, LayerOptions>>;

/**
 * Max over windows of `poolSize` steps: [N, L, C] → [N, L_out, C], no weights.
 * @example
 * new MaxPooling1D().apply(tensor([1, 3, 2, 0], [1, 4, 1])).reshape([2]).toArray(); // [3, 2]
 */
export class MaxPooling1D extends Pooling1D {
  static override readonly className = 'MaxPooling1D';
  protected readonly pool = maxPool2d;
}

/**
 * Mean over windows of `poolSize` steps (padding not counted): [N, L, C] → [N, L_out, C], no weights.
 * @example
 * new AveragePooling1D().apply(tensor([1, 3, 2, 0], [1, 4, 1])).reshape([2]).toArray(); // [2, 1]
 */
export class AveragePooling1D extends Pooling1D {
  static override readonly className = 'AveragePooling1D';
  protected readonly pool = avgPool2d;
}

/** Options for {@link GlobalAveragePooling1D}. */
export interface GlobalAveragePooling1DOptions extends LayerOptions {
  /** Keep the steps axis as size 1: [N, 1, C]. Default false. */
  keepDims?: boolean;
}

/**
 * Mean over all steps: [N, L, C] → [N, C] ([N, 1, C] with keepDims), no weights.
 * @example
 * new GlobalAveragePooling1D().apply(tensor([1, 3, 2, 0], [1, 2, 2])).toArray(); // [[1.5, 1.5]]
 */
export class GlobalAveragePooling1D extends Layer {
  static override readonly className = 'GlobalAveragePooling1D';
  static override readonly optionNames = [
    'keepDims',
  ] as const satisfies readonly (keyof GlobalAveragePooling1DOptions)[];

  /** The {@link GlobalAveragePooling1DOptions.keepDims | keepDims} option, as the layer uses it. */
  readonly keepDims: boolean;

  constructor(options: GlobalAveragePooling1DOptions = {}) {
    super(options);
    this.keepDims = bool(this.describe(), 'keepDims', options.keepDims, false);
  }

  protected override checkInput(shape: LayerShape): void {
    checkSequence(this, shape);
  }

  protected call(x: Tensor): Tensor {
    return x.mean(1, this.keepDims);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkSequence(this, inputShape);
    const [n, , c] = inputShape;
    return this.keepDims ? [n ?? null, 1, c ?? null] : [n ?? null, c ?? null];
  }

  protected options(): LayerConfig {
    return { keepDims: this.keepDims };
  }
}

// fails to compile if GlobalAveragePooling1DOptions gains an option that optionNames does not list
type _G = NoneUnlisted<
  UnlistedOptions<typeof GlobalAveragePooling1D.optionNames, GlobalAveragePooling1DOptions, LayerOptions>
>;

registerLayer(MaxPooling1D);
registerLayer(AveragePooling1D);
registerLayer(GlobalAveragePooling1D);
