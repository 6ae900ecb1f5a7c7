import { add, ConfigError, conv2dTranspose, ShapeError, type Tensor } from '@sinapse/tensor';
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
import { checkImageInput } from '../util/shapes';
import {
  KERNEL_BIAS_OPTION_NAMES,
  type KernelBias,
  type KernelBiasOptions,
  kernelBiasConfig,
  kernelBiasSpecs,
  resolveKernelBias,
} from '../util/weightOptions';

/** Options for {@link Conv2DTranspose} (names and defaults as in Keras). */
export interface Conv2DTransposeOptions extends LayerOptions, KernelBiasOptions {
  /** Number of output channels. Required. */
  filters: number;
  /** Window size [kh, kw]. Required. */
  kernelSize: number | readonly [number, number];
  /** The upsampling factor (the stride of the convolution this transposes). Default 1. */
  strides?: number | readonly [number, number];
  /** The padding of that convolution. Default 'valid'. */
  padding?: 'valid' | 'same';
  /** Extra rows/columns at the bottom/right, each smaller than its stride. Default none. */
  outputPadding?: number | readonly [number, number] | null;
  /** Spacing between kernel taps. Default 1. */
  dilationRate?: number | readonly [number, number];
}

/**
 * Transposed 2-D convolution layer (U-Net's and DCGAN's upsampling): each input pixel stamps the
 * kernel, scaled by its value, onto a larger output; overlapping stamps add up. It is the gradient
 * of a Conv2D with the same strides and padding, used forward (the op is `conv2dTranspose`).
 *
 * **Shape**: [N, H, W, C] → [N, H_out, W_out, filters], Keras's rule with KH' = (kh − 1)·dh + 1:
 * without outputPadding, 'same': H_out = H·sh; 'valid': H_out = H·sh + max(KH' − sh, 0); with
 * outputPadding p: H_out = (H − 1)·sh + KH' − 2·pad + p (pad = floor(KH'/2) for 'same', else 0).
 *
 * **Weights**: kernel [kh, kw, filters, C] (Keras's layout: filters before input channels), bias
 * [filters]. Parameters = kh·kw·filters·C + filters.
 *
 * @throws ConfigError for bad filters, kernelSize, strides, dilationRate, padding or an
 *   outputPadding not smaller than its stride.
 * @throws ShapeError for an input that is not [batch, height, width, channels].
 * @example
 * const up = new Conv2DTranspose({ filters: 8, kernelSize: 2, strides: 2 });
 * up.apply(zeros([1, 7, 7, 16])).shape; // [1, 14, 14, 8]
 */
export class Conv2DTranspose extends Layer {
  static override readonly className = 'Conv2DTranspose';
  static override readonly optionNames = [
    'filters',
    'kernelSize',
    'strides',
    'padding',
    'outputPadding',
    'dilationRate',
    ...KERNEL_BIAS_OPTION_NAMES,
  ] as const satisfies readonly (keyof Conv2DTransposeOptions)[];

  /** The {@link Conv2DTransposeOptions.filters | filters} option, as the layer uses it. */
  readonly filters: number;
  /** The {@link Conv2DTransposeOptions.kernelSize | kernelSize} option as `[kh, kw]`. */
  readonly kernelSize: readonly [number, number];
  /** The {@link Conv2DTransposeOptions.strides | strides} option as `[sh, sw]`. */
  readonly strides: readonly [number, number];
  /** The {@link Conv2DTransposeOptions.padding | padding} option, as the layer uses it. */
  readonly padding: 'valid' | 'same';
  /** The {@link Conv2DTransposeOptions.outputPadding | outputPadding} option as `[rows, columns]` (null: none). */
  readonly outputPadding: readonly [number, number] | null;
  /** The {@link Conv2DTransposeOptions.dilationRate | dilationRate} option as `[dh, dw]`. */
  readonly dilationRate: readonly [number, number];
  /** Whether a bias vector is added (the `useBias` option, default true). */
  readonly useBias: boolean;
  private readonly kernelBias: KernelBias;

  constructor(options: Conv2DTransposeOptions);
  /** Keras's positional form: `new Conv2DTranspose(32, 3)`. */
  constructor(
    filters: number,
    kernelSize: number | readonly [number, number],
    options?: Omit<Conv2DTransposeOptions, 'filters' | 'kernelSize'>,
  );
  // the body also runs for JavaScript's `new Conv2DTranspose()`: the checks below then name the missing filters
  constructor(...args: unknown[]) {
    const options = positionalOptions<Partial<Conv2DTransposeOptions>>('Conv2DTranspose', args, [
      'filters',
      'kernelSize',
    ]);
    super(options);
    const who = this.describe();
    this.filters = positiveInt(who, 'filters', options.filters);
    this.kernelSize = pair(who, 'kernelSize', options.kernelSize);
    this.strides = pair(who, 'strides', options.strides ?? 1);
    this.padding = oneOf(who, 'padding', options.padding ?? 'valid', ['valid', 'same'] as const);
    this.dilationRate = pair(who, 'dilationRate', options.dilationRate ?? 1);
    const op = options.outputPadding ?? null;
    if (op === null) {
      this.outputPadding = null;
    } else {
      const p = typeof op === 'number' ? [op, op] : Array.isArray(op) ? op : [];
      if (p.length !== 2 || !p.every((v, i) => Number.isInteger(v) && v >= 0 && v < this.strides[i]!)) {
        throw new ConfigError(
          `${who}: outputPadding must be integers ≥ 0 and smaller than the strides [${this.strides.join(', ')}], but got ${JSON.stringify(op)}`,
        );
      }
      this.outputPadding = [p[0]!, p[1]!];
    }
    this.kernelBias = resolveKernelBias(who, options);
    this.useBias = this.kernelBias.useBias;
  }

  protected override weightSpecs(inputShape: LayerShape): WeightSpec[] {
    const [kh, kw] = this.kernelSize;
    // kernel [kh, kw, filters, inChannels], bias [filters]
    return kernelBiasSpecs(this.kernelBias, [kh, kw, this.filters, inputShape[3]!], [this.filters]);
  }

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
        `${this.describe()} was built for ${built} input channels (kernel [${this.kernelSize.join(', ')}, ${this.filters}, ${built}]), ` +
          `but got an input with ${shape[3]} channels: ${formatLayerShape(shape)}`,
      );
    }
  }

  protected call(x: Tensor): Tensor {
    let y = conv2dTranspose(x, this.param('kernel'), {
      strides: this.strides,
      padding: this.padding,
      outputPadding: this.outputPadding,
      dilationRate: this.dilationRate,
    });
    if (this.useBias) y = add(y, this.param('bias'));
    return this.kernelBias.activation.fn(y);
  }

  /** Keras's deconv_output_length along one axis (formulas in the class comment). */
  private outputLength(size: number | null, axis: 0 | 1): number | null {
    if (size === null) return null;
    const s = this.strides[axis];
    const kEff = (this.kernelSize[axis] - 1) * this.dilationRate[axis] + 1;
    if (this.outputPadding === null) return this.padding === 'same' ? size * s : size * s + Math.max(kEff - s, 0);
    const pad = this.padding === 'same' ? Math.floor(kEff / 2) : 0;
    return (size - 1) * s + kEff - 2 * pad + this.outputPadding[axis];
  }

  /** [N, H, W, C] → [N, H_out, W_out, filters]. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkImageInput(this, inputShape);
    const [n, h, w] = inputShape;
    return [n ?? null, this.outputLength(h ?? null, 0), this.outputLength(w ?? null, 1), this.filters];
  }

  protected options(): LayerConfig {
    return {
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      outputPadding: this.outputPadding === null ? null : [...this.outputPadding],
      dilationRate: [...this.dilationRate],
      ...kernelBiasConfig(this.kernelBias),
    };
  }
}

// fails to compile if Conv2DTransposeOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof Conv2DTranspose.optionNames, Conv2DTransposeOptions, LayerOptions>>;

registerLayer(Conv2DTranspose);
