/**
 * Sinapse → TF.js: Sinapse models with seeded random weights (batch-norm variances positive), written
 * with toLayersArtifacts / saveLayersModel and read by TF.js's own tf.loadLayersModel (tf.io.fromMemory,
 * or its http loader over the files). Then
 *   - TF.js predicts what Sinapse predicts, within 1e-5 relative to 1 + |value|;
 *   - Sinapse → TF.js → Sinapse (TF.js saving what it loaded) gives back the weights bit for bit, and the
 *     same config;
 *   - L2Pooling2D and LocalResponseNormalization: TF.js refuses them by class name until the custom
 *     layers of docs/interop.md are registered, then predicts the same.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  Activation,
  Add,
  Average,
  AveragePooling2D,
  BatchNormalization,
  Concatenate,
  Conv2D,
  Dense,
  Dropout,
  Flatten,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  input,
  L2Pooling2D,
  type Layer,
  LocalResponseNormalization,
  Maximum,
  MaxPooling2D,
  Minimum,
  Multiply,
  ReLU,
  Reshape,
  Subtract,
  ZeroPadding2D,
} from '@sinapse/layers';
import { lenet5, type Model, model, resnetMini, Sequential } from '@sinapse/models';
import { ConfigError, Generator, rand, type Tensor } from '@sinapse/tensor';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveLayersModel } from '../node/files';
import { expectClose, expectSameBits, registerTfCustomLayers, tfArtifacts, toTf } from '../testing/tfjs';
import { fromLayersArtifacts, toLayersArtifacts } from './artifacts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const TOL = 1e-5;

function randomize(m: Layer, g: Generator): void {
  for (const w of m.weights) {
    const [low, high] = w.name.endsWith('moving_variance')
      ? [0.5, 2]
      : w.name.endsWith('gamma')
        ? [0.5, 1.5]
        : [-0.6, 0.6];
    w.assign(rand(w.shape, { low, high, generator: g }).data);
  }
}

function everyLayerSequential(): Sequential {
  return new Sequential(
    [
      new Conv2D({
        inputShape: [10, 10, 2],
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        name: 'c1',
      }),
      new BatchNormalization({ name: 'bn' }),
      new MaxPooling2D({ poolSize: 2, strides: 1, padding: 'same', name: 'mp' }),
      new ZeroPadding2D({
        padding: [
          [1, 0],
          [2, 1],
        ],
        name: 'zp',
      }),
      new Conv2D({
        filters: 3,
        kernelSize: [3, 2],
        strides: [2, 1],
        dilationRate: 1,
        useBias: false,
        activation: 'tanh',
        name: 'c2',
      }),
      new Conv2D({ filters: 3, kernelSize: 2, dilationRate: 2, activation: 'elu', name: 'c3' }),
      new AveragePooling2D({ poolSize: 2, strides: 1, padding: 'same', name: 'ap' }),
      new ReLU({ maxValue: 0.5, name: 'r6' }),
      new ReLU({ negativeSlope: 0.2, name: 'leaky' }),
      new Activation({ activation: 'sigmoid', name: 'sig' }),
      new Dropout({ rate: 0.3, name: 'drop' }),
      new Flatten({ name: 'flat' }),
      new Dense({ units: 6, activation: 'relu', name: 'fc' }),
      new Reshape({ targetShape: [2, 3], name: 'rs' }),
      new Flatten({ name: 'flat2' }),
      new Dense({ units: 4, activation: 'softmax', name: 'out' }),
    ],
    { name: 'every_layer' },
  );
}

/** Every merge layer TF.js has, both global poolings, a shared layer, two inputs and two outputs, nested models. */
function mergesFunctional(): Model<Tensor[]> {
  const image = input({ shape: [6, 6, 3], name: 'image' });
  const extra = input({ shape: [5], name: 'extra' });
  const a = new Conv2D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'a' }).apply(image);
  const b = new Conv2D({ filters: 4, kernelSize: 1, name: 'b' }).apply(image);
  const s = new Add({ name: 'sum' }).apply([a, b]);
  const m = new Multiply({ name: 'prod' }).apply([s, a]);
  const av = new Average({ name: 'mean' }).apply([a, b, s]);
  const hi = new Maximum({ name: 'hi' }).apply([m, av]);
  const lo = new Minimum({ name: 'lo' }).apply([m, av]);
  const c = new Concatenate({ name: 'cat' }).apply([hi, lo]);
  const n = new BatchNormalization({ name: 'norm' }).apply(c);
  const gmp = new GlobalMaxPooling2D({ name: 'gmp' }).apply(n);
  const gap = new GlobalAveragePooling2D({ name: 'gap' }).apply(n);
  const shared = new Dense({ units: 5, activation: 'tanh', name: 'shared' });
  const u = shared.apply(gmp);
  const v = shared.apply(gap);
  // a Sequential as one layer of the graph
  const head = new Sequential(
    [new Dense({ inputShape: [5], units: 4, activation: 'relu', name: 'h1' }), new Dense({ units: 5, name: 'h2' })],
    {
      name: 'head',
    },
  );
  const e = head.apply(extra);
  const all = new Concatenate({ name: 'all' }).apply([u, v, e]);
  const out1 = new Dense({ units: 2, name: 'logits' }).apply(all);
  const out2 = new Dense({ units: 1, activation: 'sigmoid', name: 'score' }).apply(v);
  return model({ inputs: [image, extra], outputs: [out1, out2], name: 'merges' });
}

const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

function inputsFor(m: Model<Tensor | Tensor[]>, n: number, g: Generator): Tensor[] {
  const shapes = m.inputShapes.length > 0 ? m.inputShapes : [m.inputShape!];
  return shapes.map((s) => rand([n, ...(s.slice(1) as number[])], { low: -1, high: 1, generator: g }));
}

function expectSamePredictions(ours: Model<Tensor | Tensor[]>, theirs: tfl.LayersModel, xs: Tensor[]): number {
  const got = asList(ours.predict(xs.length === 1 ? xs[0]! : xs));
  const want = asList(theirs.predict(xs.length === 1 ? toTf(xs[0]!) : xs.map(toTf)) as tf.Tensor | tf.Tensor[]);
  expect(got).toHaveLength(want.length);
  let worst = 0;
  got.forEach((y, k) => {
    expect(y.shape).toEqual(want[k]!.shape);
    worst = Math.max(worst, expectClose(`output ${k}`, y.data, want[k]!.dataSync(), TOL));
  });
  return worst;
}

const fileFetch = async (url: string | URL | Request): Promise<Response> =>
  new Response(readFileSync(fileURLToPath(url instanceof Request ? url.url : url)));

const cases: [string, () => Model<Tensor | Tensor[]>][] = [
  ['a Sequential of every layer with a Keras class', everyLayerSequential],
  ['a functional model of the merge layers, with a shared layer and a nested Sequential', mergesFunctional],
  ['lenet5()', () => lenet5()],
  ['resnetMini() (functional, batch norm, residual adds)', () => resnetMini()],
  [
    'a functional model inside a Sequential',
    () => new Sequential([lenet5({ inputShape: [12, 12, 1], numClasses: 4 }), new Dense({ units: 2 })]),
  ],
];

describe('toLayersArtifacts: tf.loadLayersModel reads Sinapse models', () => {
  it.each(cases)('%s: TF.js predicts what Sinapse predicts', async (_, build) => {
    const g = new Generator(5);
    const ours = build();
    randomize(ours, g);
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(toLayersArtifacts(ours) as tf.io.ModelArtifacts));
    expect(theirs.countParams()).toBe(ours.countParams());
    expect(expectSamePredictions(ours, theirs, inputsFor(ours, 3, g))).toBeLessThan(TOL);
  });

  it.each(cases)('%s: Sinapse → TF.js → Sinapse gives the weights back bit for bit', async (_, build) => {
    const ours = build();
    randomize(ours, new Generator(9));
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(toLayersArtifacts(ours) as tf.io.ModelArtifacts));
    const back = fromLayersArtifacts<Tensor | Tensor[]>(await tfArtifacts(theirs));
    expect(back.weights.map((p) => p.name)).toEqual(ours.weights.map((p) => p.name));
    back.weights.forEach((p, i) => {
      expectSameBits(p.name, p.data as Float32Array, ours.weights[i]!.data as Float32Array);
    });
    expect(back.countParams()).toBe(ours.countParams());
  });

  it('saveLayersModel: files in shards that TF.js loads from disk', async () => {
    const ours = everyLayerSequential();
    const g = new Generator(2);
    randomize(ours, g);
    const dir = mkdtempSync(join(tmpdir(), 'sinapse-interop-'));
    dirs.push(dir);
    saveLayersModel(ours, pathToFileURL(dir), { shardBytes: 256 });
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths.length).toBeGreaterThan(3);
    expect(json.weightsManifest[0].paths[0]).toMatch(/^group1-shard1of\d+\.bin$/);
    const theirs = await tfl.loadLayersModel(
      tf.io.http(pathToFileURL(join(dir, 'model.json')).href, { fetchFunc: fileFetch }),
    );
    expectSamePredictions(ours, theirs, inputsFor(ours, 2, g));
  });

  it.each(['uint8', 'uint16', 'float16'] as const)(
    'quantize %s: TF.js and Sinapse read the same dequantized weights',
    async (quantize) => {
      const ours = everyLayerSequential();
      randomize(ours, new Generator(4));
      const artifacts = toLayersArtifacts(ours, { quantize });
      const theirs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
      const again = fromLayersArtifacts(artifacts);
      const tfWeights = new Map(theirs.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
      for (const p of again.weights) expectSameBits(p.name, p.data as Float32Array, tfWeights.get(p.name)!);
      expect(artifacts.weightSpecs.every((s) => s.quantization?.dtype === quantize)).toBe(true);
      expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(
        ours.countParams() * (quantize === 'uint8' ? 1 : 2),
      );
    },
  );
});

describe('layers with no Keras class', () => {
  const withCustom = () =>
    new Sequential([
      new Conv2D({ inputShape: [9, 9, 3], filters: 4, kernelSize: 3, name: 'conv' }),
      new LocalResponseNormalization({ depthRadius: 2, bias: 1.5, alpha: 0.2, beta: 0.75, name: 'lrn' }),
      new L2Pooling2D({ poolSize: 3, strides: 2, padding: 'same', name: 'l2' }),
      new L2Pooling2D({ poolSize: 2, name: 'l2_valid' }),
      new Flatten(),
    ]);

  it('are written under Sinapse> class names, which TF.js refuses by name until they are registered', async () => {
    const artifacts = toLayersArtifacts(withCustom());
    const classes = (artifacts.modelTopology.config as { layers: { class_name: string }[] }).layers.map(
      (l) => l.class_name,
    );
    expect(classes).toEqual([
      'Conv2D',
      'Sinapse>LocalResponseNormalization',
      'Sinapse>L2Pooling2D',
      'Sinapse>L2Pooling2D',
      'Flatten',
    ]);
    await expect(tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts))).rejects.toThrow(
      /Unknown layer: Sinapse>LocalResponseNormalization/,
    );
  });

  it('with the custom layers of docs/interop.md registered, TF.js predicts the same, and they load back', async () => {
    registerTfCustomLayers();
    const ours = withCustom();
    const g = new Generator(8);
    randomize(ours, g);
    const artifacts = toLayersArtifacts(ours);
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expectSamePredictions(ours, theirs, inputsFor(ours, 2, g));
    const back = fromLayersArtifacts(await tfArtifacts(theirs));
    expect(back.layers.map((l) => l.className)).toEqual(ours.layers.map((l) => l.className));
    expect(back.getLayer('l2').getConfig()).toEqual(ours.getLayer('l2').getConfig());
    expect(back.getLayer('lrn').getConfig()).toEqual(ours.getLayer('lrn').getConfig());
  });
});

describe('what the Layers format cannot hold is an error naming the layer', () => {
  it.each([
    [
      'a float64 model',
      () => new Sequential([new Dense({ inputShape: [3], units: 2, dtype: 'float64', name: 'd64' })]),
      /^toLayersArtifacts: layer 'd64' \(Dense\): dtype float64: TF.js layers compute in float32 only/,
    ],
    [
      'a ReLU with a threshold',
      () => new Sequential([new ReLU({ inputShape: [3], threshold: 0.5, name: 'thr' })]),
      /layer 'thr' \(ReLU\): TF.js has ReLU with max_value and LeakyReLU with a slope, but not maxValue null, negativeSlope 0, threshold 0.5 together/,
    ],
    [
      'a leakyRelu activation',
      () => new Sequential([new Dense({ inputShape: [3], units: 2, activation: 'leakyRelu', name: 'dl' })]),
      /layer 'dl' \(Dense\) activation: activation "leakyRelu" has no Keras name/,
    ],
    [
      'a Sequential with no input shape',
      () => new Sequential([new Dense({ units: 2 })], { name: 'shapeless' }),
      /Sequential 'shapeless' has no input shape, which the Layers format needs/,
    ],
  ])('%s', (_, build, message) => {
    expect(() => toLayersArtifacts(build())).toThrow(ConfigError);
    expect(() => toLayersArtifacts(build())).toThrow(message);
  });

  it('Subtract is written (Keras reads it) but TF.js has no Subtract layer and refuses it by name', async () => {
    const x = input({ shape: [3] });
    const m = model({
      inputs: x,
      outputs: new Subtract().apply([new Dense({ units: 2 }).apply(x), new Dense({ units: 2 }).apply(x)]),
    });
    const artifacts = toLayersArtifacts(m);
    await expect(tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts))).rejects.toThrow(
      /Unknown layer: Subtract/,
    );
    // Sinapse reads it back
    expect(fromLayersArtifacts(artifacts).countParams()).toBe(m.countParams());
  });
});
