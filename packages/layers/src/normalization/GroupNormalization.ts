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
import { bool, inRange, positiveInt } from '../util/args';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';

/** Options for {@link GroupNormalization} (names and defaults as in Keras 3; TF.js has no such layer). */
export interface GroupNormalizationOptions extends LayerOptions {
  /** Number of channel groups; must divide the channels. Default 32. */
  groups?: number;
  /** The channel axis. Only the last (-1, NHWC) is supported. Default -1. */
  axis?: number;
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
 * Group normalization (Wu & He 2018): the channels are split into `groups` groups, and each example's
 * group is normalized over its positions and channels together; then every channel gets its own
 * γ and β. It does not depend on the batch, so it works with batches of 1 or 2 (detection and
 * segmentation nets). groups = 1 is layer normalization over [H, W, C]; groups = C is instance
 * normalization.
 *
 *   y = γ[c] · (x − μ[n, g]) / √(σ²[n, g] + ε) + β[c],   g = the group of channel c,
 *   μ, σ² over the H·W·(C/G) values of that example's group (biased σ²)
 *
 * **Shape**: unchanged, any rank ≥ 2 with channels last. **Weights**: gamma [C] and beta [C].
 *
 * @throws ConfigError for groups that is not a positive integer, an axis other than -1, or a
 *   negative epsilon.
 * @throws ShapeError (when built) if groups does not divide the channels, or they are unknown.
 * @example
 * new GroupNormalization({ groups: 2, epsilon: 0 }).apply(tensor([[1, 3, 10, 30]])).toArray(); // [[-1, 1, -1, 1]]
 */
export class GroupNormalization extends Layer {
  static override readonly className = 'GroupNormalization';
  static override readonly optionNames = [
    'groups',
    'axis',
    'epsilon',
    'center',
    'scale',
    'betaInitializer',
    'gammaInitializer',
    'betaRegularizer',
    'gammaRegularizer',
  ] as const satisfies readonly (keyof GroupNormalizationOptions)[];

  /** The {@link GroupNormalizationOptions.groups | groups} option, as the layer uses it. */
  readonly groups: number;
  /** The {@link GroupNormalizationOptions.axis | axis} option, as the layer uses it. */
  readonly axis: number;
  /** The {@link GroupNormalizationOptions.epsilon | epsilon} option, as the layer uses it. */
  readonly epsilon: number;
  /** The {@link GroupNormalizationOptions.center | center} option, as the layer uses it. */
  readonly center: boolean;
  /** The {@link GroupNormalizationOptions.scale | scale} option, as the layer uses it. */
  readonly scale: boolean;
  private readonly betaInitializer: Initializer;
  private readonly gammaInitializer: Initializer;
  private readonly betaRegularizer: Regularizer | null;
  private readonly gammaRegularizer: Regularizer | null;

  constructor(options: GroupNormalizationOptions = {}) {
    super(options);
    const who = this.describe();
    this.groups = positiveInt(who, 'groups', options.groups ?? 32);
    if ((options.axis ?? -1) !== -1) {
      throw new ConfigError(
        `${who}: only the last axis (-1, channels last) is supported, but got axis ${JSON.stringify(options.axis)}`,
      );
    }
    this.axis = -1;
    this.epsilon = inRange(who, 'epsilon', options.epsilon ?? 1e-3, 0, Number.POSITIVE_INFINITY);
    this.center = bool(this.describe(), 'center', options.center, true);
    this.scale = bool(this.describe(), 'scale', options.scale, true);
    this.betaInitializer = getInitializer(who, options.betaInitializer ?? 'zeros', 'betaInitializer');
    this.gammaInitializer = getInitializer(who, options.gammaInitializer ?? 'ones', 'gammaInitializer');
    this.betaRegularizer = getRegularizer(options.betaRegularizer, `${who}: betaRegularizer`);
    this.gammaRegularizer = getRegularizer(options.gammaRegularizer, `${who}: gammaRegularizer`);
  }

  protected override checkInput(shape: LayerShape): void {
    if (shape.length < 2) {
      throw new ShapeError(
        `${this.describe()} expects an input of rank ≥ 2, channels last, but got ${formatLayerShape(shape)}`,
      );
    }
    const c = shape[shape.length - 1];
    if (c === null || c === undefined || c % this.groups !== 0) {
      throw new ShapeError(
        `${this.describe()}: groups ${this.groups} must divide the channels, but got ${c} channels in an input ${formatLayerShape(shape)}`,
      );
    }
  }

  protected override weightSpecs(inputShape: LayerShape): WeightSpec[] {
    const c = inputShape[inputShape.length - 1]!;
    const specs: WeightSpec[] = [];
    if (this.scale)
      specs.push({ name: 'gamma', shape: [c], initializer: this.gammaInitializer, regularizer: this.gammaRegularizer });
    if (this.center)
      specs.push({ name: 'beta', shape: [c], initializer: this.betaInitializer, regularizer: this.betaRegularizer });
    return specs;
  }

  /** The weights fix the channels; other sizes may change. */
  override build(inputShape: LayerShape): void {
    if (this.built) return;
    super.build(inputShape);
    this.builtInputShape = inputShape.map((d, i) => (i === inputShape.length - 1 ? d : null));
  }

  protected call(x: Tensor): Tensor {
    const c = x.shape[x.rank - 1]!;
    const g = this.groups;
    // [N, ..., C] → [N, ..., G, C/G]: statistics over every axis but the batch and the group
    const grouped = x.reshape([...x.shape.slice(0, -1), g, c / g]);
    const axes = grouped.shape.map((_, a) => a).filter((a) => a !== 0 && a !== grouped.rank - 2);
    const mean = grouped.mean(axes, true);
    const normalized = grouped.sub(mean).div(grouped.variance(axes, true).add(this.epsilon).sqrt()).reshape(x.shape);
    let y = normalized;
    if (this.scale) y = y.mul(this.param('gamma'));
    if (this.center) y = y.add(this.param('beta'));
    return y;
  }

  /** The shape is unchanged. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    this.checkInput(inputShape);
    return inputShape;
  }

  protected options(): LayerConfig {
    return {
      groups: this.groups,
      axis: this.axis,
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

// fails to compile if GroupNormalizationOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof GroupNormalization.optionNames, GroupNormalizationOptions, LayerOptions>>;

registerLayer(GroupNormalization);
