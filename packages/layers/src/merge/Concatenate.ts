import { ConfigError, concat, ShapeError, type Tensor } from '@sinapse/tensor';
import {
  formatLayerShape,
  Layer,
  type LayerConfig,
  type LayerOptions,
  type LayerShape,
  type LayerShapes,
} from '../Layer';
import { registerLayer } from '../registry';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';

/** Options for {@link Concatenate} (names as in Keras and TF.js layers). */
export interface ConcatenateOptions extends LayerOptions {
  /** The axis to join along; negative counts from the end. Default -1 (the channels of NHWC images). */
  axis?: number;
}

/**
 * Joins a list of tensors along one axis: Inception's branches and U-Net's skips are concatenated
 * along the channels, [N, H, W, C₁] and [N, H, W, C₂] → [N, H, W, C₁ + C₂].
 *
 * **Shape**: every input has the same rank and the same sizes except along `axis`, where the output
 * has their sum (unknown if any is). No weights.
 *
 * @throws ConfigError for an axis that is not an integer, or the batch axis.
 * @throws ShapeError for fewer than 2 inputs, or shapes that differ off the axis (the message names them all).
 * @example
 * new Concatenate().apply([zeros([1, 4, 4, 3]), zeros([1, 4, 4, 5])]).shape; // [1, 4, 4, 8]
 */
export class Concatenate extends Layer {
  static override readonly className = 'Concatenate';
  static override readonly optionNames = ['axis'] as const satisfies readonly (keyof ConcatenateOptions)[];

  /** The {@link ConcatenateOptions.axis | axis} option, as the layer uses it. */
  readonly axis: number;

  constructor(options: ConcatenateOptions = {}) {
    super(options);
    const axis = options.axis ?? -1;
    if (!Number.isInteger(axis) || axis === 0) {
      throw new ConfigError(
        `${this.describe()}: axis must be a non-zero integer (axis 0 is the batch), but got ${JSON.stringify(options.axis)}`,
      );
    }
    this.axis = axis;
  }

  protected override get takesList(): boolean {
    return true;
  }

  protected call(inputs: readonly Tensor[]): Tensor {
    return concat(inputs, this.positiveAxis(inputs[0]!.rank));
  }

  private positiveAxis(rank: number): number {
    return this.axis < 0 ? this.axis + rank : this.axis;
  }

  protected override checkInput(shapes: LayerShapes): void {
    this.computeOutputShape(shapes);
  }

  override computeOutputShape(input: LayerShapes): LayerShape {
    const shapes = input as readonly LayerShape[];
    const all = shapes.map(formatLayerShape).join(', ');
    if (shapes.length < 2) {
      throw new ShapeError(`${this.describe()} takes a list of at least 2 inputs, but got ${shapes.length}: [${all}]`);
    }
    const rank = shapes[0]!.length;
    const axis = this.positiveAxis(rank);
    if (axis <= 0 || axis >= rank) {
      throw new ShapeError(
        `${this.describe()}: axis ${this.axis} must name a feature axis of the inputs (1 … ${rank - 1}), but got shapes ${all}`,
      );
    }
    const out: (number | null)[] = [...shapes[0]!];
    for (const s of shapes.slice(1)) {
      const ok = s.length === rank && s.every((d, i) => i === axis || d === null || out[i] === null || d === out[i]);
      if (!ok) {
        throw new ShapeError(
          `${this.describe()}: inputs must have the same shape except along axis ${this.axis}, but got shapes ${all}`,
        );
      }
      s.forEach((d, i) => {
        if (i !== axis && out[i] === null) out[i] = d;
      });
      out[axis] = out[axis] === null || s[axis] === null ? null : out[axis]! + s[axis]!;
    }
    return out;
  }

  protected options(): LayerConfig {
    return { axis: this.axis };
  }
}

registerLayer(Concatenate);

// fails to compile if ConcatenateOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof Concatenate.optionNames, ConcatenateOptions, LayerOptions>>;
