/**
 * Layer shapes: tensor shapes whose batch axis (the first) may be unknown, written null, as Keras
 * writes None: a Conv2D over 28x28 grey images sees [null, 28, 28, 1].
 */

/** A shape whose batch axis (the first) may be unknown. */
export type LayerShape = readonly (number | null)[];

/** One shape, or one per input for a layer that takes a list (Add, Concatenate, a model with two inputs). */
export type LayerShapes = LayerShape | readonly LayerShape[];

/** `[null, 28, 28, 1]` */
export function formatLayerShape(shape: LayerShape): string {
  return `[${shape.map((d) => d ?? 'null').join(', ')}]`;
}

/** Whether `shapes` is a list of shapes rather than one shape ([[null, 4], [null, 4]] vs [null, 4]). */
export function isShapeList(shapes: LayerShapes): shapes is readonly LayerShape[] {
  return shapes.length > 0 && Array.isArray(shapes[0]);
}

/** `[null, 4]` or `[[null, 4], [null, 4]]`, for messages. */
export function formatLayerShapes(shapes: LayerShapes): string {
  return isShapeList(shapes) ? `[${shapes.map(formatLayerShape).join(', ')}]` : formatLayerShape(shapes);
}
