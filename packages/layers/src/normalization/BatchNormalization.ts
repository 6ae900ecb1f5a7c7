import { ConfigError, formatShape, noGrad, ShapeError, type Tensor } from '@sinapse/tensor';
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

/** Options for {@link BatchNormalization} (names and defaults as in Keras and TF.js layers). */
export interface BatchNormalizationOptions extends LayerOptions {
  /** The feature (channel) axis, kept apart; statistics are taken over all the others. Default -1 (NHWC channels). */
  axis?: number;
  /** Weight of the old value in the moving averages, in [0, 1]. Default 0.99. */
  momentum?: number;
  /** Added to the variance before the square root, so a constant channel does not divide by 0. Default 1e-3. */
  epsilon?: number;
  /** Learn an offset beta (added after normalizing). Default true. */
  center?: boolean;
  /** Learn a scale gamma (multiplied after normalizing). Default true. */
  scale?: boolean;
  /** Initial beta. Default 'zeros'. */
  betaInitializer?: InitializerIdentifier | SerializedInitializer;
  /** Initial gamma. Default 'ones'. */
  gammaInitializer?: InitializerIdentifier | SerializedInitializer;
  /** Initial moving mean. Default 'zeros'. */
  movingMeanInitializer?: InitializerIdentifier | SerializedInitializer;
  /** Initial moving variance. Default 'ones'. */
  movingVarianceInitializer?: InitializerIdentifier | SerializedInitializer;
  /** Penalty on beta. Default none. */
  betaRegularizer?: Regularizer | SerializedRegularizer | null;
  /** Penalty on gamma. Default none. */
  gammaRegularizer?: Regularizer | SerializedRegularizer | null;
}

/**
 * Batch normalization (Ioffe & Szegedy 2015): each channel is shifted and scaled to mean 0 and
 * variance 1, then given a learned scale γ and offset β.
 *
 *   y = γ · (x − μ) / √(σ² + ε) + β        (per channel c of `axis`)
 *
 * - training: μ and σ² are the batch statistics of channel c, over every axis but `axis` (for NHWC,
 *   over N·H·W values), with the biased variance σ² = (1/m) Σ (x − μ)². The gradient flows through μ
 *   and σ² too: they are computed with ops, so autograd differentiates them.
 *   The moving statistics are then updated in place (outside the graph):
 *     movingMean     ← momentum · movingMean     + (1 − momentum) · μ
 *     movingVariance ← momentum · movingVariance + (1 − momentum) · σ²
 *   σ² here is the same biased variance, as TF.js layers and tf.keras do. (Keras 1–2.2 and PyTorch
 *   use the unbiased m/(m − 1)·σ² for the moving variance; for m in the hundreds the difference is small.)
 * - inference: μ and σ² are movingMean and movingVariance, so one example's output does not depend
 *   on the rest of its batch.
 * - frozen (`trainable: false`, or `layer.trainable = false`): always inference, even when called
 *   with `training: true`, so the moving statistics stay as they are (Keras ≥ 2.1.3 and Keras 3, for
 *   fine-tuning a pretrained network; TF.js 4.22 still uses batch statistics and updates them).
 *
 * **Shape**: any rank ≥ 2, unchanged: [N, C] → [N, C], [N, H, W, C] → [N, H, W, C]. The size C of
 * `axis` must be known. Once built, the rank and C are fixed; the other sizes may change.
 *
 * **Parameters**: gamma [C] (if scale), beta [C] (if center), trainable; movingMean [C] and
 * movingVariance [C], not trainable. Count = 4·C with both (2·C trainable).
 *
 * @example
 * const bn = new BatchNormalization();
 * bn.apply(tensor([[1, 10], [3, 30]]), { training: true }).toArray();
 * // [[-0.9995, -1], [0.9995, 1]]  (channel 0: μ = 2, σ² = 1, (1 − 2)/√1.001; channel 1: μ = 20, σ² = 100)
 * bn.getWeights()[2].toArray();    // movingMean: [0.02, 0.2] = 0.99·0 + 0.01·[2, 20]
 * @throws ConfigError for a non-integer axis, momentum outside [0, 1], or a negative epsilon.
 * @throws ShapeError (when called) if `axis` is out of range for the input or is the batch axis,
 *   the rank or C differs from the ones it was built for, or a training batch is empty.
 */
export class BatchNormalization extends Layer {
  static override readonly className = 'BatchNormalization';
  static override readonly optionNames = [
    'axis',
    'momentum',
    'epsilon',
    'center',
    'scale',
    'betaInitializer',
    'gammaInitializer',
    'movingMeanInitializer',
    'movingVarianceInitializer',
    'betaRegularizer',
    'gammaRegularizer',
  ] as const satisfies readonly (keyof BatchNormalizationOptions)[];

  /** The {@link BatchNormalizationOptions.axis | axis} option, as the layer uses it. */
  readonly axis: number;
  /** The {@link BatchNormalizationOptions.momentum | momentum} option, as the layer uses it. */
  readonly momentum: number;
  /** The {@link BatchNormalizationOptions.epsilon | epsilon} option, as the layer uses it. */
  readonly epsilon: number;
  /** The {@link BatchNormalizationOptions.center | center} option, as the layer uses it. */
  readonly center: boolean;
  /** The {@link BatchNormalizationOptions.scale | scale} option, as the layer uses it. */
  readonly scale: boolean;
  /** The {@link BatchNormalizationOptions.betaInitializer | betaInitializer} option, resolved to an initializer. */
  readonly betaInitializer: Initializer;
  /** The {@link BatchNormalizationOptions.gammaInitializer | gammaInitializer} option, resolved to an initializer. */
  readonly gammaInitializer: Initializer;
  /** The {@link BatchNormalizationOptions.movingMeanInitializer | movingMeanInitializer} option, resolved to an initializer. */
  readonly movingMeanInitializer: Initializer;
  /** The {@link BatchNormalizationOptions.movingVarianceInitializer | movingVarianceInitializer} option, resolved to an initializer. */
  readonly movingVarianceInitializer: Initializer;
  /** The {@link BatchNormalizationOptions.betaRegularizer | betaRegularizer} option (null: none). */
  readonly betaRegularizer: Regularizer | null;
  /** The {@link BatchNormalizationOptions.gammaRegularizer | gammaRegularizer} option (null: none). */
  readonly gammaRegularizer: Regularizer | null;

  constructor(options: BatchNormalizationOptions = {}) {
    super(options);
    const who = this.describe();
    this.axis = options.axis ?? -1;
    if (!Number.isInteger(this.axis)) {
      throw new ConfigError(`${who}: axis must be an integer, but got ${JSON.stringify(options.axis)}`);
    }
    this.momentum = inRange(who, 'momentum', options.momentum ?? 0.99, 0, 1, true);
    this.epsilon = inRange(who, 'epsilon', options.epsilon ?? 1e-3, 0, Number.POSITIVE_INFINITY);
    this.center = bool(this.describe(), 'center', options.center, true);
    this.scale = bool(this.describe(), 'scale', options.scale, true);
    this.betaInitializer = getInitializer(who, options.betaInitializer ?? 'zeros', 'betaInitializer');
    this.gammaInitializer = getInitializer(who, options.gammaInitializer ?? 'ones', 'gammaInitializer');
    this.movingMeanInitializer = getInitializer(who, options.movingMeanInitializer ?? 'zeros', 'movingMeanInitializer');
    this.movingVarianceInitializer = getInitializer(
      who,
      options.movingVarianceInitializer ?? 'ones',
      'movingVarianceInitializer',
    );
    this.betaRegularizer = getRegularizer(options.betaRegularizer, `${who}: betaRegularizer`);
    this.gammaRegularizer = getRegularizer(options.gammaRegularizer, `${who}: gammaRegularizer`);
  }

  /** `axis` as a non-negative index for an input of this rank (-1 → rank − 1). */
  private channelAxis(rank: number): number {
    return this.axis < 0 ? this.axis + rank : this.axis;
  }

  /** The weights fix only the normalized axis: other sizes may change between calls (Keras InputSpec axes={axis: C}). */
  override build(inputShape: LayerShape): void {
    if (this.built) return;
    super.build(inputShape);
    const axis = this.channelAxis(inputShape.length);
    this.builtInputShape = inputShape.map((d, i) => (i === axis ? d : null));
  }

  protected override checkInput(shape: LayerShape): void {
    const rank = shape.length;
    // `axis` names a position, so the rank stays the one the weights were built for (Keras InputSpec ndim)
    const builtRank = this.builtInputShape?.length;
    if (builtRank !== undefined && rank !== builtRank) {
      throw new ShapeError(
        `${this.describe()} was built for inputs of rank ${builtRank} ${formatLayerShape(this.builtInputShape!)}, but got ${formatLayerShape(shape)}`,
      );
    }
    const axis = this.channelAxis(rank);
    if (rank < 2 || axis < 0 || axis >= rank) {
      throw new ShapeError(
        `${this.describe()}: axis ${this.axis} must name an axis of the input (rank ≥ 2), but got input shape ${formatLayerShape(shape)}`,
      );
    }
    if (axis === 0) {
      throw new ShapeError(
        `${this.describe()}: axis ${this.axis} is the batch axis; statistics are taken over the batch, so axis must be ` +
          `one of the feature axes 1 … ${rank - 1}. Input shape ${formatLayerShape(shape)}`,
      );
    }
  }

  protected override weightSpecs(inputShape: LayerShape): WeightSpec[] {
    const c = inputShape[this.channelAxis(inputShape.length)];
    if (c === null || c === undefined) {
      throw new ShapeError(
        `${this.describe()}: the size of axis ${this.axis} must be known to build the weights, but got input shape ${formatLayerShape(inputShape)}`,
      );
    }
    const specs: WeightSpec[] = [];
    if (this.scale)
      specs.push({ name: 'gamma', shape: [c], initializer: this.gammaInitializer, regularizer: this.gammaRegularizer });
    if (this.center)
      specs.push({ name: 'beta', shape: [c], initializer: this.betaInitializer, regularizer: this.betaRegularizer });
    specs.push({ name: 'moving_mean', shape: [c], initializer: this.movingMeanInitializer, trainable: false });
    specs.push({ name: 'moving_variance', shape: [c], initializer: this.movingVarianceInitializer, trainable: false });
    return specs;
  }

  protected call(x: Tensor, { training }: { training: boolean }): Tensor {
    const axis = this.channelAxis(x.rank);
    // [C] vectors are reshaped to broadcast along `axis`: [1, 1, 1, C] for NHWC, [1, C, 1, 1] for axis 1
    const perChannel = x.shape.map((d, a) => (a === axis ? d : 1));
    const statsAxes = x.shape.map((_, a) => a).filter((a) => a !== axis);
    let mean: Tensor;
    let variance: Tensor;
    // a frozen layer normalizes with its moving statistics and leaves them alone (Keras ≥ 2.1.3)
    if (training && this.trainable) {
      if (x.size === 0) {
        throw new ShapeError(
          `${this.describe()} needs at least one example to compute batch statistics, but got input shape ${formatShape(x.shape)}`,
        );
      }
      mean = x.mean(statsAxes, true);
      variance = x.variance(statsAxes, true);
      this.updateMovingStatistics(mean, variance);
    } else {
      mean = this.param('moving_mean').reshape(perChannel);
      variance = this.param('moving_variance').reshape(perChannel);
    }
    let y = x.sub(mean).div(variance.add(this.epsilon).sqrt());
    if (this.scale) y = y.mul(this.param('gamma').reshape(perChannel));
    if (this.center) y = y.add(this.param('beta').reshape(perChannel));
    return y;
  }

  /** moving ← momentum · moving + (1 − momentum) · batch, in place and off the tape. */
  private updateMovingStatistics(mean: Tensor, variance: Tensor): void {
    noGrad(() => {
      for (const [name, batch] of [
        ['moving_mean', mean],
        ['moving_variance', variance],
      ] as const) {
        const moving = this.param(name);
        moving.assign(moving.mul(this.momentum).add(batch.reshape(moving.shape).mul(1 - this.momentum)).data);
      }
    });
  }

  /** The shape is unchanged. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  protected options(): LayerConfig {
    return {
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(this.betaInitializer),
      gammaInitializer: serializeInitializer(this.gammaInitializer),
      movingMeanInitializer: serializeInitializer(this.movingMeanInitializer),
      movingVarianceInitializer: serializeInitializer(this.movingVarianceInitializer),
      betaRegularizer: this.betaRegularizer === null ? null : serializeRegularizer(this.betaRegularizer),
      gammaRegularizer: this.gammaRegularizer === null ? null : serializeRegularizer(this.gammaRegularizer),
    };
  }
}

// fails to compile if BatchNormalizationOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof BatchNormalization.optionNames, BatchNormalizationOptions, LayerOptions>>;

registerLayer(BatchNormalization);
