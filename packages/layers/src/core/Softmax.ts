import { ConfigError, ShapeError, softmax, type Tensor } from '@sinapse/tensor';
import { formatLayerShape, Layer, type LayerConfig, type LayerOptions, type LayerShape } from '../Layer';
import { registerLayer } from '../registry';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';

/** Options for {@link Softmax} (Keras and TF.js layers). */
export interface SoftmaxOptions extends LayerOptions {
  /** The axis whose values become a probability distribution; negative counts from the end. Default -1. */
  axis?: number;
}

/**
 * Softmax as a layer, along any axis (the 'softmax' activation always takes the last one): e.g. axis
 * 1 of [N, classes, H, W]-shaped scores, or the channels of a segmentation map [N, H, W, classes].
 *
 *   y[..., i, ...] = e^(x[..., i, ...]) / Σⱼ e^(x[..., j, ...])        (i, j along `axis`)
 *
 * **Shape**: unchanged. No weights.
 *
 * @throws ConfigError for an axis that is not an integer.
 * @throws ShapeError (when called) for an axis out of range or the batch axis.
 * @example
 * new Softmax({ axis: 1 }).apply(tensor([[0, Math.log(3)]])).toArray(); // [[0.25, 0.75]]
 */
export class Softmax extends Layer {
  static override readonly className = 'Softmax';
  static override readonly optionNames = ['axis'] as const satisfies readonly (keyof SoftmaxOptions)[];

  /** The {@link SoftmaxOptions.axis | axis} option, as the layer uses it. */
  readonly axis: number;

  constructor(options: SoftmaxOptions = {}) {
    super(options);
    const axis = options.axis ?? -1;
    if (!Number.isInteger(axis)) {
      throw new ConfigError(`${this.describe()}: axis must be an integer, but got ${JSON.stringify(axis)}`);
    }
    this.axis = axis;
  }

  protected override checkInput(shape: LayerShape): void {
    const rank = shape.length;
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    if (axis < 1 || axis >= rank) {
      throw new ShapeError(
        `${this.describe()}: axis must name a non-batch axis of the input, in [1, ${rank - 1}] or [${-(rank - 1)}, -1], ` +
          `but got axis ${this.axis} for an input ${formatLayerShape(shape)}`,
      );
    }
  }

  protected call(x: Tensor): Tensor {
    return softmax(x, this.axis);
  }

  /** The shape is unchanged. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    this.checkInput(inputShape);
    return inputShape;
  }

  protected options(): LayerConfig {
    return { axis: this.axis };
  }
}

// fails to compile if SoftmaxOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof Softmax.optionNames, SoftmaxOptions, LayerOptions>>;

registerLayer(Softmax);
