/**
 * Training steps of functional models against TF.js layers (CPU backend, a devDependency only):
 * the same graph built in both frameworks, Sinapse's seeded random weights copied into TF.js by
 * layer name, then two steps of SGD with momentum (lr 0.1, μ 0.9, `tf.train.momentum(0.1, 0.9)`) on
 * the same batch. After each step every weight must agree: the trainable ones (so the gradients,
 * batch statistics included, and the momentum update agree) and batch norm's moving statistics.
 * The first step is plain SGD (the velocity starts at 0); only the second one sees the momentum.
 *
 *   (a) a residual block (conv-BN-relu-conv-BN, strided 1x1 projection, Add, relu, global average
 *       pooling, Dense) with softmax cross-entropy on logits: `trainStep` against
 *       `model.compile` + `model.trainOnBatch`;
 *   (c) two inputs and two outputs (class logits, a regression value) with softmax cross-entropy
 *       plus mean squared error: trainStep takes one input and one output, so the step is written
 *       by hand (applyAll, the two losses summed, backward, optimizer.step, zeroGrad), against
 *       trainOnBatch with a loss per output (TF.js sums them).
 * float32 on both sides: weights agree to 1e-5 relative to 1 + |w| (measured: within 1e-7).
 */
import {
  Add,
  Average,
  BatchNormalization,
  Concatenate,
  Conv2D,
  Dense,
  GlobalAveragePooling2D,
  input,
  type Layer,
  Maximum,
  Minimum,
  Multiply,
  ReLU,
  type SymbolicTensor,
} from '@sinapse/layers';
import { type Model, model } from '@sinapse/models';
import { Generator, rand, seed, type Tensor, tensor } from '@sinapse/tensor';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainStep } from './fit';
import { meanSquaredError } from './losses/meanSquaredError';
import { softmaxCrossEntropy } from './losses/softmaxCrossEntropy';
import { SGD } from './optimizers/SGD';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TOL = 1e-5;

// ---- one graph, two frameworks (as in models/src/functional.oracle.test.ts) -----------------------

type Options = Record<string, unknown> & { name: string };
const kinds = {
  conv2d: [Conv2D, tfl.layers.conv2d],
  batchNormalization: [BatchNormalization, tfl.layers.batchNormalization],
  reLU: [ReLU, tfl.layers.reLU],
  dense: [Dense, tfl.layers.dense],
  globalAveragePooling2d: [GlobalAveragePooling2D, tfl.layers.globalAveragePooling2d],
  add: [Add, tfl.layers.add],
  multiply: [Multiply, tfl.layers.multiply],
  average: [Average, tfl.layers.average],
  maximum: [Maximum, tfl.layers.maximum],
  minimum: [Minimum, tfl.layers.minimum],
  concatenate: [Concatenate, tfl.layers.concatenate],
} as const;
type Kind = keyof typeof kinds;

interface Builder<S, M> {
  input(shape: number[], name: string): S;
  use(kind: Kind, options: Options, x: S | S[]): S;
  model(inputs: S[], outputs: S[], name: string): M;
}

const sinapse: Builder<SymbolicTensor, Model<Tensor | Tensor[]>> = {
  input: (shape, name) => input({ shape, name }),
  use: (kind, options, x) => new (kinds[kind][0] as new (o: Options) => Layer)(options).apply(x),
  model: (inputs, outputs, name) =>
    model({
      inputs: inputs.length === 1 ? inputs[0]! : inputs,
      outputs: outputs.length === 1 ? outputs[0]! : outputs,
      name,
    }),
};

const tfjs: Builder<tfl.SymbolicTensor, tfl.LayersModel> = {
  input: (shape, name) => tfl.input({ shape, name }),
  use: (kind, options, x) =>
    (kinds[kind][1] as (o: Options) => tfl.layers.Layer)(options).apply(x) as tfl.SymbolicTensor,
  model: (inputs, outputs, name) => tfl.model({ inputs, outputs, name }),
};

type Graph = <S, M>(b: Builder<S, M>) => M;

const residual: Graph = (b) => {
  const x = b.input([6, 6, 3], 'res_x');
  let h = b.use('conv2d', { name: 'res_conv1', filters: 4, kernelSize: 3, strides: 2, padding: 'same' }, x);
  h = b.use('batchNormalization', { name: 'res_bn1', momentum: 0.9 }, h);
  h = b.use('reLU', { name: 'res_relu1' }, h);
  h = b.use('conv2d', { name: 'res_conv2', filters: 4, kernelSize: 3, padding: 'same', useBias: false }, h);
  h = b.use('batchNormalization', { name: 'res_bn2', momentum: 0.9 }, h);
  let skip = b.use('conv2d', { name: 'res_proj', filters: 4, kernelSize: 1, strides: 2 }, x);
  skip = b.use('batchNormalization', { name: 'res_bn_proj', momentum: 0.9 }, skip);
  h = b.use('reLU', { name: 'res_relu2' }, b.use('add', { name: 'res_add' }, [h, skip]));
  h = b.use('globalAveragePooling2d', { name: 'res_gap' }, h);
  return b.model([x], [b.use('dense', { name: 'res_head', units: 3 }, h)], 'residual');
};

const twoInTwoOut: Graph = (b) => {
  const img = b.input([5, 5, 2], 'two_img');
  const vec = b.input([4], 'two_vec');
  let i = b.use('conv2d', { name: 'two_conv', filters: 3, kernelSize: 3, activation: 'relu' }, img);
  i = b.use('globalAveragePooling2d', { name: 'two_gap' }, i);
  const v = b.use('dense', { name: 'two_vec_dense', units: 3, activation: 'tanh' }, vec);
  const prod = b.use('multiply', { name: 'two_mul' }, [i, v]);
  const mean = b.use('average', { name: 'two_avg' }, [i, v]);
  const hi = b.use('maximum', { name: 'two_max' }, [prod, mean]);
  const lo = b.use('minimum', { name: 'two_min' }, [prod, v]);
  const both = b.use('concatenate', { name: 'two_cat' }, [hi, lo]);
  const logits = b.use('dense', { name: 'two_logits', units: 3 }, both);
  const value = b.use('dense', { name: 'two_value', units: 2 }, mean);
  return b.model([img, vec], [logits, value], 'two_in_two_out');
};

// ---- weights -------------------------------------------------------------------------------------

const toTf = (t: Tensor) => tf.tensor(Array.from(t.data), [...t.shape], 'float32');

/** Both models, Sinapse's weights seeded random (positive variances) and copied into TF.js by layer name. */
function twins(graph: Graph, weightSeed: number): { ours: Model<Tensor | Tensor[]>; theirs: tfl.LayersModel } {
  seed(weightSeed);
  const ours = graph(sinapse);
  const theirs = graph(tfjs);
  const g = new Generator(weightSeed);
  for (const w of ours.weights) {
    const [low, high] = w.name.endsWith('moving_variance')
      ? [0.5, 2]
      : w.name.endsWith('gamma')
        ? [0.5, 1.5]
        : [-0.6, 0.6];
    w.assign(rand(w.shape, { low, high, generator: g }).data);
  }
  for (const layer of ours.layers) {
    if (layer.weights.length > 0) theirs.getLayer(layer.name).setWeights(layer.getWeights().map(toTf));
  }
  return { ours, theirs };
}

/** Every weight of every layer, both sides, by layer name (trainable and moving statistics). */
function expectSameWeights(ours: Model<Tensor | Tensor[]>, theirs: tfl.LayersModel, when: string): number {
  let compared = 0;
  for (const layer of ours.layers) {
    const want = theirs.getLayer(layer.name).getWeights();
    const got = layer.getWeights();
    expect(got.length, `${layer.name}: number of weights`).toBe(want.length);
    got.forEach((w, j) => {
      const e = want[j]!.dataSync();
      for (let i = 0; i < w.size; i++) {
        if (!(Math.abs(w.data[i]! - e[i]!) <= TOL * (1 + Math.abs(e[i]!)))) {
          expect.fail(
            `${when}: ${layer.name} weight ${j} element ${i}: Sinapse ${w.data[i]}, TF.js ${e[i]} (tolerance ${TOL})`,
          );
        }
      }
      compared++;
    });
  }
  return compared;
}

function oneHot(n: number, classes: number, g: Generator): Tensor {
  const rows = Array.from({ length: n }, () => {
    const k = g.int(0, classes - 1);
    return Array.from({ length: classes }, (_, c) => (c === k ? 1 : 0));
  });
  return tensor(rows);
}

/** TF.js's softmax cross-entropy on logits, the mean over the batch (its default reduction), as Sinapse's. */
const tfSoftmaxCrossEntropy = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred);
/** TF.js's mean squared error, the mean over every element, as Sinapse's. */
const tfMeanSquaredError = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.meanSquaredError(yTrue, yPred);

// ---- the steps -----------------------------------------------------------------------------------

describe('training steps of functional models vs TF.js trainOnBatch, SGD lr 0.1 momentum 0.9', () => {
  /** (a): two trainSteps (with this momentum) against two trainOnBatch calls, comparing losses and weights after each. */
  async function residualSteps(momentum: number): Promise<void> {
    const { ours, theirs } = twins(residual, 3);
    const g = new Generator(4);
    const x = rand([4, 6, 6, 3], { low: -1, high: 1, generator: g });
    const y = oneHot(4, 3, g);
    const optimizer = new SGD({ learningRate: 0.1, momentum });
    theirs.compile({ optimizer: tf.train.momentum(0.1, 0.9), loss: tfSoftmaxCrossEntropy });
    // conv1 kernel+bias, bn1 gamma/beta/moving mean/variance, conv2 kernel, bn2, projection, its bn, head
    expect(expectSameWeights(ours, theirs, 'before training')).toBe(2 + 4 + 1 + 4 + 2 + 4 + 2);
    for (let step = 1; step <= 2; step++) {
      const loss = trainStep(ours as Model, x, y, { loss: 'softmaxCrossEntropy', optimizer });
      const tfLoss = (await theirs.trainOnBatch(toTf(x), toTf(y))) as number;
      expect(Math.abs(loss - tfLoss), `loss of step ${step}: Sinapse ${loss}, TF.js ${tfLoss}`).toBeLessThan(
        TOL * (1 + Math.abs(tfLoss)),
      );
      expectSameWeights(ours, theirs, `after step ${step}`);
    }
  }

  it('(a) residual block, softmax cross-entropy: trainStep = compile + trainOnBatch, step by step', async () => {
    await residualSteps(0.9);
  });

  it('the comparison can fail: momentum 0.8 on our side agrees after step 1 and not after step 2', async () => {
    await expect(residualSteps(0.8)).rejects.toThrow(/^after step 2: .* Sinapse .* TF\.js/);
  });

  it('(c) two inputs and two outputs, cross-entropy + mean squared error, by a hand-written step', async () => {
    const { ours, theirs } = twins(twoInTwoOut, 5);
    const g = new Generator(6);
    const img = rand([4, 5, 5, 2], { low: -1, high: 1, generator: g });
    const vec = rand([4, 4], { low: -1, high: 1, generator: g });
    const labels = oneHot(4, 3, g);
    const targets = rand([4, 2], { low: -1, high: 1, generator: g });
    const optimizer = new SGD({ learningRate: 0.1, momentum: 0.9 });
    theirs.compile({ optimizer: tf.train.momentum(0.1, 0.9), loss: [tfSoftmaxCrossEntropy, tfMeanSquaredError] });
    expect(expectSameWeights(ours, theirs, 'before training')).toBe(8);
    for (let step = 1; step <= 2; step++) {
      // trainStep's model has one input and one output, so the step is written out
      const [logits, value] = ours.applyAll([img, vec], { training: true });
      const loss = softmaxCrossEntropy(logits!, labels).add(meanSquaredError(value!, targets));
      loss.backward();
      optimizer.step(ours.trainableWeights);
      ours.zeroGrad();
      const [tfTotal] = (await theirs.trainOnBatch([toTf(img), toTf(vec)], [toTf(labels), toTf(targets)])) as number[];
      expect(Math.abs(loss.item() - tfTotal!), `loss of step ${step}`).toBeLessThan(TOL * (1 + Math.abs(tfTotal!)));
      expect(expectSameWeights(ours, theirs, `after step ${step}`)).toBe(8);
    }
  });
});
