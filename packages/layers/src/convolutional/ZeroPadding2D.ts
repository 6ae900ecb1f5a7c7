import { ConfigError, pad, type Tensor } from '@sinapse/tensor';
import { Layer, type LayerConfig, type LayerOptions, type LayerShape } from '../Layer';
import { registerLayer } from '../registry';
import { MAX_DIM } from '../util/args';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';
import { checkImageInput } from '../util/shapes';

/** [[top, bottom], [left, right]] */
type Padding2D = readonly [readonly [number, number], readonly [number, number]];

/** Options for {@link ZeroPadding2D} (names as in Keras and TF.js layers). */
export interface ZeroPadding2DOptions extends LayerOptions {
  /**
   * Rows and columns of zeros to add, in one of the Keras forms:
   * - `p`: p on all four sides;
   * - `[symH, symW]`: symH rows at the top and at the bottom, symW columns left and right;
   * - `[[top, bottom], [left, right]]`.
   * Default 1.
   */
  padding?: number | readonly [number, number] | Padding2D;
}

/**
 * Adds rows and columns of zeros around each image of an NHWC batch, the explicit form of a
 * convolution's 'same' padding (AlexNet and VGG ports use it to reproduce Caffe's padding):
 *
 *   y[n, top + i, left + j, c] = x[n, i, j, c],   y = 0 everywhere else
 *
 * **Shape**: [N, H, W, C] → [N, top + H + bottom, left + W + right, C]. No weights.
 *
 * @throws ConfigError if the padding is not one of the three forms of non-negative integers.
 * @throws ShapeError for an input that is not [batch, height, width, channels].
 * @example
 * new ZeroPadding2D({ padding: [[1, 0], [2, 2]] }).apply(zeros([1, 3, 3, 8])).shape; // [1, 4, 7, 8]
 */
export class ZeroPadding2D extends Layer {
  static override readonly className = 'ZeroPadding2D';
  static override readonly optionNames = ['padding'] as const satisfies readonly (keyof ZeroPadding2DOptions)[];

  /** [[top, bottom], [left, right]] */
  readonly padding: Padding2D;

  constructor(options: ZeroPadding2DOptions = {}) {
    super(options);
    this.padding = normalizePadding(this.describe(), options.padding ?? 1);
  }

  protected override checkInput(shape: LayerShape): void {
    checkImageInput(this, shape);
  }

  protected call(x: Tensor): Tensor {
    const [rows, cols] = this.padding;
    return pad(x, [[0, 0], rows, cols, [0, 0]]);
  }

  /** [N, H, W, C] → [N, top + H + bottom, left + W + right, C] */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkImageInput(this, inputShape);
    const [n, h, w, c] = inputShape;
    const [[top, bottom], [left, right]] = this.padding;
    return [n ?? null, h == null ? null : top + h + bottom, w == null ? null : left + w + right, c ?? null];
  }

  protected options(): LayerConfig {
    const [rows, cols] = this.padding;
    return { padding: [[...rows], [...cols]] };
  }
}

/** 1 → [[1, 1], [1, 1]]; [1, 2] → [[1, 1], [2, 2]]; [[1, 0], [2, 3]] stays. */
function normalizePadding(who: string, p: ZeroPadding2DOptions['padding']): Padding2D {
  const amount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_DIM;
  if (amount(p))
    return [
      [p, p],
      [p, p],
    ];
  if (Array.isArray(p) && p.length === 2) {
    const [a, b] = p as unknown[];
    if (amount(a) && amount(b))
      return [
        [a, a],
        [b, b],
      ];
    const isPair = (q: unknown): q is [number, number] => Array.isArray(q) && q.length === 2 && q.every(amount);
    if (isPair(a) && isPair(b))
      return [
        [a[0], a[1]],
        [b[0], b[1]],
      ];
  }
  throw new ConfigError(
    `${who}: padding must be a non-negative integer, [symH, symW] or [[top, bottom], [left, right]], but got ${JSON.stringify(p)}`,
  );
}

// fails to compile if ZeroPadding2DOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof ZeroPadding2D.optionNames, ZeroPadding2DOptions, LayerOptions>>;

registerLayer(ZeroPadding2D);
