import { ConfigError, mul, relu, ShapeError, sub, type Tensor } from '@sinapse/tensor';
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
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';

/** Options for {@link PReLU} (names and defaults as in Keras and TF.js layers). */
export interface PReLUOptions extends LayerOptions {
  /** Initial slopes. Default 'zeros' (the layer starts as a plain relu). */
  alphaInitializer?: InitializerIdentifier | SerializedInitializer;
  /** Penalty on the slopes. Default none. */
  alphaRegularizer?: Regularizer | SerializedRegularizer | null;
  /**
   * Axes (1 = the first after the batch) along which one slope is shared: [1, 2] on [N, H, W, C]
   * gives one slope per channel, as He et al. do. Default none (one slope per input value).
   */
  sharedAxes?: number | readonly number[] | null;
}

/**
 * Parametric ReLU (He et al. 2015): a leaky ReLU whose negative slopes α are learned weights.
 *
 *   y = x      for x > 0
 *   y = α·x    otherwise, computed as relu(x) − α·relu(−x)
 *
 * **Shape**: unchanged. **Weights**: alpha, shaped like the input without its batch axis, with 1
 * on each shared axis: [H, W, C] by default, [1, 1, C] with sharedAxes [1, 2]. Those sizes are
 * fixed once built; shared axes may change size.
 *
 * @throws ConfigError for shared axes that are not integers ≥ 1, or an unknown initializer.
 * @throws ShapeError (when built) for a shared axis beyond the input's rank, or an unknown size on
 *   an axis that is not shared.
 * @example
 * const prelu = new PReLU({ alphaInitializer: { className: 'Constant', config: { value: 0.25 } } });
 * prelu.apply(tensor([[-4, 2]])).toArray(); // [[-1, 2]]
 */
export class PReLU extends Layer {
  static override readonly className = 'PReLU';
  static override readonly optionNames = [
    'alphaInitializer',
    'alphaRegularizer',
    'sharedAxes',
  ] as const satisfies readonly (keyof PReLUOptions)[];

  /** The {@link PReLUOptions.alphaInitializer | alphaInitializer} option, resolved to an initializer. */
  readonly alphaInitializer: Initializer;
  /** The {@link PReLUOptions.alphaRegularizer | alphaRegularizer} option (null: none). */
  readonly alphaRegularizer: Regularizer | null;
  /** The {@link PReLUOptions.sharedAxes | sharedAxes} option, as the layer uses it. */
  readonly sharedAxes: readonly number[];

  constructor(options: PReLUOptions = {}) {
    super(options);
    const who = this.describe();
    this.alphaInitializer = getInitializer(who, options.alphaInitializer ?? 'zeros', 'alphaInitializer');
    this.alphaRegularizer = getRegularizer(options.alphaRegularizer, `${who}: alphaRegularizer`);
    const shared = options.sharedAxes ?? [];
    const axes = typeof shared === 'number' ? [shared] : Array.isArray(shared) ? [...shared] : null;
    if (axes === null || !axes.every((a) => Number.isInteger(a) && a >= 1)) {
      throw new ConfigError(
        `${who}: sharedAxes must be integers ≥ 1 (axis 0 is the batch), but got ${JSON.stringify(options.sharedAxes)}`,
      );
    }
    this.sharedAxes = axes;
  }

  protected override checkInput(shape: LayerShape): void {
    const beyond = this.sharedAxes.filter((a) => a >= shape.length);
    if (beyond.length > 0) {
      throw new ShapeError(
        `${this.describe()}: sharedAxes must be axes of the input, in [1, ${shape.length - 1}], ` +
          `but got sharedAxes [${this.sharedAxes.join(', ')}] for an input ${formatLayerShape(shape)}`,
      );
    }
  }

  protected override weightSpecs(inputShape: LayerShape): WeightSpec[] {
    const shape = inputShape.slice(1).map((d, i) => (this.sharedAxes.includes(i + 1) ? 1 : d));
    if (shape.some((d) => d === null)) {
      throw new ShapeError(
        `${this.describe()}: every axis that is not shared must have a known size (alpha has one slope per value), ` +
          `but got an input ${formatLayerShape(inputShape)} with sharedAxes [${this.sharedAxes.join(', ')}]`,
      );
    }
    return [
      {
        name: 'alpha',
        shape: shape as number[],
        initializer: this.alphaInitializer,
        regularizer: this.alphaRegularizer,
      },
    ];
  }

  /** alpha fixes the sizes of the axes that are not shared; shared ones may change (Keras InputSpec). */
  override build(inputShape: LayerShape): void {
    if (this.built) return;
    super.build(inputShape);
    this.builtInputShape = inputShape.map((d, i) => (i === 0 || this.sharedAxes.includes(i) ? null : d));
  }

  protected call(x: Tensor): Tensor {
    // relu(x) − α·relu(−x): x above 0, α·x below (α broadcasts over the batch and the shared axes)
    return sub(relu(x), mul(this.param('alpha'), relu(x.neg())));
  }

  /** The shape is unchanged. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  protected options(): LayerConfig {
    return {
      alphaInitializer: serializeInitializer(this.alphaInitializer),
      alphaRegularizer: this.alphaRegularizer && serializeRegularizer(this.alphaRegularizer),
      sharedAxes: this.sharedAxes.length === 0 ? null : [...this.sharedAxes],
    };
  }
}

// fails to compile if PReLUOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof PReLU.optionNames, PReLUOptions, LayerOptions>>;

registerLayer(PReLU);
