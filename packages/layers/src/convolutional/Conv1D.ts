import { fusedConv2d, pad, ShapeError, type Tensor } from '@sinapse/tensor';
import {
  formatLayerShape,
  Layer,
  type LayerConfig,
  type LayerOptions,
  type LayerShape,
  type WeightSpec,
} from '../Layer';
import { registerLayer } from '../registry';
import { oneOf, positionalOptions, positiveInt } from '../util/args';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';
import { checkOutputNotEmpty, windowOutputLength } from '../util/shapes';
import {
  fusedActivation,
  KERNEL_BIAS_OPTION_NAMES,
  type KernelBias,
  type KernelBiasOptions,
  kernelBiasConfig,
  kernelBiasSpecs,
  resolveKernelBias,
} from '../util/weightOptions';

/** Options for {@link Conv1D} (names and defaults as in Keras and TF.js layers). */
export interface Conv1DOptions extends LayerOptions, KernelBiasOptions {
  /** Number of filters (output channels). Required. */
  filters: number;
  /** Window length. Required. */
  kernelSize: number | readonly [number];
  /** Step between windows. Default 1. */
  strides?: number | readonly [number];
  /** 'valid', 'same', or 'causal' (pad (k − 1)·d zeros at the start, so y[t] sees only x[≤ t]). Default 'valid'. */
  padding?: 'valid' | 'same' | 'causal';
  /** Spacing between kernel taps (WaveNet's dilated causal convolutions). Default 1. */
  dilationRate?: number | readonly [number];
}

/** `3` or `[3]` → 3, a positive integer. */
function single(who: string, option: string, value: unknown): number {
  return positiveInt(who, option, Array.isArray(value) && value.length === 1 ? value[0] : value);
}

/**
 * 1-D convolution over sequences and signals `[batch, steps, channels]` (Keras's Conv1D):
 *
 *   y[n, t, f] = act( Σ_{a, c} x[n, t·s + a·d, c] · kernel[a, c, f] + bias[f] )
 *
 * computed as a Conv2D on [N, 1, steps, C] with a [1, k] kernel. 'causal' padding adds (k − 1)·d
 * zeros before the sequence, so output t depends on inputs up to t only.
 *
 * **Shape**: [N, L, C] → [N, L_out, filters]: 'valid' L_out = floor((L − K') / s) + 1, 'same' and
 * 'causal' ceil(L / s) ('causal': floor((L − 1) / s) + 1, the same), K' = (k − 1)·d + 1.
 *
 * **Weights**: kernel [k, C, filters], bias [filters] (Keras's layout).
 *
 * @throws ConfigError for filters, kernelSize, strides or dilationRate that are not positive
 *   integers, an unknown padding or activation.
 * @throws ShapeError for an input that is not [batch, steps, channels].
 * @example
 * new Conv1D({ filters: 8, kernelSize: 3, padding: 'causal' }).apply(zeros([2, 50, 4])).shape; // [2, 50, 8]
 */
export class Conv1D extends Layer {
  static override readonly className = 'Conv1D';
  static override readonly optionNames = [
    'filters',
    'kernelSize',
    'strides',
    'padding',
    'dilationRate',
    ...KERNEL_BIAS_OPTION_NAMES,
  ] as const satisfies readonly (keyof Conv1DOptions)[];

  /** The {@link Conv1DOptions.filters | filters} option, as the layer uses it. */
  readonly filters: number;
  /** The {@link Conv1DOptions.kernelSize | kernelSize} option, as the layer uses it. */
  readonly kernelSize: number;
  /** The {@link Conv1DOptions.strides | strides} option, as the layer uses it. */
  readonly strides: number;
  /** The {@link Conv1DOptions.padding | padding} option, as the layer uses it. */
  readonly padding: 'valid' | 'same' | 'causal';
  /** The {@link Conv1DOptions.dilationRate | dilationRate} option, as the layer uses it. */
  readonly dilationRate: number;
  private readonly kernelBias: KernelBias;

  constructor(options: Conv1DOptions);
  /** Keras's positional form: `new Conv1D(32, 3)`. */
  constructor(
    filters: number,
    kernelSize: number | readonly [number],
    options?: Omit<Conv1DOptions, 'filters' | 'kernelSize'>,
  );
  // the body also runs for JavaScript's `new Conv1D()`: the checks below then name the missing filters
  constructor(...args: unknown[]) {
    const options = positionalOptions<Partial<Conv1DOptions>>('Conv1D', args, ['filters', 'kernelSize']);
    super(options);
    const who = this.describe();
    this.filters = positiveInt(who, 'filters', options.filters);
    this.kernelSize = single(who, 'kernelSize', options.kernelSize);
    this.strides = single(who, 'strides', options.strides ?? 1);
    this.padding = oneOf(who, 'padding', options.padding ?? 'valid', ['valid', 'same', 'causal'] as const);
    this.dilationRate = single(who, 'dilationRate', options.dilationRate ?? 1);
    this.kernelBias = resolveKernelBias(who, options);
  }

  protected override weightSpecs(inputShape: LayerShape): WeightSpec[] {
    return kernelBiasSpecs(this.kernelBias, [this.kernelSize, inputShape[2]!, this.filters], [this.filters]);
  }

  override build(inputShape: LayerShape): void {
    if (this.built) return;
    super.build(inputShape);
    this.builtInputShape = [null, null, inputShape[2] ?? null];
  }

  protected override checkInput(shape: LayerShape): void {
    if (shape.length !== 3) {
      throw new ShapeError(`${this.describe()} expects input [batch, steps, channels], got ${formatLayerShape(shape)}`);
    }
    const built = this.builtInputShape?.[2];
    if (built !== undefined && built !== null && shape[2] !== built) {
      throw new ShapeError(
        `${this.describe()} was built for ${built} input channels (kernel [${this.kernelSize}, ${built}, ${this.filters}]), ` +
          `but got an input with ${shape[2]} channels: ${formatLayerShape(shape)}`,
      );
    }
  }

  protected call(x: Tensor): Tensor {
    const [n, steps, c] = x.shape as [number, number, number];
    const shift = this.padding === 'causal' ? (this.kernelSize - 1) * this.dilationRate : 0;
    // [N, L, C] → [N, 1, L, C] (causal: shift zeros in front), a [1, k] kernel, back to [N, L_out, F]
    const image = (
      shift > 0
        ? pad(x, [
            [0, 0],
            [shift, 0],
            [0, 0],
          ])
        : x
    ).reshape([n, 1, steps + shift, c]);
    const { fused, after } = fusedActivation(this.kernelBias);
    const y = fusedConv2d(image, this.param('kernel').reshape([1, this.kernelSize, c, this.filters]), {
      strides: [1, this.strides],
      padding: this.padding === 'same' ? 'same' : 'valid',
      dilationRate: [1, this.dilationRate],
      bias: this.kernelBias.useBias ? this.param('bias') : null,
      activation: fused,
    });
    const out = y.reshape([n, y.shape[2]!, this.filters]);
    return after === null ? out : after(out);
  }

  /** [N, L, C] → [N, L_out, filters]. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    this.checkInput(inputShape);
    const [n, steps] = inputShape;
    const shift = this.padding === 'causal' ? (this.kernelSize - 1) * this.dilationRate : 0;
    const padded = steps == null ? null : steps + shift;
    const mode = this.padding === 'same' ? 'same' : 'valid';
    return checkOutputNotEmpty(this, inputShape, [
      n ?? null,
      windowOutputLength(padded, this.kernelSize, this.strides, mode, this.dilationRate),
      this.filters,
    ]);
  }

  protected options(): LayerConfig {
    return {
      filters: this.filters,
      kernelSize: [this.kernelSize],
      strides: [this.strides],
      padding: this.padding,
      dilationRate: [this.dilationRate],
      ...kernelBiasConfig(this.kernelBias),
    };
  }
}

// fails to compile if Conv1DOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof Conv1D.optionNames, Conv1DOptions, LayerOptions>>;

registerLayer(Conv1D);
