import { add, depthwiseConv2d, ShapeError, type Tensor } from '@sinapse/tensor';
import { type ActivationIdentifier, getActivation } from '../activations';
import {
  getInitializer,
  type Initializer,
  type InitializerIdentifier,
  type SerializedInitializer,
  serializeInitializer,
} from '../initializers';
import {
  formatLayerShape,
  Layer,
  type LayerConfig,
  type LayerOptions,
  type LayerShape,
  type WeightSpec,
} from '../Layer';
import { registerLayer } from '../registry';
import { getRegularizer, type Regularizer, type SerializedRegularizer, serializeRegularizer } from '../regularizers';
import { bool, oneOf, pair, positionalOptions, positiveInt } from '../util/args';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';
import { checkImageInput, checkOutputNotEmpty, windowOutputLength } from '../util/shapes';

/** Options for {@link DepthwiseConv2D} (names and defaults as in Keras and TF.js layers). */
export interface DepthwiseConv2DOptions extends LayerOptions {
  /** Window size [kh, kw]; a number means square. Required. */
  kernelSize: number | readonly [number, number];
  /** Step between windows [strideH, strideW]. Default 1. */
  strides?: number | readonly [number, number];
  /** 'valid' uses only full windows; 'same' pads with zeros so that out = ceil(in / stride). Default 'valid'. */
  padding?: 'valid' | 'same';
  /** Filters per input channel, M: the output has C·M channels. Default 1. */
  depthMultiplier?: number;
  /** Spacing between kernel taps [dh, dw]. Default 1. */
  dilationRate?: number | readonly [number, number];
  /** Applied to the output. Default: none (linear). */
  activation?: ActivationIdentifier;
  /** Whether to add a bias per output channel. Default true. */
  useBias?: boolean;
  /** Initial depthwise kernel. Default 'glorotUniform'. */
  depthwiseInitializer?: InitializerIdentifier | SerializedInitializer;
  /** Initial bias. Default 'zeros'. */
  biasInitializer?: InitializerIdentifier | SerializedInitializer;
  /** Penalty on the depthwise kernel. Default none. */
  depthwiseRegularizer?: Regularizer | SerializedRegularizer | null;
  /** Penalty on the bias. Default none. */
  biasRegularizer?: Regularizer | SerializedRegularizer | null;
}

/**
 * Depthwise 2-D convolution layer (MobileNet's): each input channel is convolved with its own
 * `depthMultiplier` filters, and channels are never mixed; a 1x1 Conv2D after it does the mixing.
 *
 *   y[n, i, j, c·M + m] = act( Σ_{a, b} x[n, i·sh + a·dh, j·sw + b·dw, c] · depthwiseKernel[a, b, c, m] + bias[c·M + m] )
 *
 * **Shape**: [N, H, W, C] → [N, H_out, W_out, C·M], H_out and W_out as for Conv2D.
 *
 * **Weights**: depthwise_kernel [kh, kw, C, M], bias [C·M] (Keras's names and layout).
 * Parameters = kh·kw·C·M + C·M: a 3x3 depthwise layer over 256 channels has 2,560, where a 3x3
 * Conv2D from 256 to 256 channels has 590,080.
 *
 * @throws ConfigError for kernelSize, strides, dilationRate or depthMultiplier that are not
 *   positive integers, an unknown padding, activation or initializer.
 * @throws ShapeError for an input that is not [batch, height, width, channels], or whose channels
 *   differ from the ones the kernel was built for.
 * @example
 * const dw = new DepthwiseConv2D({ kernelSize: 3, padding: 'same', depthMultiplier: 2 });
 * dw.apply(zeros([1, 8, 8, 3])).shape; // [1, 8, 8, 6]
 * dw.countParams();                    // 60 = 3·3·3·2 + 6
 */
export class DepthwiseConv2D extends Layer {
  static override readonly className = 'DepthwiseConv2D';
  static override readonly optionNames = [
    'kernelSize',
    'strides',
    'padding',
    'depthMultiplier',
    'dilationRate',
    'activation',
    'useBias',
    'depthwiseInitializer',
    'biasInitializer',
    'depthwiseRegularizer',
    'biasRegularizer',
  ] as const satisfies readonly (keyof DepthwiseConv2DOptions)[];

  /** The {@link DepthwiseConv2DOptions.kernelSize | kernelSize} option as `[kh, kw]`. */
  readonly kernelSize: readonly [number, number];
  /** The {@link DepthwiseConv2DOptions.strides | strides} option as `[sh, sw]`. */
  readonly strides: readonly [number, number];
  /** The {@link DepthwiseConv2DOptions.padding | padding} option, as the layer uses it. */
  readonly padding: 'valid' | 'same';
  /** The {@link DepthwiseConv2DOptions.depthMultiplier | depthMultiplier} option, as the layer uses it. */
  readonly depthMultiplier: number;
  /** The {@link DepthwiseConv2DOptions.dilationRate | dilationRate} option as `[dh, dw]`. */
  readonly dilationRate: readonly [number, number];
  /** The {@link DepthwiseConv2DOptions.useBias | useBias} option, as the layer uses it. */
  readonly useBias: boolean;
  private readonly activation: { name: string; fn: (x: Tensor) => Tensor };
  private readonly depthwiseInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private readonly depthwiseRegularizer: Regularizer | null;
  private readonly biasRegularizer: Regularizer | null;

  constructor(options: DepthwiseConv2DOptions);
  /** Keras's positional form: `new DepthwiseConv2D(3)`. */
  constructor(kernelSize: number | readonly [number, number], options?: Omit<DepthwiseConv2DOptions, 'kernelSize'>);
  // the body also runs for JavaScript's `new DepthwiseConv2D()`: the check below then names the missing kernelSize
  constructor(...args: unknown[]) {
    const options = positionalOptions<Partial<DepthwiseConv2DOptions>>('DepthwiseConv2D', args, ['kernelSize']);
    super(options);
    const who = this.describe();
    this.kernelSize = pair(who, 'kernelSize', options.kernelSize);
    this.strides = pair(who, 'strides', options.strides ?? 1);
    this.padding = oneOf(who, 'padding', options.padding ?? 'valid', ['valid', 'same'] as const);
    this.depthMultiplier = positiveInt(who, 'depthMultiplier', options.depthMultiplier ?? 1);
    this.dilationRate = pair(who, 'dilationRate', options.dilationRate ?? 1);
    this.activation = getActivation(who, options.activation);
    this.useBias = bool(this.describe(), 'useBias', options.useBias, true);
    this.depthwiseInitializer = getInitializer(
      who,
      options.depthwiseInitializer ?? 'glorotUniform',
      'depthwiseInitializer',
    );
    this.biasInitializer = getInitializer(who, options.biasInitializer ?? 'zeros', 'biasInitializer');
    this.depthwiseRegularizer = getRegularizer(options.depthwiseRegularizer, `${who}: depthwiseRegularizer`);
    this.biasRegularizer = getRegularizer(options.biasRegularizer, `${who}: biasRegularizer`);
  }

  protected override weightSpecs(inputShape: LayerShape): WeightSpec[] {
    const [kh, kw] = this.kernelSize;
    const c = inputShape[3]!;
    const specs: WeightSpec[] = [
      {
        name: 'depthwise_kernel',
        shape: [kh, kw, c, this.depthMultiplier],
        initializer: this.depthwiseInitializer,
        regularizer: this.depthwiseRegularizer,
      },
    ];
    if (this.useBias) {
      specs.push({
        name: 'bias',
        shape: [c * this.depthMultiplier],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
      });
    }
    return specs;
  }

  /** The kernel fixes only the channels: any height and width fit. */
  override build(inputShape: LayerShape): void {
    if (this.built) return;
    super.build(inputShape);
    this.builtInputShape = [null, null, null, inputShape[3] ?? null];
  }

  protected override checkInput(shape: LayerShape): void {
    checkImageInput(this, shape);
    const built = this.builtInputShape?.[3];
    if (built !== undefined && built !== null && shape[3] !== built) {
      throw new ShapeError(
        `${this.describe()} was built for ${built} input channels (depthwise_kernel [${this.kernelSize.join(', ')}, ${built}, ${this.depthMultiplier}]), ` +
          `but got an input with ${shape[3]} channels: ${formatLayerShape(shape)}`,
      );
    }
    if (shape[3] === null) {
      throw new ShapeError(`${this.describe()}: the input channels must be known, but got ${formatLayerShape(shape)}`);
    }
  }

  protected call(x: Tensor): Tensor {
    let y = depthwiseConv2d(x, this.param('depthwise_kernel'), {
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
    });
    // the bias [C·M] broadcasts over every position of [N, H_out, W_out, C·M]
    if (this.useBias) y = add(y, this.param('bias'));
    return this.activation.fn(y);
  }

  /** [N, H, W, C] → [N, H_out, W_out, C·M]. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkImageInput(this, inputShape);
    const [n, h, w, c] = inputShape;
    return checkOutputNotEmpty(this, inputShape, [
      n ?? null,
      windowOutputLength(h ?? null, this.kernelSize[0], this.strides[0], this.padding, this.dilationRate[0]),
      windowOutputLength(w ?? null, this.kernelSize[1], this.strides[1], this.padding, this.dilationRate[1]),
      c === null || c === undefined ? null : c * this.depthMultiplier,
    ]);
  }

  protected options(): LayerConfig {
    return {
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      depthMultiplier: this.depthMultiplier,
      dilationRate: [...this.dilationRate],
      activation: this.activation.name,
      useBias: this.useBias,
      depthwiseInitializer: serializeInitializer(this.depthwiseInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      depthwiseRegularizer: this.depthwiseRegularizer && serializeRegularizer(this.depthwiseRegularizer),
      biasRegularizer: this.biasRegularizer && serializeRegularizer(this.biasRegularizer),
    };
  }
}

// fails to compile if DepthwiseConv2DOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof DepthwiseConv2D.optionNames, DepthwiseConv2DOptions, LayerOptions>>;

registerLayer(DepthwiseConv2D);
