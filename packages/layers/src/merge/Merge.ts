/**
 * The shared base of the merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum; Keras
 * `base_merge.py`): they take a list of tensors of one shape and combine them element by element.
 * ResNet's skip connection is `new Add().apply([x, block(x)])`.
 *
 * **Shape** (Keras's rule): every input has the same rank; along each axis the sizes are equal, or
 * one of them is 1 (broadcast) or unknown. The output has, per axis, the size that is not 1.
 */
import { ShapeError, type Tensor } from '@sinapse/tensor';
import {
  formatLayerShape,
  Layer,
  type LayerConfig,
  type LayerOptions,
  type LayerShape,
  type LayerShapes,
} from '../Layer';

/**
 * The base of the merge layers: `apply([a, b, ...])` folds `merge` over the list, left to right.
 * A new merge layer names its op in `merge` (see Subtract.ts).
 *
 * **Shape**: every input has the same rank; per axis the sizes match, or one is 1 (broadcast).
 *
 * @throws ShapeError for fewer than `minInputs` or more than `maxInputs` inputs, or shapes that do not match.
 */
export abstract class Merge extends Layer {
  static override readonly optionNames = [] as const;

  constructor(options: LayerOptions = {}) {
    super(options);
  }

  protected override get takesList(): boolean {
    return true;
  }

  /** Combines two tensors; the layer folds it over the list left to right. */
  protected abstract merge(a: Tensor, b: Tensor): Tensor;

  /** At least this many inputs (2; Subtract wants exactly 2). */
  protected readonly minInputs: number = 2;
  /** At most this many inputs (no limit; Subtract wants exactly 2). */
  protected readonly maxInputs: number = Number.POSITIVE_INFINITY;

  protected call(inputs: readonly Tensor[]): Tensor {
    let y = inputs[0]!;
    for (let i = 1; i < inputs.length; i++) y = this.merge(y, inputs[i]!);
    return y;
  }

  protected override checkInput(shapes: LayerShapes): void {
    this.outputShapeOf(shapes as readonly LayerShape[]);
  }

  override computeOutputShape(shapes: LayerShapes): LayerShape {
    return this.outputShapeOf(shapes as readonly LayerShape[]);
  }

  /** The rule in the class comment; the error names every input shape. */
  private outputShapeOf(shapes: readonly LayerShape[]): LayerShape {
    const all = shapes.map(formatLayerShape).join(', ');
    const count = this.maxInputs === this.minInputs ? `exactly ${this.minInputs}` : `at least ${this.minInputs}`;
    if (shapes.length < this.minInputs || shapes.length > this.maxInputs) {
      throw new ShapeError(`${this.describe()} takes a list of ${count} inputs, but got ${shapes.length}: [${all}]`);
    }
    const rank = shapes[0]!.length;
    if (shapes.some((s) => s.length !== rank)) {
      throw new ShapeError(`${this.describe()}: every input must have the same rank, but got shapes ${all}`);
    }
    const out: (number | null)[] = [];
    for (let axis = 0; axis < rank; axis++) {
      let size: number | null = 1;
      let unknown = false;
      for (const s of shapes) {
        const d = s[axis]!;
        if (d === null) unknown = true;
        else if (d !== 1) {
          if (size !== 1 && size !== d) {
            throw new ShapeError(
              `${this.describe()}: inputs must have the same shape (or 1 along an axis, to broadcast), but axis ${axis} ` +
                `has sizes ${shapes.map((t) => t[axis] ?? 'null').join(' and ')}: shapes ${all}`,
            );
          }
          size = d;
        }
      }
      out.push(unknown && size === 1 ? null : size);
    }
    return out;
  }

  protected options(): LayerConfig {
    return {};
  }
}
