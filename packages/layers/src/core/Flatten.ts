import { flatten, ShapeError, type Tensor } from '@sinapse/tensor';
import { formatLayerShape, Layer, type LayerConfig, type LayerOptions, type LayerShape } from '../Layer';
import { registerLayer } from '../registry';

/**
 * Flattens each example into one vector of features, the bridge between the convolutional part of
 * a network and its Dense part:
 *
 *   y[n, (i·W + j)·C + c] = x[n, i, j, c]
 *
 * The order is NHWC's own (channels fastest), which is Keras's and TF.js's, so a Dense layer after
 * it can take their weights unchanged. (PyTorch flattens NCHW, so its Linear weights after a
 * flatten come in a different order.) Nothing moves in memory: it is a reshape.
 *
 * **Shape**: [N, d₁, …, d_k] → [N, d₁·…·d_k]; e.g. LeNet's [N, 5, 5, 16] → [N, 400]. No weights.
 *
 * @throws ShapeError for an input of rank below 2 (it needs a batch axis and features).
 * @example
 * new Flatten().apply(zeros([2, 5, 5, 16])).shape; // [2, 400]
 */
export class Flatten extends Layer {
  static override readonly className = 'Flatten';
  static override readonly optionNames = [] as const;

  constructor(options: LayerOptions = {}) {
    super(options);
  }

  protected override checkInput(shape: LayerShape): void {
    if (shape.length < 2) {
      throw new ShapeError(
        `${this.describe()} expects input [batch, ...features] with at least 2 axes, got ${formatLayerShape(shape)}`,
      );
    }
  }

  protected call(x: Tensor): Tensor {
    return flatten(x, 1);
  }

  /** [N, d₁, …, d_k] → [N, d₁·…·d_k] */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    this.checkInput(inputShape);
    const features = inputShape.slice(1).reduce<number | null>((p, d) => (p === null || d === null ? null : p * d), 1);
    return [inputShape[0] ?? null, features];
  }

  protected options(): LayerConfig {
    return {};
  }
}

registerLayer(Flatten);
