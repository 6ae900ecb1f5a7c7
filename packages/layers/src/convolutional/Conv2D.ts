import { fusedConv2d, ShapeError, type Tensor } from '@sinapse/tensor';
import {
  formatLayerShape,
  Layer,
  type LayerConfig,
  type LayerOptions,
  type LayerShape,
  type WeightSpec,
} from '../Layer';
import { registerLayer } from '../registry';
import { oneOf, pair, positionalOptions, positiveInt } from '../util/args';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';
import { checkImageInput, checkOutputNotEmpty, windowOutputLength } from '../util/shapes';
import {
  fusedActivation,
  KERNEL_BIAS_OPTION_NAMES,
  type KernelBias,
  type KernelBiasOptions,
  kernelBiasConfig,
  kernelBiasSpecs,
  resolveKernelBias,
} from '../util/weightOptions';

/**
 * Options for {@link Conv2D} (names as in Keras and TF.js layers): the window options below, plus the
 * activation, bias, initializers and regularizers it shares with Dense ({@link KernelBiasOptions}).
 */
export interface Conv2DOptions extends LayerOptions, KernelBiasOptions {
  /** Number of filters, i.e. output channels. Required. */
  filters: number;
  /** Window size [kh, kw]; a number means square. Required. */
  kernelSize: number | readonly [number, number];
  /** Step between windows [strideH, strideW]. Default 1. */
  strides?: number | readonly [number, number];
  /** 'valid' uses only full windows; 'same' pads with zeros so that out = ceil(in / stride). Default 'valid'. */
  padding?: 'valid' | 'same';
  /** Spacing between kernel taps [dh, dw] (atrous convolution). Default 1. */
  dilationRate?: number | readonly [number, number];
}

/**
 * 2-D convolution layer: slides `filters` learned kernels over an NHWC image, adds a bias per
 * filter and applies the activation:
 *
 *   y[n, i, j, f] = act( Σ_{a, b, c} x[n, i·sh + a·dh, j·sw + b·dw, c] · kernel[a, b, c, f] + bias[f] )
 *
 * (with zero padding for 'same'). Every output position uses the same kernel, which is why a
 * convolution has so few weights compared with a Dense layer on the same image.
 *
 * **Shape**: [N, H, W, C] → [N, H_out, W_out, filters], with the dilated kernel KH' = (kh − 1)·dh + 1:
 * 'valid': H_out = floor((H − KH') / sh) + 1; 'same': H_out = ceil(H / sh). Likewise W.
 * Height and width may change between calls; the channels C are fixed by the first call.
 *
 * **Weights**: kernel [kh, kw, C, filters], bias [filters] (the Keras layout, so weights copy one
 * to one). Parameters = kh·kw·C·filters + filters (the second term only with useBias).
 *
 * Unlike TensorFlow, strides > 1 may be combined with dilationRate > 1 (the op computes it).
 *
 * @throws ConfigError for filters, kernelSize, strides or dilationRate that are not positive
 *   integers, an unknown padding or activation.
 * @throws ShapeError for an input that is not [batch, height, width, channels], or whose channels
 *   differ from the ones the kernel was built for.
 * @example
 * // LeNet's first layer: six 5x5 filters over a 28x28 grey image
 * const conv1 = new Conv2D({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' });
 * conv1.apply(zeros([1, 28, 28, 1])).shape; // [1, 28, 28, 6]
 * conv1.countParams();                      // 156 = 5·5·1·6 + 6
 */
export class Conv2D extends Layer {
  static override readonly className = 'Conv2D';
  static override readonly optionNames = [
    'filters',
    'kernelSize',
    'strides',
    'padding',
    'dilationRate',
    ...KERNEL_BIAS_OPTION_NAMES,
  ] as const satisfies readonly (keyof Conv2DOptions)[];

  /** The {@link Conv2DOptions.filters | filters} option, as the layer uses it. */
  readonly filters: number;
  /** The {@link Conv2DOptions.kernelSize | kernelSize} option as `[kh, kw]`. */
  readonly kernelSize: readonly [number, number];
  /** The {@link Conv2DOptions.strides | strides} option as `[sh, sw]`. */
  readonly strides: readonly [number, number];
  /** The {@link Conv2DOptions.padding | padding} option, as the layer uses it. */
  readonly padding: 'valid' | 'same';
  /** The {@link Conv2DOptions.dilationRate | dilationRate} option as `[dh, dw]`. */
  readonly dilationRate: readonly [number, number];
  /** Whether a bias vector is added (the `useBias` option, default true). */
  readonly useBias: boolean;
  /** activation, useBias, initializers and regularizers with their defaults applied (util/weightOptions) */
  private readonly kernelBias: KernelBias;

  constructor(options: Conv2DOptions);
  /** Keras's positional form: `new Conv2D(32, 3, { activation: 'relu' })`. */
  constructor(
    filters: number,
    kernelSize: number | readonly [number, number],
    options?: Omit<Conv2DOptions, 'filters' | 'kernelSize'>,
  );
  // the body also runs for JavaScript's `new Conv2D()`: the checks below then name the missing filters
  constructor(...args: unknown[]) {
    const options = positionalOptions<Partial<Conv2DOptions>>('Conv2D', args, ['filters', 'kernelSize']);
    super(options);
    const who = this.describe();
    this.filters = positiveInt(who, 'filters', options.filters);
    this.kernelSize = pair(who, 'kernelSize', options.kernelSize);
    this.strides = pair(who, 'strides', options.strides ?? 1);
    this.padding = oneOf(who, 'padding', options.padding ?? 'valid', ['valid', 'same'] as const);
    this.dilationRate = pair(who, 'dilationRate', options.dilationRate ?? 1);
    this.kernelBias = resolveKernelBias(who, options);
    this.useBias = this.kernelBias.useBias;
  }

  protected override weightSpecs(inputShape: LayerShape): WeightSpec[] {
    const [kh, kw] = this.kernelSize;
    const inChannels = inputShape[3]!;
    // kernel [kh, kw, inChannels, filters], bias [filters]
    return kernelBiasSpecs(this.kernelBias, [kh, kw, inChannels, this.filters], [this.filters]);
  }

  /** The kernel fixes only the channels: any height and width fit, as in Keras (InputSpec axes={-1: C}). */
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
        `${this.describe()} was built for ${built} input channels (kernel [${this.kernelSize.join(', ')}, ${built}, ${this.filters}]), ` +
          `but got an input with ${shape[3]} channels: ${formatLayerShape(shape)}`,
      );
    }
  }

  protected call(x: Tensor): Tensor {
    // one op for the convolution, the bias [filters] (one offset per output channel, at every
    // position of [N, H_out, W_out, filters]) and a relu; other activations run after it
    const { fused, after } = fusedActivation(this.kernelBias);
    const y = fusedConv2d(x, this.param('kernel'), {
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
      bias: this.useBias ? this.param('bias') : null,
      activation: fused,
    });
    return after === null ? y : after(y);
  }

  /** [N, H, W, C] → [N, H_out, W_out, filters] (formulas in the class comment). */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkImageInput(this, inputShape);
    const [n, h, w] = inputShape;
    const [kh, kw] = this.kernelSize;
    const [sh, sw] = this.strides;
    const [dh, dw] = this.dilationRate;
    return checkOutputNotEmpty(this, inputShape, [
      n ?? null,
      windowOutputLength(h ?? null, kh, sh, this.padding, dh),
      windowOutputLength(w ?? null, kw, sw, this.padding, dw),
      this.filters,
    ]);
  }

  protected options(): LayerConfig {
    return {
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dilationRate: [...this.dilationRate],
      ...kernelBiasConfig(this.kernelBias),
    };
  }
}

// fails to compile if Conv2DOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof Conv2D.optionNames, Conv2DOptions, LayerOptions>>;

registerLayer(Conv2D);
