import { add, matMul, ShapeError, type Tensor } from '@sinapse/tensor';
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
import { positiveInt } from '../util/args';

/** Options for {@link Dense} (names as in Keras and TF.js layers). */
export interface DenseOptions extends LayerOptions {
  /** Number of outputs (neurons). Required. */
  units: number;
  /** Applied to the output: 'relu', 'softmax', ... or a function. Default: none (linear). */
  activation?: ActivationIdentifier;
  /** Whether to add a bias per unit. Default true. */
  useBias?: boolean;
  /** Initial kernel values. Default 'glorotUniform'. */
  kernelInitializer?: InitializerIdentifier | SerializedInitializer;
  /** Initial bias values. Default 'zeros'. */
  biasInitializer?: InitializerIdentifier | SerializedInitializer;
  /** Penalty on the kernel added to the loss, e.g. l2(1e-4). Default none. */
  kernelRegularizer?: Regularizer | SerializedRegularizer | null;
  /** Penalty on the bias. Default none. */
  biasRegularizer?: Regularizer | SerializedRegularizer | null;
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
  static override readonly optionNames: readonly string[] = [
    'units',
    'activation',
    'useBias',
    'kernelInitializer',
    'biasInitializer',
    'kernelRegularizer',
    'biasRegularizer',
  ];

  readonly units: number;
  readonly useBias: boolean;
  private readonly activation: { name: string; fn: (x: Tensor) => Tensor };
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private readonly kernelRegularizer: Regularizer | null;
  private readonly biasRegularizer: Regularizer | null;

  // `= {}`: `new Dense()` from JavaScript then fails on the units check, which names the layer
  constructor(options: DenseOptions = {} as DenseOptions) {
    super(options);
    const who = this.describe();
    this.units = positiveInt(who, 'units', options.units);
    this.activation = getActivation(who, options.activation);
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = getInitializer(who, options.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(who, options.biasInitializer ?? 'zeros');
    this.kernelRegularizer = getRegularizer(options.kernelRegularizer);
    this.biasRegularizer = getRegularizer(options.biasRegularizer);
  }

  protected override weightSpecs(inputShape: LayerShape): WeightSpec[] {
    const inUnits = inputShape[inputShape.length - 1]!;
    const specs: WeightSpec[] = [
      {
        name: 'kernel',
        shape: [inUnits, this.units],
        initializer: this.kernelInitializer,
        regularizer: this.kernelRegularizer,
      },
    ];
    if (this.useBias) {
      specs.push({
        name: 'bias',
        shape: [this.units],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
      });
    }
    return specs;
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
    // matMul broadcasts the kernel over the leading axes: [N, ..., inUnits]·[inUnits, units] → [N, ..., units]
    const z = matMul(x, this.param('kernel'));
    return this.activation.fn(this.useBias ? add(z, this.param('bias')) : z);
  }

  /** [N, ..., inUnits] → [N, ..., units] */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    this.checkInput(inputShape);
    return [...inputShape.slice(0, -1), this.units];
  }

  protected options(): LayerConfig {
    return {
      units: this.units,
      activation: this.activation.name,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: this.kernelRegularizer && serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: this.biasRegularizer && serializeRegularizer(this.biasRegularizer),
    };
  }
}

registerLayer(Dense);
