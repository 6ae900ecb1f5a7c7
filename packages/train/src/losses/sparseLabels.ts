import { formatShape, ShapeError, Tensor, ValueError } from '@sinapse/tensor';

/**
 * @internal Where each example's label sits in the flattened [M, C] scores: position m·C + y_m,
 * for the sparse losses to gather. `indices` has the scores' shape without the class axis
 * ([N] for [N, C]), or that shape with a trailing 1 ([N, 1]), as Keras accepts sparse labels.
 * `oneHotLoss` names the loss to suggest when one-hot labels were given instead.
 *
 * @returns the flat positions and the shape of the element losses (the scores' shape without C)
 * @throws ShapeError for indices of another shape; ValueError for an index that is not an integer in [0, C).
 */
export function labelPositions(
  fn: string,
  scores: Tensor,
  indices: Tensor | readonly number[],
  oneHotLoss: string,
): { positions: Int32Array; lossShape: number[] } {
  const indexShape = indices instanceof Tensor ? indices.shape : [indices.length];
  const values: ArrayLike<number> = indices instanceof Tensor ? indices.data : indices;
  const expected = scores.shape.slice(0, -1);
  const sameShape = (shape: readonly number[]): boolean =>
    shape.length === expected.length && shape.every((d, i) => d === expected[i]);
  const trailingOne = indexShape.length === expected.length + 1 && indexShape.at(-1) === 1;
  if (scores.rank < 2 || !(sameShape(indexShape) || (trailingOne && sameShape(indexShape.slice(0, -1))))) {
    throw new ShapeError(
      `${fn}: indices must have the predictions' shape without the class axis, ${formatShape(expected)}, ` +
        `but got ${formatShape(indexShape)}. Predictions shape ${formatShape(scores.shape)}` +
        (indexShape.length === scores.rank ? `; for one-hot labels use ${oneHotLoss}` : ''),
    );
  }
  const classes = scores.shape[scores.rank - 1]!;
  const positions = new Int32Array(values.length);
  for (let m = 0; m < values.length; m++) {
    const y = values[m]!;
    if (!Number.isInteger(y) || y < 0 || y >= classes) {
      throw new ValueError(`${fn}: indices must be integers in [0, ${classes}), but got ${y} at position ${m}`);
    }
    positions[m] = m * classes + y;
  }
  return { positions, lossShape: expected };
}
