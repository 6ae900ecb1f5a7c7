import { ConfigError, ShapeError, slice, type Tensor } from '@sinapse/tensor';
import { formatLayerShape, Layer, type LayerConfig, type LayerOptions, type LayerShape } from '../Layer';
import { registerLayer } from '../registry';
import { MAX_DIM } from '../util/args';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';
import { checkImageInput } from '../util/shapes';

/** [[top, bottom], [left, right]] */
type Cropping = readonly [readonly [number, number], readonly [number, number]];

/** Options for {@link Cropping2D} (names and defaults as in Keras and TF.js layers). */
export interface Cropping2DOptions extends LayerOptions {
  /**
   * Rows and columns removed: n (all four sides), [symH, symW] (top and bottom, left and right) or
   * [[top, bottom], [left, right]]. Default 0.
   */
  cropping?: number | readonly [number, number] | Cropping;
}

/**
 * Removes rows and columns at the borders of an NHWC image, the inverse of ZeroPadding2D: U-Net
 * crops each encoder map to its decoder's size before concatenating them.
 *
 * **Shape**: [N, H, W, C] → [N, H − top − bottom, W − left − right, C]. No weights.
 *
 * @throws ConfigError if the cropping is not one of the three forms of non-negative integers.
 * @throws ShapeError if the cropping leaves no rows or no columns.
 * @example
 * new Cropping2D({ cropping: [[1, 0], [2, 2]] }).apply(zeros([1, 5, 6, 3])).shape; // [1, 4, 2, 3]
 */
export class Cropping2D extends Layer {
  static override readonly className = 'Cropping2D';
  static override readonly optionNames = ['cropping'] as const satisfies readonly (keyof Cropping2DOptions)[];

  /** The {@link Cropping2DOptions.cropping | cropping} option, as the layer uses it. */
  readonly cropping: Cropping;

  constructor(options: Cropping2DOptions = {}) {
    super(options);
    this.cropping = normalizeCropping(this.describe(), options.cropping ?? 0);
  }

  protected override checkInput(shape: LayerShape): void {
    checkImageInput(this, shape);
    this.computeOutputShape(shape);
  }

  protected call(x: Tensor): Tensor {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const [[top, bottom], [left, right]] = this.cropping;
    return slice(x, [0, top, left, 0], [n, h - top - bottom, w - left - right, c]);
  }

  /** [N, H, W, C] → [N, H − top − bottom, W − left − right, C]. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkImageInput(this, inputShape);
    const [n, h, w, c] = inputShape;
    const [[top, bottom], [left, right]] = this.cropping;
    const out: LayerShape = [
      n ?? null,
      h == null ? null : h - top - bottom,
      w == null ? null : w - left - right,
      c ?? null,
    ];
    if ((out[1] !== null && out[1]! <= 0) || (out[2] !== null && out[2]! <= 0)) {
      throw new ShapeError(
        `${this.describe()}: cropping ${JSON.stringify(this.cropping)} must leave at least one row and column, ` +
          `but got an input ${formatLayerShape(inputShape)}`,
      );
    }
    return out;
  }

  protected options(): LayerConfig {
    const [rows, cols] = this.cropping;
    return { cropping: [[...rows], [...cols]] };
  }
}

/** 1 → [[1, 1], [1, 1]]; [1, 2] → [[1, 1], [2, 2]]; [[1, 0], [2, 3]] stays (as ZeroPadding2D's padding). */
function normalizeCropping(who: string, p: unknown): Cropping {
  const amount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_DIM;
  if (amount(p))
    return [
      [p, p],
      [p, p],
    ] as const;
  if (Array.isArray(p) && p.length === 2) {
    const [a, b] = p as unknown[];
    if (amount(a) && amount(b))
      return [
        [a, a],
        [b, b],
      ] as const;
    const isPair = (q: unknown): q is [number, number] => Array.isArray(q) && q.length === 2 && q.every(amount);
    if (isPair(a) && isPair(b))
      return [
        [a[0], a[1]],
        [b[0], b[1]],
      ] as const;
  }
  throw new ConfigError(
    `${who}: cropping must be a non-negative integer, [symH, symW] or [[top, bottom], [left, right]], but got ${JSON.stringify(p)}`,
  );
}

// fails to compile if Cropping2DOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof Cropping2D.optionNames, Cropping2DOptions, LayerOptions>>;

registerLayer(Cropping2D);
