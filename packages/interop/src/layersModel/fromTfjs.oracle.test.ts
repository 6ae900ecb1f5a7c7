/**
 * TF.js → Sinapse: models built and trained in TF.js layers (CPU backend), saved through
 * tf.io.withSaveHandler, loaded with fromLayersArtifacts. Then
 *   - predict gives TF.js's outputs within 1e-5 relative to 1 + |value| (float32, different summation orders);
 *   - the loaded weights are TF.js's, bit for bit;
 *   - one SGD step on the same batch (mean squared error, lr 0.1, batch norm in training mode)
 *     leaves the same weights, moving statistics included.
 * The Sequential model holds every layer with a Keras class that fits a stack; the functional one
 * every merge layer, both global poolings, two inputs, two outputs and a layer shared by two calls.
 */
import type { Model } from '@sinapse/models';
import { Generator, rand, seed, type Tensor } from '@sinapse/tensor';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { tfFunctional, tfNested, tfSequential } from '../testing/models';
import { expectClose, expectSameBits, tfArtifacts, toTf } from '../testing/tfjs';
import { fromLayersArtifacts } from './artifacts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TOL = 1e-5;

const shapesOf = (m: tfl.LayersModel) => m.inputs.map((t) => t.shape.slice(1) as number[]);
const outputsOf = (m: tfl.LayersModel) => m.outputs.map((t) => t.shape.slice(1) as number[]);

function randomBatch(shapes: number[][], n: number, g: Generator): Tensor[] {
  return shapes.map((s) => rand([n, ...s], { low: -1, high: 1, generator: g }));
}

/** A few SGD steps in TF.js so that weights and moving statistics are not their initial values. */
async function trainInTf(m: tfl.LayersModel, g: Generator): Promise<void> {
  m.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
  for (let step = 0; step < 3; step++) {
    const xs = randomBatch(shapesOf(m), 8, g).map(toTf);
    const ys = randomBatch(outputsOf(m), 8, g).map(toTf);
    await m.trainOnBatch(xs.length === 1 ? xs[0]! : xs, ys.length === 1 ? ys[0]! : ys);
  }
}

const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

function expectSamePredictions(ours: Model<Tensor | Tensor[]>, theirs: tfl.LayersModel, xs: Tensor[]): number {
  const got = asList(ours.predict(xs.length === 1 ? xs[0]! : xs));
  const want = asList(theirs.predict(xs.length === 1 ? toTf(xs[0]!) : xs.map(toTf)) as tf.Tensor | tf.Tensor[]);
  expect(got).toHaveLength(want.length);
  let worst = 0;
  got.forEach((y, k) => {
    expect(y.shape, `output ${k}`).toEqual(want[k]!.shape);
    worst = Math.max(worst, expectClose(`output ${k}`, y.data, want[k]!.dataSync(), TOL));
  });
  return worst;
}

/** The loaded weights are TF.js's, bit for bit, by name. */
function expectSameWeights(ours: Model<Tensor | Tensor[]>, theirs: tfl.LayersModel, tol: number | 'bits'): void {
  const tfWeights = new Map(theirs.weights.map((w) => [w.originalName, w.read()]));
  expect(ours.weights.map((p) => p.name).sort()).toEqual([...tfWeights.keys()].sort());
  for (const p of ours.weights) {
    const t = tfWeights.get(p.name)!;
    expect(p.shape, p.name).toEqual(t.shape);
    if (tol === 'bits') expectSameBits(p.name, p.data as Float32Array, t.dataSync() as Float32Array);
    else expectClose(p.name, p.data, t.dataSync(), tol);
  }
}

/** One SGD step of mean squared error (summed over outputs, as TF.js's compile does) by hand in Sinapse. */
function sinapseStep(m: Model<Tensor | Tensor[]>, xs: Tensor[], ys: Tensor[], lr: number): void {
  m.zeroGrad();
  const outs = m.applyAll(xs.length === 1 ? xs[0]! : xs, { training: true });
  outs
    .map((o, k) => o.sub(ys[k]!).square().mean())
    .reduce((a, b) => a.add(b))
    .backward();
  for (const p of m.trainableWeights) {
    const g = p.grad!.data;
    const next = Float32Array.from(p.data, (w, i) => w - lr * g[i]!);
    p.assign(next);
  }
}

describe('fromLayersArtifacts: models trained in TF.js', () => {
  const cases = [
    ['a Sequential of every stackable layer', () => tfSequential()],
    ['a functional model of every merge layer, two inputs, two outputs, a shared layer', tfFunctional],
    ['a Sequential and a functional model nested in a functional model, each called twice', tfNested],
  ] as const;

  it.each(cases)('%s predicts as in TF.js, with its weights bit for bit', async (_, build) => {
    seed(1);
    const g = new Generator(7);
    const theirs = build();
    await trainInTf(theirs, g);
    const ours = fromLayersArtifacts<Tensor | Tensor[]>(await tfArtifacts(theirs));
    expect(ours.className).toBe(theirs instanceof tfl.Sequential ? 'Sequential' : 'Model');
    expect(ours.countParams()).toBe(theirs.countParams());
    expect(ours.name).toBe(theirs.name);
    // the same layers (Sinapse orders a graph's layers by its own walk, Keras by depth)
    const names = (layers: { name: string; getClassName?: () => string; className?: string }[]) =>
      layers
        .filter((l) => (l.className ?? l.getClassName?.()) !== 'InputLayer')
        .map((l) => l.name)
        .sort();
    expect(names(ours.layers)).toEqual(names(theirs.layers));
    expectSameWeights(ours, theirs, 'bits');
    const worst = expectSamePredictions(ours, theirs, randomBatch(shapesOf(theirs), 5, g));
    expect(worst).toBeLessThan(TOL);
  });

  it.each([
    ['Sequential', () => tfSequential(true)],
    ['functional', tfFunctional],
    ['nested', tfNested],
  ] as const)('%s: one SGD step in Sinapse leaves the weights TF.js trainOnBatch leaves', async (_, build) => {
    const g = new Generator(11);
    const theirs = build();
    await trainInTf(theirs, g);
    const ours = fromLayersArtifacts<Tensor | Tensor[]>(await tfArtifacts(theirs));
    const xs = randomBatch(shapesOf(theirs), 6, g);
    const ys = randomBatch(outputsOf(theirs), 6, g);
    theirs.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    await theirs.trainOnBatch(
      xs.length === 1 ? toTf(xs[0]!) : xs.map(toTf),
      ys.length === 1 ? toTf(ys[0]!) : ys.map(toTf),
    );
    sinapseStep(ours, xs, ys, 0.1);
    expectSameWeights(ours, theirs, TOL);
  });

  it('keeps trainable: false (the frozen layer stays out of trainableWeights)', async () => {
    const ours = fromLayersArtifacts(await tfArtifacts(tfSequential()));
    expect(ours.getLayer('dilated').trainable).toBe(false);
    expect(ours.trainableWeights.map((p) => p.name)).not.toContain('dilated/kernel');
    expect(ours.trainableWeights.map((p) => p.name)).toContain('conv_a/kernel');
  });
});
