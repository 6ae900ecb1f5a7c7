import { ConfigError, ShapeError, type Tensor } from '@sinapse/tensor';
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
import { bool, inRange } from '../util/args';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';

/** Options for {@link LayerNormalization} (names and defaults as in Keras and TF.js layers). */
export interface LayerNormalizationOptions extends LayerOptions {
  /** The axis or axes normalized together, per example; negative counts from the end. Default -1. */
  axis?: number | readonly number[];
  /** Added to the variance before the square root. Default 1e-3. */
  epsilon?: number;
  /** Learn an offset beta. Default true. */
  center?: boolean;
  /** Learn a scale gamma. Default true. */
  scale?: boolean;
  /** Initial beta. Default 'zeros'. */
  betaInitializer?: InitializerIdentifier | SerializedInitializer;
  /** Initial gamma. Default 'ones'. */
  gammaInitializer?: InitializerIdentifier | SerializedInitializer;
  /** Penalty on beta. Default none. */
  betaRegularizer?: Regularizer | SerializedRegularizer | null;
  /** Penalty on gamma. Default none. */
  gammaRegularizer?: Regularizer | SerializedRegularizer | null;
}

/**
 * Layer normalization (Ba, Kiros & Hinton 2016): each example is normalized over `axis` on its own,
 * so, unlike BatchNormalization, it does not depend on the rest of the batch and behaves the same
 * in training and inference (transformers and ConvNeXt use it).
 *
 *   y = γ · (x − μ) / √(σ² + ε) + β,    μ, σ² over the `axis` values of one example (biased σ²)
 *
 * **Shape**: unchanged. **Weights**: gamma and beta, each shaped like the normalized axes (e.g.
 * [C] for axis -1, [H, W, C] for axis [1, 2, 3]), in Keras's order gamma, beta.
 *
 * @throws ConfigError for an axis that is not integers, or a negative epsilon.
 * @throws ShapeError (when built) for an axis out of range, the batch axis, or an unknown size on it.
 * @example
 * new LayerNormalization({ epsilon: 0 }).apply(tensor([[1, 3], [10, 30]])).toArray(); // [[-1, 1], [-1, 1]]
 */
export class LayerNormalization extends Layer {
  static override readonly className = 'LayerNormalization';
  static override readonly optionNames = [
    'axis',
    'epsilon',
    'center',
    'scale',
    'betaInitializer',
    'gammaInitializer',
    'betaRegularizer',
    'gammaRegularizer',
  ] as const satisfies readonly (keyof LayerNormalizationOptions)[];

  /** The {@link LayerNormalizationOptions.axis | axis} option, as the layer uses it. */
  readonly axis: readonly number[];
  /** The {@link LayerNormalizationOptions.epsilon | epsilon} option, as the layer uses it. */
  readonly epsilon: number;
  /** The {@link LayerNormalizationOptions.center | center} option, as the layer uses it. */
  readonly center: boolean;
  /** The {@link LayerNormalizationOptions.scale | scale} option, as the layer uses it. */
  readonly scale: boolean;
  private readonly betaInitializer: Initializer;
  private readonly gammaInitializer: Initializer;
  private readonly betaRegularizer: Regularizer | null;
  private readonly gammaRegularizer: Regularizer | null;
  /** Whether `axis` was given as a number (kept so getConfig gives it back the same way). */
  private readonly axisWasNumber: boolean;

  constructor(options: LayerNormalizationOptions = {}) {
    super(options);
    const who = this.describe();
    const axis = options.axis ?? -1;
    this.axisWasNumber = typeof axis === 'number';
    const axes = typeof axis === 'number' ? [axis] : Array.isArray(axis) ? [...axis] : null;
    if (axes === null || axes.length === 0 || !axes.every(Number.isInteger)) {
      throw new ConfigError(
        `${who}: axis must be an integer or a non-empty list of integers, but got ${JSON.stringify(axis)}`,
      );
    }
    this.axis = axes;
    this.epsilon = inRange(who, 'epsilon', options.epsilon ?? 1e-3, 0, Number.POSITIVE_INFINITY);
    this.center = bool(this.describe(), 'center', options.center, true);
    this.scale = bool(this.describe(), 'scale', options.scale, true);
    this.betaInitializer = getInitializer(who, options.betaInitializer ?? 'zeros', 'betaInitializer');
    this.gammaInitializer = getInitializer(who, options.gammaInitializer ?? 'ones', 'gammaInitializer');
    this.betaRegularizer = getRegularizer(options.betaRegularizer, `${who}: betaRegularizer`);
    this.gammaRegularizer = getRegularizer(options.gammaRegularizer, `${who}: gammaRegularizer`);
  }

  /** The normalized axes as sorted non-negative indices for this rank. */
  private axes(rank: number): number[] {
    return [...new Set(this.axis.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
  }

  protected override checkInput(shape: LayerShape): void {
    const axes = this.axes(shape.length);
    if (axes.some((a) => a < 1 || a >= shape.length)) {
      throw new ShapeError(
        `${this.describe()}: axis [${this.axis.join(', ')}] must name non-batch axes of the input, in [1, ${shape.length - 1}], ` +
          `but got an input ${formatLayerShape(shape)}`,
      );
    }
  }

  protected override weightSpecs(inputShape: LayerShape): WeightSpec[] {
    const shape = this.axes(inputShape.length).map((a) => inputShape[a]);
    if (shape.some((d) => d === null || d === undefined)) {
      throw new ShapeError(
        `${this.describe()}: the normalized axes must have known sizes, but got an input ${formatLayerShape(inputShape)}`,
      );
    }
    const dims = shape as number[];
    const specs: WeightSpec[] = [];
    if (this.scale)
      specs.push({
        name: 'gamma',
        shape: dims,
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
      });
    if (this.center)
      specs.push({ name: 'beta', shape: dims, initializer: this.betaInitializer, regularizer: this.betaRegularizer });
    return specs;
  }

  /** The weights fix the normalized axes and the rank; other sizes may change. */
  override build(inputShape: LayerShape): void {
    if (this.built) return;
    super.build(inputShape);
    const axes = this.axes(inputShape.length);
    this.builtInputShape = inputShape.map((d, i) => (axes.includes(i) ? d : null));
  }

  protected call(x: Tensor): Tensor {
    const axes = this.axes(x.rank);
    // gamma and beta [d for the axes] reshaped to broadcast: 1 on every other axis
    const broadcast = x.shape.map((d, a) => (axes.includes(a) ? d : 1));
    const mean = x.mean(axes, true);
    let y = x.sub(mean).div(x.variance(axes, true).add(this.epsilon).sqrt());
    if (this.scale) y = y.mul(this.param('gamma').reshape(broadcast));
    if (this.center) y = y.add(this.param('beta').reshape(broadcast));
    return y;
  }

  /** The shape is unchanged. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    this.checkInput(inputShape);
    return inputShape;
  }

  protected options(): LayerConfig {
    return {
      axis: this.axisWasNumber ? this.axis[0]! : [...this.axis],
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(this.betaInitializer),
      gammaInitializer: serializeInitializer(this.gammaInitializer),
      betaRegularizer: this.betaRegularizer && serializeRegularizer(this.betaRegularizer),
      gammaRegularizer: this.gammaRegularizer && serializeRegularizer(this.gammaRegularizer),
    };
  }
}

// fails to compile if LayerNormalizationOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof LayerNormalization.optionNames, LayerNormalizationOptions, LayerOptions>>;

registerLayer(LayerNormalization);
