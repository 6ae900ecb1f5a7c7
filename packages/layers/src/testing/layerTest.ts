/**
 * The layer test harness, in the spirit of Keras's `run_layer_test`: for one layer configuration
 * and input shape, check the output shape (computed and actual), the parameter count, the
 * getConfig/fromConfig round trip and the setWeights/getWeights round trip.
 */
import { Generator, rand, type Tensor, tensor } from '@sinapse/tensor';
import { expect } from 'vitest';
import type { Layer } from '../Layer';
import { deserializeLayer, serializeLayer } from '../registry';

export interface LayerTestCase {
  /** States the case, e.g. "Conv2D filters=6 kernelSize=5 'same' on [2, 28, 28, 1]". */
  title: string;
  /** Builds a fresh layer. */
  make: () => Layer;
  /** Full input shape, batch included; a list of them for a layer that takes a list (Add, Concatenate). */
  inputShape: readonly number[] | readonly (readonly number[])[];
  /** Full expected output shape, worked out by hand. */
  expectedOutputShape: readonly number[];
  /** Expected number of scalars in the weights, worked out by hand. */
  expectedParams: number;
  /** Run in training mode (Dropout, BatchNormalization). Default false. */
  training?: boolean;
}

/** Random input values in [-1, 1), reproducible. */
export function randomInput(shape: readonly number[], seed = 1, dtype: 'float32' | 'float64' = 'float32'): Tensor {
  return rand(shape, { low: -1, high: 1, generator: new Generator(seed), dtype });
}

/** Whether `shape` is a list of shapes ([[2, 3], [2, 3]]) rather than one shape ([2, 3]). */
export function isShapeList(
  shape: readonly number[] | readonly (readonly number[])[],
): shape is readonly (readonly number[])[] {
  return Array.isArray(shape[0]);
}

export function runLayerTest(c: LayerTestCase): void {
  const layer = c.make();
  const isList = isShapeList(c.inputShape);
  const shapes = isShapeList(c.inputShape) ? c.inputShape : [c.inputShape];
  // one input per shape, each with its own values (seeds 1, 2, ...)
  const xs = shapes.map((s, i) => randomInput(s, 1 + i));
  const x = isList ? xs : xs[0]!;
  const y = layer.apply(x, { training: c.training ?? false });

  // output shape: the actual one and the one computed without data (batch axis unknown)
  expect(y.shape).toEqual([...c.expectedOutputShape]);
  const symbolic = shapes.map((s) => [null, ...s.slice(1)]);
  const symbolicShape = isList ? symbolic : symbolic[0]!;
  expect(layer.computeOutputShape(symbolicShape)).toEqual([null, ...c.expectedOutputShape.slice(1)]);
  expect(layer.countParams()).toBe(c.expectedParams);
  expect(layer.weights.reduce((n, w) => n + w.size, 0)).toBe(c.expectedParams);

  // getConfig → fromConfig gives the same configuration, and with the same weights the same output
  const config = serializeLayer(layer);
  const twin = deserializeLayer(JSON.parse(JSON.stringify(config)));
  expect(twin.className).toBe(layer.className);
  expect(twin.getConfig()).toEqual(layer.getConfig());
  twin.build(isList ? xs.map((t) => t.shape) : xs[0]!.shape);
  twin.setWeights(layer.getWeights());
  if (!(c.training ?? false)) {
    expect(Array.from(twin.apply(x).data)).toEqual(Array.from(y.data));
  }

  // setWeights / getWeights round trip with fresh values, and shape checking
  const fresh = layer.weights.map((w, i) => rand(w.shape, { generator: new Generator(100 + i) }));
  layer.setWeights(fresh);
  layer.getWeights().forEach((w, i) => {
    expect(Array.from(w.data)).toEqual(Array.from(fresh[i]!.data));
  });
  expect(() => layer.setWeights([...fresh, tensor([1])])).toThrow(/setWeights expects/);
  expect(String(layer)).toContain(`${layer.className}(`);
}
