import { ConfigError, type Tensor } from '@sinapse/tensor';
import { Layer, type LayerConfig, type LayerOptions, type LayerShape } from '../Layer';
import { registerLayer } from '../registry';
import { MAX_DIM } from '../util/args';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';
import { checkImageInput } from '../util/shapes';

/** Options for {@link LocalResponseNormalization}. Defaults are AlexNet's (Krizhevsky et al. 2012, §3.3). */
export interface LocalResponseNormalizationOptions extends LayerOptions {
  /** r: channels on each side in the window, which spans n = 2r + 1 channels. Default 2 (n = 5). */
  depthRadius?: number;
  /** k, added to the sum so the denominator is at least k^β; must be > 0. Default 2. */
  bias?: number;
  /** α, the weight of the sum of squares (of the sum, not of the mean). Default 1e-4. */
  alpha?: number;
  /** β, the exponent of the denominator. Default 0.75. */
  beta?: number;
}

/**
 * Local response normalization across channels, as in AlexNet (Krizhevsky et al. 2012, §3.3): each
 * activation is divided by a power of the energy of the nearby channels at the same pixel, so a
 * strongly responding channel damps its neighbours ("lateral inhibition").
 *
 *   y[n, h, w, c] = x[n, h, w, c] / (k + α · Σ_{c' = max(0, c−r)}^{min(C−1, c+r)} x[n, h, w, c']²)^β
 *
 * Note [LRN: sum, not mean]: α multiplies the SUM of the 2r + 1 squares, as in the AlexNet paper and
 * TensorFlow's `tf.nn.local_response_normalization` / TF.js `tf.localResponseNormalization`.
 * PyTorch's `nn.LocalResponseNorm` and Caffe divide α by n (they use the mean), so the same α means
 * n times less normalization there. TensorFlow's defaults (depth_radius 5, bias 1, alpha 1, beta 0.5)
 * differ from ours, which are the paper's: r = 2 (n = 5), k = 2, α = 1e-4, β = 0.75.
 *
 * **Shape**: [N, H, W, C] → [N, H, W, C]. No weights (0 parameters).
 *
 * @example
 * const lrn = new LocalResponseNormalization({ depthRadius: 1, bias: 1, alpha: 1, beta: 1 });
 * lrn.apply(tensor([1, 2, 3], [1, 1, 1, 3])).toArray();
 * // [[[[0.1667, 0.1333, 0.2143]]]] = [1 / (1 + 1 + 4), 2 / (1 + 1 + 4 + 9), 3 / (1 + 4 + 9)]
 * @throws ConfigError if depthRadius is not a non-negative integer, bias ≤ 0, alpha < 0, or beta is not finite.
 */
export class LocalResponseNormalization extends Layer {
  static override readonly className = 'LocalResponseNormalization';
  static override readonly optionNames = [
    'depthRadius',
    'bias',
    'alpha',
    'beta',
  ] as const satisfies readonly (keyof LocalResponseNormalizationOptions)[];

  /** The {@link LocalResponseNormalizationOptions.depthRadius | depthRadius} option, as the layer uses it. */
  readonly depthRadius: number;
  /** The {@link LocalResponseNormalizationOptions.bias | bias} option, as the layer uses it. */
  readonly bias: number;
  /** The {@link LocalResponseNormalizationOptions.alpha | alpha} option, as the layer uses it. */
  readonly alpha: number;
  /** The {@link LocalResponseNormalizationOptions.beta | beta} option, as the layer uses it. */
  readonly beta: number;

  constructor(options: LocalResponseNormalizationOptions = {}) {
    super(options);
    const who = this.describe();
    const { depthRadius = 2, bias = 2, alpha = 1e-4, beta = 0.75 } = options;
    if (!Number.isInteger(depthRadius) || depthRadius < 0 || depthRadius > MAX_DIM) {
      throw new ConfigError(`${who}: depthRadius must be a non-negative integer, but got ${show(depthRadius)}`);
    }
    // k > 0 keeps the denominator away from 0 (x = 0 everywhere would give 0 / 0)
    if (!(typeof bias === 'number' && bias > 0 && Number.isFinite(bias))) {
      throw new ConfigError(`${who}: bias must be a positive number, but got ${show(bias)}`);
    }
    // α ≥ 0 keeps the base positive, so a fractional β is defined
    if (!(typeof alpha === 'number' && alpha >= 0 && Number.isFinite(alpha))) {
      throw new ConfigError(`${who}: alpha must be a non-negative number, but got ${show(alpha)}`);
    }
    if (!(typeof beta === 'number' && Number.isFinite(beta))) {
      throw new ConfigError(`${who}: beta must be a finite number, but got ${show(beta)}`);
    }
    this.depthRadius = depthRadius;
    this.bias = bias;
    this.alpha = alpha;
    this.beta = beta;
  }

  protected override checkInput(shape: LayerShape): void {
    checkImageInput(this, shape);
  }

  protected call(x: Tensor): Tensor {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    // A radius past the last channel adds only zeros: any r ≥ C − 1 gives every channel's window all
    // C channels. So r is capped there, and a saved depthRadius of 2^31 − 1 neither pads 16 GB of zeros
    // nor loops 2^32 times.
    const r = Math.min(this.depthRadius, c - 1);
    // Zero-pad the squares with r channels on each side: [N, H, W, C + 2r]. The window of channel c
    // is then padded channels c … c + 2r, and zeros stand in for the channels past the edges.
    const squares = x.square().pad([
      [0, 0],
      [0, 0],
      [0, 0],
      [r, r],
    ]);
    // The window sums are the sum of the 2r + 1 shifted copies: copy d holds channel c + d − r at c.
    let windowSum = squares.slice([0, 0, 0, 0], [n, h, w, c]);
    for (let d = 1; d <= 2 * r; d++) windowSum = windowSum.add(squares.slice([0, 0, 0, d], [n, h, w, c]));
    return x.div(windowSum.mul(this.alpha).add(this.bias).pow(this.beta));
  }

  /** The shape is unchanged. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  protected options(): LayerConfig {
    return { depthRadius: this.depthRadius, bias: this.bias, alpha: this.alpha, beta: this.beta };
  }
}

/** Numbers as JS prints them (NaN, Infinity), anything else as JSON. */
function show(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

// fails to compile if LocalResponseNormalizationOptions gains an option that optionNames does not list
type _ = NoneUnlisted<
  UnlistedOptions<typeof LocalResponseNormalization.optionNames, LocalResponseNormalizationOptions, LayerOptions>
>;

registerLayer(LocalResponseNormalization);
