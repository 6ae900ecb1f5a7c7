import { depthwiseConv2d, fusedConv2d, ShapeError, type Tensor } from '@sinapse/tensor';
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

/** Options for {@link SeparableConv2D} (names and defaults as in Keras and TF.js layers). */
export interface SeparableConv2DOptions extends LayerOptions {
  /** Number of output channels (of the pointwise step). Required. */
  filters: number;
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
  /** Whether to add a bias per filter. Default true. */
  useBias?: boolean;
  /** Initial depthwise kernel. Default 'glorotUniform'. */
  depthwiseInitializer?: InitializerIdentifier | SerializedInitializer;
  /** Initial pointwise kernel. Default 'glorotUniform'. */
  pointwiseInitializer?: InitializerIdentifier | SerializedInitializer;
  /** Initial bias. Default 'zeros'. */
  biasInitializer?: InitializerIdentifier | SerializedInitializer;
  /** Penalty on the depthwise kernel. Default none. */
  depthwiseRegularizer?: Regularizer | SerializedRegularizer | null;
  /** Penalty on the pointwise kernel. Default none. */
  pointwiseRegularizer?: Regularizer | SerializedRegularizer | null;
  /** Penalty on the bias. Default none. */
  biasRegularizer?: Regularizer | SerializedRegularizer | null;
}

/**
 * Depthwise separable 2-D convolution layer (Chollet 2017, Xception; Keras's SeparableConv2D): a
 * depthwise convolution that filters each input channel on its own (M = depthMultiplier filters
 * each), then a 1x1 convolution that mixes the C·M channels into `filters`, then bias and activation.
 *
 *   z[n, i, j, c·M + m] = Σ_{a, b} x[n, i·sh + a·dh, j·sw + b·dw, c] · depthwiseKernel[a, b, c, m]
 *   y[n, i, j, f]       = act( Σ_k z[n, i, j, k] · pointwiseKernel[0, 0, k, f] + bias[f] )
 *
 * **Shape**: [N, H, W, C] → [N, H_out, W_out, filters], H_out and W_out as for Conv2D.
 *
 * **Weights**: depthwise_kernel [kh, kw, C, M], pointwise_kernel [1, 1, C·M, filters], bias
 * [filters] (Keras's names and layout). Parameters = kh·kw·C·M + C·M·filters + filters; for a 3x3
 * from 256 to 256 channels, 68,352, against 590,080 for a Conv2D.
 *
 * @throws ConfigError for filters, kernelSize, strides, dilationRate or depthMultiplier that are
 *   not positive integers, an unknown padding, activation or initializer.
 * @throws ShapeError for an input that is not [batch, height, width, channels], or whose channels
 *   differ from the ones the kernels were built for.
 * @example
 * const sep = new SeparableConv2D({ filters: 16, kernelSize: 3, padding: 'same' });
 * sep.apply(zeros([1, 8, 8, 3])).shape; // [1, 8, 8, 16]
 * sep.countParams();                    // 91 = 3·3·3 + 3·16 + 16
 */
export class SeparableConv2D extends Layer {
  static override readonly className = 'SeparableConv2D';
  static override readonly optionNames = [
    'filters',
    'kernelSize',
    'strides',
    'padding',
    'depthMultiplier',
    'dilationRate',
    'activation',
    'useBias',
    'depthwiseInitializer',
    'pointwiseInitializer',
    'biasInitializer',
    'depthwiseRegularizer',
    'pointwiseRegularizer',
    'biasRegularizer',
  ] as const satisfies readonly (keyof SeparableConv2DOptions)[];

  /** The {@link SeparableConv2DOptions.filters | filters} option, as the layer uses it. */
  readonly filters: number;
  /** The {@link SeparableConv2DOptions.kernelSize | kernelSize} option as `[kh, kw]`. */
  readonly kernelSize: readonly [number, number];
  /** The {@link SeparableConv2DOptions.strides | strides} option as `[sh, sw]`. */
  readonly strides: readonly [number, number];
  /** The {@link SeparableConv2DOptions.padding | padding} option, as the layer uses it. */
  readonly padding: 'valid' | 'same';
  /** The {@link SeparableConv2DOptions.depthMultiplier | depthMultiplier} option, as the layer uses it. */
  readonly depthMultiplier: number;
  /** The {@link SeparableConv2DOptions.dilationRate | dilationRate} option as `[dh, dw]`. */
  readonly dilationRate: readonly [number, number];
  /** The {@link SeparableConv2DOptions.useBias | useBias} option, as the layer uses it. */
  readonly useBias: boolean;
  private readonly activation: { name: string; fn: (x: Tensor) => Tensor };
  private readonly depthwiseInitializer: Initializer;
  private readonly pointwiseInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private readonly depthwiseRegularizer: Regularizer | null;
  private readonly pointwiseRegularizer: Regularizer | null;
  private readonly biasRegularizer: Regularizer | null;

  constructor(options: SeparableConv2DOptions);
  /** Keras's positional form: `new SeparableConv2D(32, 3)`. */
  constructor(
    filters: number,
    kernelSize: number | readonly [number, number],
    options?: Omit<SeparableConv2DOptions, 'filters' | 'kernelSize'>,
  );
  // the body also runs for JavaScript's `new SeparableConv2D()`: the checks below then name the missing filters
  constructor(...args: unknown[]) {
    const options = positionalOptions<Partial<SeparableConv2DOptions>>('SeparableConv2D', args, [
      'filters',
      'kernelSize',
    ]);
    super(options);
    const who = this.describe();
    this.filters = positiveInt(who, 'filters', options.filters);
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
    this.pointwiseInitializer = getInitializer(
      who,
      options.pointwiseInitializer ?? 'glorotUniform',
      'pointwiseInitializer',
    );
    this.biasInitializer = getInitializer(who, options.biasInitializer ?? 'zeros', 'biasInitializer');
    this.depthwiseRegularizer = getRegularizer(options.depthwiseRegularizer, `${who}: depthwiseRegularizer`);
    this.pointwiseRegularizer = getRegularizer(options.pointwiseRegularizer, `${who}: pointwiseRegularizer`);
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
      {
        name: 'pointwise_kernel',
        shape: [1, 1, c * this.depthMultiplier, this.filters],
        initializer: this.pointwiseInitializer,
        regularizer: this.pointwiseRegularizer,
      },
    ];
    if (this.useBias) {
      specs.push({
        name: 'bias',
        shape: [this.filters],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
      });
    }
    return specs;
  }

  /** The kernels fix only the channels: any height and width fit. */
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
    const z = depthwiseConv2d(x, this.param('depthwise_kernel'), {
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
    });
    // the 1x1 mixing, the bias [filters] and a relu in one op; other activations after it
    const { name, fn } = this.activation;
    const fused = name === 'relu' || name === 'linear' ? name : 'linear';
    const y = fusedConv2d(z, this.param('pointwise_kernel'), {
      bias: this.useBias ? this.param('bias') : null,
      activation: fused,
    });
    return fused === name ? y : fn(y);
  }

  /** [N, H, W, C] → [N, H_out, W_out, filters]. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkImageInput(this, inputShape);
    const [n, h, w] = inputShape;
    return checkOutputNotEmpty(this, inputShape, [
      n ?? null,
      windowOutputLength(h ?? null, this.kernelSize[0], this.strides[0], this.padding, this.dilationRate[0]),
      windowOutputLength(w ?? null, this.kernelSize[1], this.strides[1], this.padding, this.dilationRate[1]),
      this.filters,
    ]);
  }

  protected options(): LayerConfig {
    return {
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      depthMultiplier: this.depthMultiplier,
      dilationRate: [...this.dilationRate],
      activation: this.activation.name,
      useBias: this.useBias,
      depthwiseInitializer: serializeInitializer(this.depthwiseInitializer),
      pointwiseInitializer: serializeInitializer(this.pointwiseInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      depthwiseRegularizer: this.depthwiseRegularizer && serializeRegularizer(this.depthwiseRegularizer),
      pointwiseRegularizer: this.pointwiseRegularizer && serializeRegularizer(this.pointwiseRegularizer),
      biasRegularizer: this.biasRegularizer && serializeRegularizer(this.biasRegularizer),
    };
  }
}

// fails to compile if SeparableConv2DOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof SeparableConv2D.optionNames, SeparableConv2DOptions, LayerOptions>>;

registerLayer(SeparableConv2D);
