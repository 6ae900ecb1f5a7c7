/**
 * What the tests share to compare Sinapse with TF.js layers (CPU backend, devDependencies only):
 * tensors across, artifacts out of a TF.js model, the custom TF.js layers for Sinapse's two classes
 * with no Keras counterpart (the same code as docs/interop.md), and the tolerance check.
 */
import { type Tensor, tensor } from '@sinapse/tensor';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import type { LayersModelArtifacts } from '../layersModel/artifacts';

export const toTf = (t: Tensor): tf.Tensor => tf.tensor(Array.from(t.data), [...t.shape], 'float32');
export const fromTf = (t: tf.Tensor): Tensor => tensor(Array.from(t.dataSync()), t.shape);

/** What `model.save` hands its IOHandler: the artifacts, in memory. */
export async function tfArtifacts(model: tfl.LayersModel): Promise<LayersModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved as unknown as LayersModelArtifacts;
}

/** |a − e| ≤ tol · (1 + |e|), element by element, naming the first that is not; returns the largest |a − e| / (1 + |e|). */
export function expectClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): number {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const err = Math.abs(a - e) / (1 + Math.abs(e));
    if (!(err <= tol)) expect.fail(`${what}, element ${i}: Sinapse ${a}, reference ${e} (tolerance ${tol})`);
    worst = Math.max(worst, err);
  }
  return worst;
}

/** Bit for bit. */
export function expectSameBits(what: string, actual: Float32Array, expected: Float32Array): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== e[i]) expect.fail(`${what}, element ${i}: ${actual[i]} is not bit-identical to ${expected[i]}`);
  }
}

// ---- the custom layers TF.js needs for Sinapse's L2Pooling2D and LocalResponseNormalization --------

type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;
type PoolConfig = { poolSize: [number, number]; strides?: [number, number] | null; padding?: 'valid' | 'same' };

/** sqrt(Σ x²) over each window: the sum of squares as a depthwise convolution with a kernel of ones. */
export class TfL2Pooling2D extends tfl.layers.Layer {
  static className = 'Sinapse>L2Pooling2D';
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';
  constructor(config: PoolConfig & LayerArgs) {
    super(config);
    this.poolSize = config.poolSize;
    this.strides = config.strides ?? config.poolSize;
    this.padding = config.padding ?? 'valid';
  }
  override computeOutputShape(s: tfl.Shape): tfl.Shape {
    const out = (n: number, k: number, st: number) =>
      this.padding === 'same' ? Math.ceil(n / st) : Math.floor((n - k) / st) + 1;
    return [s[0]!, out(s[1]!, this.poolSize[0], this.strides[0]), out(s[2]!, this.poolSize[1], this.strides[1]), s[3]!];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
      const ones = tf.ones([...this.poolSize, x.shape[3], 1]) as tf.Tensor4D;
      return tf.sqrt(tf.depthwiseConv2d(tf.square(x), ones, this.strides, this.padding));
    });
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }
}

type LrnConfig = { depthRadius: number; bias: number; alpha: number; beta: number };

/** TF.js's own op: the same definition as Sinapse's (α multiplies the sum of squares, not its mean). */
export class TfLocalResponseNormalization extends tfl.layers.Layer {
  static className = 'Sinapse>LocalResponseNormalization';
  readonly lrn: LrnConfig;
  constructor(config: LrnConfig & LayerArgs) {
    super(config);
    this.lrn = { depthRadius: config.depthRadius, bias: config.bias, alpha: config.alpha, beta: config.beta };
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
    const { depthRadius, bias, alpha, beta } = this.lrn;
    return tf.localResponseNormalization(x, depthRadius, bias, alpha, beta);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.lrn };
  }
}

/** Registers both with TF.js (once). */
export function registerTfCustomLayers(): void {
  tf.serialization.registerClass(TfL2Pooling2D);
  tf.serialization.registerClass(TfLocalResponseNormalization);
}
