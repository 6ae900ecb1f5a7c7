import { fusedMatMul, ShapeError, type Tensor } from '@sinapse/tensor';
import {
  formatLayerShape,
  Layer,
  type LayerConfig,
  type LayerOptions,
  type LayerShape,
  type WeightSpec,
} from '../Layer';
import { registerLayer } from '../registry';
import { positionalOptions, positiveInt } from '../util/args';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';
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
 * Options for {@link Dense} (names as in Keras and TF.js layers): `units`, plus the activation, bias,
 * initializers and regularizers it shares with Conv2D ({@link KernelBiasOptions}).
 */
export interface DenseOptions extends LayerOptions, KernelBiasOptions {
  /** Number of outputs (neurons). Required. */
  units: number;
}

/**
 * Fully connected layer: every output unit is a weighted sum of every input feature, plus a bias,
 * through the activation:
 *
 *   y = act(x · kernel + bias),   y[n, u] = act( Σ_i x[n, i] · kernel[i, u] + bias[u] )
 *
 * As in Keras, it acts on the last axis: for x [N, T, F] each of the N·T rows of F features is
 * mapped the same way. An image [N, H, W, C] therefore stays an image ([N, H, W, units]); put a
 * Flatten first to connect every pixel to every unit.
 *
 * **Shape**: [N, ..., inUnits] → [N, ..., units]; the rank is at least 2.
 *
 * **Weights**: kernel [inUnits, units], bias [units]. Parameters = inUnits·units + units (the
 * second term only with useBias).
 *
 * @throws ConfigError for units that is not a positive integer, an unknown activation or initializer.
 * @throws ShapeError for an input of rank below 2, or whose last axis differs from the one the
 *   kernel was built for.
 * @example
 * // LeNet's first fully connected layer, on the 5·5·16 = 400 flattened features
 * const fc1 = new Dense({ units: 120, activation: 'relu' });
 * fc1.apply(zeros([32, 400])).shape; // [32, 120]
 * fc1.countParams();                 // 48120 = 400·120 + 120
 */
export class Dense extends Layer {
  static override readonly className = 'Dense';
  static override readonly optionNames = [
    'units',
    ...KERNEL_BIAS_OPTION_NAMES,
  ] as const satisfies readonly (keyof DenseOptions)[];

  /** The {@link DenseOptions.units | units} option, as the layer uses it. */
  readonly units: number;
  /** Whether a bias vector is added (the `useBias` option, default true). */
  readonly useBias: boolean;
  /** activation, useBias, initializers and regularizers with their defaults applied (util/weightOptions) */
  private readonly kernelBias: KernelBias;

  constructor(options: DenseOptions);
  /** Keras's positional form: `new Dense(10, { activation: 'relu' })`. */
  constructor(units: number, options?: Omit<DenseOptions, 'units'>);
  // the body also runs for JavaScript's `new Dense()`: the units check then names the layer and the option
  constructor(...args: unknown[]) {
    const options = positionalOptions<Partial<DenseOptions>>('Dense', args, ['units']);
    super(options);
    const who = this.describe();
    this.units = positiveInt(who, 'units', options.units);
    this.kernelBias = resolveKernelBias(who, options);
    this.useBias = this.kernelBias.useBias;
  }

  protected override weightSpecs(inputShape: LayerShape): WeightSpec[] {
    const inUnits = inputShape[inputShape.length - 1]!;
    // kernel [inUnits, units], bias [units]
    return kernelBiasSpecs(this.kernelBias, [inUnits, this.units], [this.units]);
  }

  /** The kernel fixes only the last axis: the middle axes may change between calls (Keras InputSpec axes={-1: inUnits}). */
  override build(inputShape: LayerShape): void {
    if (this.built) return;
    super.build(inputShape);
    this.builtInputShape = inputShape.map((d, i) => (i === inputShape.length - 1 ? d : null));
  }

  protected override checkInput(shape: LayerShape): void {
    if (shape.length < 2) {
      const hint = shape.length === 1 ? `; add a batch dimension, e.g. x.reshape([1, ${shape[0]}])` : '';
      throw new ShapeError(
        `${this.describe()} expects input [batch, features] (or [batch, ..., features]), got ${formatLayerShape(shape)}${hint}`,
      );
    }
    const built = this.builtInputShape?.at(-1);
    if (built !== undefined && built !== null && shape.at(-1) !== built) {
      throw new ShapeError(
        `${this.describe()} was built for ${built} input features (kernel [${built}, ${this.units}]), ` +
          `but got an input with ${shape.at(-1)} features on its last axis: ${formatLayerShape(shape)}`,
      );
    }
  }

  protected call(x: Tensor): Tensor {
    // the kernel broadcasts over the leading axes: [N, ..., inUnits]·[inUnits, units] → [N, ..., units];
    // the bias [units] and a relu run in the same op, other activations after it
    const { fused, after } = fusedActivation(this.kernelBias);
    const y = fusedMatMul(x, this.param('kernel'), {
      bias: this.useBias ? this.param('bias') : null,
      activation: fused,
    });
    return after === null ? y : after(y);
  }

  /** [N, ..., inUnits] → [N, ..., units] */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    this.checkInput(inputShape);
    return [...inputShape.slice(0, -1), this.units];
  }

  protected options(): LayerConfig {
    return { units: this.units, ...kernelBiasConfig(this.kernelBias) };
  }
}

// fails to compile if DenseOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof Dense.optionNames, DenseOptions, LayerOptions>>;

registerLayer(Dense);
