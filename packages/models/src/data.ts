/**
 * What predict, fit and evaluate accept as data: tensors, or plain JS values that `tensor()` takes
 * (nested arrays, typed arrays), one per model input. Keras and TF.js users pass NumPy arrays and
 * nested lists; here the conversion is one place, with errors that name the method and the input.
 */

import type { LayerShape } from '@sinapse/layers';
import { formatShape, ShapeError, Tensor, type TensorInput, tensor, ValueError } from '@sinapse/tensor';

/** One input's data: a tensor, or values `tensor()` accepts (a nested array, a typed array). */
export type InputData = Tensor | TensorInput;

/** A model's data: one input's, or a list with one entry per input of a multi-input model. */
export type ModelInputs = InputData | readonly InputData[];

/**
 * One input as a tensor. A typed array is flat, so it is read as examples of `exampleShape` (the
 * model's input shape without the batch axis) when that is known: Float32Array(2·784) for inputs
 * [null, 28, 28, 1] is two images.
 * @throws ValueError for values that are not numbers or are ragged, naming `who`.
 */
export function toTensor(who: string, value: unknown, exampleShape: LayerShape | null = null): Tensor {
  if (value instanceof Tensor) return value;
  if (ArrayBuffer.isView(value) && exampleShape?.every((d) => d !== null)) {
    const per = (exampleShape as number[]).reduce((a, b) => a * b, 1);
    const n = (value as unknown as ArrayLike<number>).length;
    if (n % per !== 0) {
      throw new ShapeError(
        `${who}: a flat typed array of ${n} values is not a whole number of examples of shape ${formatShape(exampleShape as number[])} (${per} values each)`,
      );
    }
    return tensor(value as unknown as ArrayLike<number>, [n / per, ...(exampleShape as number[])]);
  }
  try {
    return tensor(value as TensorInput);
  } catch (err) {
    throw new ValueError(`${who}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * The data as one tensor per model input. A multi-input model takes a list with one entry per
 * input; a one-input model takes the data itself (or a list of one tensor, as Keras allows).
 */
export function toTensors(who: string, data: unknown, exampleShapes: readonly (LayerShape | null)[]): Tensor[] {
  const count = exampleShapes.length;
  if (count > 1) {
    if (!Array.isArray(data) || data.length !== count) {
      const got = Array.isArray(data)
        ? `a list of ${data.length}`
        : data instanceof Tensor
          ? 'one tensor'
          : typeof data;
      throw new ValueError(
        `${who}: the model has ${count} inputs, so it takes a list of ${count} tensors, but got ${got}`,
      );
    }
    return data.map((d, i) => toTensor(`${who}: input ${i}`, d, exampleShapes[i] ?? null));
  }
  if (Array.isArray(data) && data.length === 1 && data[0] instanceof Tensor) return [data[0]];
  return [toTensor(who, data, exampleShapes[0] ?? null)];
}
