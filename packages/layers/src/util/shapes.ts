/** Shape rules shared by the image layers (NHWC). */
import { ShapeError } from '@sinapse/tensor';
import { formatLayerShape, type Layer, type LayerShape } from '../Layer';

/**
 * Image layers take [batch, height, width, channels]; the classic mistakes are a missing batch or
 * channel axis, so the message says how to add them.
 */
export function checkImageInput(layer: Layer, shape: LayerShape): void {
  if (shape.length === 4) return;
  let hint = '';
  if (shape.some((d) => d === null)) {
    hint = '';
  } else if (shape.length === 2) {
    hint = `; add batch and channel dimensions, e.g. x.reshape([1, ${shape[0]}, ${shape[1]}, 1])`;
  } else if (shape.length === 3) {
    hint = '; add a batch dimension with expandDims(0)';
  }
  throw new ShapeError(
    `${layer.describe()} expects input [batch, height, width, channels], got ${formatLayerShape(shape)}${hint}`,
  );
}

/**
 * Output length of a sliding window along one axis (see Note [Padding: 'valid' and 'same'] in
 * @sinapse/tensor): 'same' → ceil(in / stride); 'valid' → floor((in − kEff) / stride) + 1 with
 * kEff = (k − 1)·dilation + 1. Unknown (null) stays unknown.
 */
export function windowOutputLength(
  inSize: number | null,
  window: number,
  stride: number,
  padding: 'valid' | 'same',
  dilation = 1,
): number | null {
  if (inSize === null) return null;
  if (padding === 'same') return Math.ceil(inSize / stride);
  const effective = (window - 1) * dilation + 1;
  return Math.max(0, Math.floor((inSize - effective) / stride) + 1);
}

/**
 * computeOutputShape must refuse what apply would refuse: a window larger than the (padded) input
 * gives an empty output.
 */
export function checkOutputNotEmpty(layer: Layer, inputShape: LayerShape, outputShape: LayerShape): LayerShape {
  if (outputShape.some((d) => d === 0)) {
    throw new ShapeError(
      `${layer.describe()}: the window does not fit in input ${formatLayerShape(inputShape)}: output would be ${formatLayerShape(outputShape)}`,
    );
  }
  return outputShape;
}
