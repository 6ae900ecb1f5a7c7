/**
 * TF.js → Sinapse → TF.js: a small CNN built and trained in TF.js (tfjs-layers, CPU), saved the way
 * tfjs-node's `model.save('file://…')` saves (model.json + weights.bin), loaded into Sinapse with
 * loadLayersModel, checked against TF.js's own predictions, fine-tuned in Sinapse on more digits, and
 * handed back to TF.js (saveLayersModel), which predicts what Sinapse predicts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMnist } from '@sinapse/data/node';
import { toLayersArtifacts } from '@sinapse/interop';
import { loadLayersModel, saveLayersModel } from '@sinapse/interop/node';
import type { Model } from '@sinapse/models';
import { seed, type Tensor } from '@sinapse/tensor';
import { SGD } from '@sinapse/train';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';

export interface TfjsDemoOptions {
  /** Training images for each side: TF.js trains on the first half, Sinapse fine-tunes on the second. Default 2,000 (TF.js trains slowly on its CPU backend). */
  limit?: number;
  /** Test images. Default 1,000. */
  testLimit?: number;
  /** Where the two models go (tfjs-trained/, fine-tuned/). */
  out: string;
  log?: (line: string) => void;
}

export interface TfjsDemoResult {
  /** Largest difference between Sinapse's and TF.js's probabilities, right after loading. */
  loadDiff: number;
  accuracyBefore: number;
  accuracyAfter: number;
  /** Largest difference between TF.js's and Sinapse's probabilities for the fine-tuned model. */
  backDiff: number;
}

const toTf = (t: Tensor) => tf.tensor(Array.from(t.data), [...t.shape]);

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function accuracy(model: Model, images: Tensor, labels: Tensor): number {
  const p = model.predict(images);
  let right = 0;
  for (let i = 0; i < labels.size; i++) {
    const row = Array.from(p.data.subarray(i * 10, i * 10 + 10));
    if (row.indexOf(Math.max(...row)) === labels.data[i]) right++;
  }
  return right / labels.size;
}

export async function tfjsDemo({
  limit = 2000,
  testLimit = 1000,
  out,
  log = console.log,
}: TfjsDemoOptions): Promise<TfjsDemoResult> {
  await tf.setBackend('cpu');
  seed(0);
  const mnist = loadMnist({ limit, testLimit, normalize: 'standard' });
  const half = Math.floor(limit / 2);
  const first = mnist.train.images.slice([0, 0, 0, 0], [half, 28, 28, 1]);
  const firstLabels = mnist.train.oneHot.slice([0, 0], [half, 10]);

  // 1. TF.js: build, train one epoch, save as tfjs-node's file:// handler does. Seeded initializers and no
  // shuffling make TF.js's half reproducible (its CPU backend is deterministic), so the test cannot flake.
  const init = (s: number) => ({ kernelInitializer: tfl.initializers.glorotUniform({ seed: s }) });
  const theirs = tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [28, 28, 1],
        filters: 8,
        kernelSize: 3,
        activation: 'relu',
        name: 'conv1',
        ...init(1),
      }),
      tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      tfl.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', name: 'conv2', ...init(2) }),
      tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
      tfl.layers.flatten({ name: 'flatten' }),
      tfl.layers.dense({ units: 10, activation: 'softmax', name: 'probabilities', ...init(3) }),
    ],
  });
  theirs.compile({ optimizer: tf.train.adam(0.003), loss: 'categoricalCrossentropy' });
  await theirs.fit(toTf(first), toTf(firstLabels), { epochs: 1, batchSize: 32, shuffle: false, verbose: 0 });
  const dir = join(out, 'tfjs-trained');
  await theirs.save(
    tf.io.withSaveHandler(async (a) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'weights.bin'), new Uint8Array(a.weightData as ArrayBuffer));
      const modelJson = {
        format: a.format,
        generatedBy: a.generatedBy,
        modelTopology: a.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
      };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  log(`TF.js trained on ${half} digits and saved ${dir}`);

  // 2. Sinapse: load, check, measure, fine-tune on the other half
  const ours = loadLayersModel(join(dir, 'model.json'));
  const test = mnist.test.images;
  const loadDiff = maxDiff(ours.predict(test).data, (theirs.predict(toTf(test)) as tf.Tensor).dataSync());
  const accuracyBefore = accuracy(ours, test, mnist.test.labels);
  log(`Sinapse loaded it: ${ours.className} of ${ours.layers.map((l) => l.className).join(', ')}`);
  log(
    `  probabilities as TF.js's within ${loadDiff.toExponential(1)}; test accuracy ${(100 * accuracyBefore).toFixed(1)}%`,
  );

  const rest = mnist.train.images.slice([half, 0, 0, 0], [limit - half, 28, 28, 1]);
  const restLabels = mnist.train.labels.slice([half], [limit - half]);
  ours.compile({ optimizer: new SGD({ learningRate: 0.02, momentum: 0.9 }), loss: 'sparse_categorical_crossentropy' });
  await ours.fit(rest, restLabels, { epochs: 1, batchSize: 32, seed: 0 });
  const accuracyAfter = accuracy(ours, test, mnist.test.labels);
  log(`fine-tuned in Sinapse on ${limit - half} more digits: test accuracy ${(100 * accuracyAfter).toFixed(1)}%`);

  // 3. back to TF.js
  const back = join(out, 'fine-tuned');
  saveLayersModel(ours, back);
  const again = await tfl.loadLayersModel(tf.io.fromMemory(toLayersArtifacts(ours) as tf.io.ModelArtifacts));
  const backDiff = maxDiff(ours.predict(test).data, (again.predict(toTf(test)) as tf.Tensor).dataSync());
  log(`saved ${back}; TF.js loads it and predicts within ${backDiff.toExponential(1)} of Sinapse`);
  return { loadDiff, accuracyBefore, accuracyAfter, backDiff };
}
