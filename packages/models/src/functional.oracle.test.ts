/**
 * Functional models against TF.js layers' `tf.model` (CPU backend, a devDependency only). Each
 * graph is written once, against a small builder interface, and built twice: with Sinapse layers
 * and with TF.js layers of the same names and options. Every Sinapse weight gets seeded random
 * values (batch-norm variances positive) and is copied into the TF.js layer of the same name with
 * setWeights. Then both run on the same random inputs and we compare
 *   - the outputs (predict, inference mode: batch norm uses its moving statistics);
 *   - the gradients of L = Σ_k Σ r_k ⊙ y_k (a random cotangent r_k per output) with respect to
 *     every input and every trainable weight: `loss.backward()` and `.grad` here, tf.variableGrads
 *     through `model.apply` there;
 *   - for the residual block, the same in training mode (batch statistics), and the moving
 *     statistics that training-mode call leaves.
 * Both compute in float32 with different summation orders, so values agree to float32 rounding,
 * not bit for bit: outputs and gradients within 1e-5 relative to 1 + |value|.
 */
import {
  Add,
  Average,
  AveragePooling2D,
  BatchNormalization,
  Concatenate,
  Conv2D,
  Dense,
  Flatten,
  GlobalAveragePooling2D,
  InputLayer,
  input,
  type Layer,
  Maximum,
  MaxPooling2D,
  Minimum,
  Multiply,
  ReLU,
  type SymbolicTensor,
} from '@sinapse/layers';
import { Generator, mul, rand, seed, type Tensor } from '@sinapse/tensor';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { Model, model } from './Model';
import { Sequential } from './Sequential';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const OUTPUT_TOL = 1e-5;
// measured: outputs within 2e-7, gradients within 4e-7 (relative to 1 + |value|)
const GRAD_TOL = 1e-5;

// ---- one graph, two frameworks -------------------------------------------------------------------

type Options = Record<string, unknown>;

/** The layers the graphs use, with the same option names in both frameworks. */
const kinds = {
  conv2d: [Conv2D, tfl.layers.conv2d],
  batchNormalization: [BatchNormalization, tfl.layers.batchNormalization],
  reLU: [ReLU, tfl.layers.reLU],
  dense: [Dense, tfl.layers.dense],
  flatten: [Flatten, tfl.layers.flatten],
  maxPooling2d: [MaxPooling2D, tfl.layers.maxPooling2d],
  averagePooling2d: [AveragePooling2D, tfl.layers.averagePooling2d],
  globalAveragePooling2d: [GlobalAveragePooling2D, tfl.layers.globalAveragePooling2d],
  add: [Add, tfl.layers.add],
  multiply: [Multiply, tfl.layers.multiply],
  average: [Average, tfl.layers.average],
  maximum: [Maximum, tfl.layers.maximum],
  minimum: [Minimum, tfl.layers.minimum],
  concatenate: [Concatenate, tfl.layers.concatenate],
} as const;
type Kind = keyof typeof kinds;

/** What a graph definition needs: symbolic tensors S and layers L of one framework. */
interface Builder<S, L> {
  input(shape: number[], name: string): S;
  layer(kind: Kind, options: Options & { name: string }): L;
  call(layer: L, x: S | S[]): S;
  model(inputs: S[], outputs: S[], name: string): L;
  sequential(layers: L[], name: string): L;
}

const sinapse: Builder<SymbolicTensor, Layer> = {
  input: (shape, name) => input({ shape, name }),
  layer: (kind, options) => new (kinds[kind][0] as new (o: Options) => Layer)(options),
  call: (layer, x) => layer.apply(x),
  // one tensor, not a list of one, so predict returns one tensor as TF.js does
  model: (inputs, outputs, name) =>
    model({
      inputs: inputs.length === 1 ? inputs[0]! : inputs,
      outputs: outputs.length === 1 ? outputs[0]! : outputs,
      name,
    }),
  sequential: (layers, name) => new Sequential(layers, { name }),
};

const tfjs: Builder<tfl.SymbolicTensor, tfl.layers.Layer> = {
  input: (shape, name) => tfl.input({ shape, name }),
  layer: (kind, options) => (kinds[kind][1] as (o: Options) => tfl.layers.Layer)(options),
  call: (layer, x) => layer.apply(x) as tfl.SymbolicTensor,
  model: (inputs, outputs, name) => tfl.model({ inputs, outputs, name }),
  sequential: (layers, name) => tfl.sequential({ layers, name }),
};

/** A graph definition: builds a model in whichever framework it is given. */
type Graph = <S, L>(b: Builder<S, L>) => L;

/** `b.call(b.layer(kind, options), x)`: one layer used once. */
function use<S, L>(b: Builder<S, L>, kind: Kind, options: Options & { name: string }, x: S | S[]): S {
  return b.call(b.layer(kind, options), x);
}

// (a) conv-BN-relu-conv-BN plus a strided 1x1 projection of the input, added, relu; then global
// average pooling and a Dense head: ResNet's downsampling block
const residual: Graph = (b) => {
  const x = b.input([8, 8, 3], 'res_x');
  let h = use(b, 'conv2d', { name: 'res_conv1', filters: 4, kernelSize: 3, strides: 2, padding: 'same' }, x);
  h = use(b, 'batchNormalization', { name: 'res_bn1', momentum: 0.9 }, h);
  h = use(b, 'reLU', { name: 'res_relu1' }, h);
  h = use(b, 'conv2d', { name: 'res_conv2', filters: 4, kernelSize: 3, padding: 'same', useBias: false }, h);
  h = use(b, 'batchNormalization', { name: 'res_bn2', momentum: 0.9, epsilon: 1e-5 }, h);
  let skip = use(b, 'conv2d', { name: 'res_proj', filters: 4, kernelSize: 1, strides: 2 }, x);
  skip = use(b, 'batchNormalization', { name: 'res_bn_proj', momentum: 0.9 }, skip);
  h = use(b, 'add', { name: 'res_add' }, [h, skip]);
  h = use(b, 'reLU', { name: 'res_relu2' }, h);
  h = use(b, 'globalAveragePooling2d', { name: 'res_gap' }, h);
  return b.model([x], [use(b, 'dense', { name: 'res_head', units: 5 }, h)], 'residual');
};

// (b) GoogLeNet's module: 1x1, 1x1→3x3, 1x1→5x5 and 3x3 max pool→1x1 branches, joined along the channels
const inception: Graph = (b) => {
  const x = b.input([7, 7, 4], 'inc_x');
  const relu = { activation: 'relu', padding: 'same' };
  const b1 = use(b, 'conv2d', { name: 'inc_1x1', filters: 3, kernelSize: 1, ...relu }, x);
  let b2 = use(b, 'conv2d', { name: 'inc_3x3_reduce', filters: 2, kernelSize: 1, ...relu }, x);
  b2 = use(b, 'conv2d', { name: 'inc_3x3', filters: 3, kernelSize: 3, ...relu }, b2);
  let b3 = use(b, 'conv2d', { name: 'inc_5x5_reduce', filters: 2, kernelSize: 1, ...relu }, x);
  b3 = use(b, 'conv2d', { name: 'inc_5x5', filters: 2, kernelSize: 5, ...relu }, b3);
  let b4 = use(b, 'maxPooling2d', { name: 'inc_pool', poolSize: 3, strides: 1, padding: 'same' }, x);
  b4 = use(b, 'conv2d', { name: 'inc_pool_proj', filters: 2, kernelSize: 1, ...relu }, b4);
  const cat = use(b, 'concatenate', { name: 'inc_cat', axis: -1 }, [b1, b2, b3, b4]);
  const pooled = use(b, 'averagePooling2d', { name: 'inc_avg', poolSize: 3, strides: 2 }, cat);
  const flat = use(b, 'flatten', { name: 'inc_flat' }, pooled);
  return b.model([x], [use(b, 'dense', { name: 'inc_head', units: 3 }, flat)], 'inception');
};

// (c) an image and a vector in, class logits and a regression value out, through the other merge layers
const twoInTwoOut: Graph = (b) => {
  const img = b.input([6, 6, 3], 'two_img');
  const vec = b.input([5], 'two_vec');
  let i = use(b, 'conv2d', { name: 'two_conv', filters: 4, kernelSize: 3, activation: 'relu' }, img);
  i = use(b, 'globalAveragePooling2d', { name: 'two_gap' }, i);
  const v = use(b, 'dense', { name: 'two_vec_dense', units: 4, activation: 'tanh' }, vec);
  const prod = use(b, 'multiply', { name: 'two_mul' }, [i, v]);
  const mean = use(b, 'average', { name: 'two_avg' }, [i, v]);
  const hi = use(b, 'maximum', { name: 'two_max' }, [prod, mean]);
  const lo = use(b, 'minimum', { name: 'two_min' }, [prod, v, mean]);
  const both = use(b, 'concatenate', { name: 'two_cat' }, [hi, lo]);
  const logits = use(b, 'dense', { name: 'two_logits', units: 3 }, both);
  const value = use(b, 'dense', { name: 'two_value', units: 1 }, mean);
  return b.model([img, vec], [logits, value], 'two_in_two_out');
};

// (d) one conv applied to two images (a siamese pair), a small functional model applied to both
// branches, and one Dense applied twice in a row: each shared weight gets the sum of its uses' gradients
const shared: Graph = (b) => {
  const left = b.input([5, 5, 2], 'sh_left');
  const right = b.input([5, 5, 2], 'sh_right');
  const conv = b.layer('conv2d', { name: 'sh_conv', filters: 3, kernelSize: 3, activation: 'relu' });
  const gap = b.layer('globalAveragePooling2d', { name: 'sh_gap' });
  const z = b.input([3], 'sh_inner_x');
  const inner = b.model(
    [z],
    [use(b, 'dense', { name: 'sh_inner_dense', units: 3, activation: 'tanh' }, z)],
    'sh_inner',
  );
  const l = b.call(inner, b.call(gap, b.call(conv, left)));
  const r = b.call(inner, b.call(gap, b.call(conv, right)));
  const sum = use(b, 'add', { name: 'sh_add' }, [l, r]);
  const dense = b.layer('dense', { name: 'sh_dense', units: 3, activation: 'tanh' });
  const twice = b.call(dense, b.call(dense, sum));
  return b.model([left, right], [use(b, 'dense', { name: 'sh_head', units: 2 }, twice)], 'shared');
};

// (e1) a Sequential used as one layer of a functional model
const sequentialInFunctional: Graph = (b) => {
  const x = b.input([6, 6, 2], 'nest_x');
  const h = use(b, 'conv2d', { name: 'nest_conv0', filters: 4, kernelSize: 3, padding: 'same' }, x);
  const block = b.sequential(
    [
      b.layer('conv2d', { name: 'nest_conv1', filters: 4, kernelSize: 3, padding: 'same', inputShape: [6, 6, 4] }),
      b.layer('batchNormalization', { name: 'nest_bn' }),
      b.layer('reLU', { name: 'nest_relu' }),
    ],
    'nest_block',
  );
  const sum = use(b, 'add', { name: 'nest_add' }, [h, b.call(block, h)]);
  const pooled = use(b, 'globalAveragePooling2d', { name: 'nest_gap' }, sum);
  return b.model([x], [use(b, 'dense', { name: 'nest_head', units: 2 }, pooled)], 'sequential_in_functional');
};

// (e2) a functional model used as the first layer of a Sequential
const functionalInSequential: Graph = (b) => {
  const v = b.input([5], 'inner_x');
  const p = use(b, 'dense', { name: 'inner_a', units: 4, activation: 'relu' }, v);
  const q = use(b, 'dense', { name: 'inner_b', units: 4 }, v);
  const inner = b.model([v], [use(b, 'maximum', { name: 'inner_max' }, [p, q])], 'inner');
  return b.sequential([inner, b.layer('dense', { name: 'outer_head', units: 3 })], 'functional_in_sequential');
};

// ---- weights, running, comparing -----------------------------------------------------------------

/** The layers that hold weights, looking inside nested models (each once). */
function leafLayers(layer: Layer): Layer[] {
  if (layer instanceof Model) return [...new Set(layer.layers.flatMap(leafLayers))];
  return layer instanceof InputLayer ? [] : [layer];
}

/** The TF.js layer of this name, looking inside nested models. */
function tfLayerNamed(m: tfl.LayersModel, name: string): tfl.layers.Layer {
  for (const layer of m.layers) {
    if (layer.name === name) return layer;
    if (layer instanceof tfl.LayersModel) {
      try {
        return tfLayerNamed(layer, name);
      } catch {}
    }
  }
  throw new Error(`TF.js model '${m.name}' has no layer named '${name}'`);
}

const toTf = (t: Tensor) => tf.tensor(Array.from(t.data), [...t.shape], 'float32');

/** Seeded random values for every Sinapse weight; a positive variance for batch norm. */
function randomizeWeights(m: Layer, g: Generator): void {
  for (const w of m.weights) {
    const [low, high] = w.name.endsWith('moving_variance')
      ? [0.5, 2]
      : w.name.endsWith('gamma')
        ? [0.5, 1.5]
        : [-0.6, 0.6];
    w.assign(rand(w.shape, { low, high, generator: g }).data);
  }
}

interface Twins {
  ours: Model<Tensor | Tensor[]>;
  theirs: tfl.LayersModel;
  leaves: Layer[];
}

/** Builds the graph in both frameworks and copies Sinapse's (random) weights into TF.js, layer by name. */
function twins(graph: Graph, weightSeed: number): Twins {
  seed(weightSeed);
  const ours = graph(sinapse) as Model<Tensor | Tensor[]>;
  const theirs = graph(tfjs) as tfl.LayersModel;
  randomizeWeights(ours, new Generator(weightSeed));
  const leaves = leafLayers(ours);
  for (const layer of leaves) tfLayerNamed(theirs, layer.name).setWeights(layer.getWeights().map(toTf));
  return { ours, theirs, leaves };
}

function expectClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= tol * (1 + Math.abs(e)))) {
      expect.fail(`${what}, element ${i}: Sinapse ${a}, TF.js ${e} (tolerance ${tol})`);
    }
  }
}

const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

function randomInputs(m: Model<Tensor | Tensor[]>, batch: number, g: Generator): Tensor[] {
  return m.inputShapes.map((s) => rand([batch, ...(s.slice(1) as number[])], { low: -1, high: 1, generator: g }));
}

/** predict (inference mode) in both, output by output. */
function expectSamePredictions({ ours, theirs }: Twins, xs: Tensor[]): void {
  const got = asList(ours.predict(xs.length === 1 ? xs[0]! : xs));
  const want = asList(theirs.predict(xs.length === 1 ? toTf(xs[0]!) : xs.map(toTf)) as tf.Tensor | tf.Tensor[]);
  expect(got).toHaveLength(want.length);
  got.forEach((y, k) => {
    expect(y.shape, `output ${k} shape`).toEqual(want[k]!.shape);
    expectClose(`output ${k}`, y.data, want[k]!.dataSync(), OUTPUT_TOL);
  });
}

/**
 * One forward (in `training` mode) and backward in both, of L = Σ_k Σ r_k ⊙ y_k; compares the
 * outputs, the gradients w.r.t. each input and each trainable weight of each layer. Returns how many
 * gradient tensors were compared.
 */
function expectSameGradients({ ours, theirs, leaves }: Twins, xs: Tensor[], training: boolean, g: Generator): number {
  for (const x of xs) x.requiresGrad = true;
  ours.zeroGrad();
  const ys = ours.applyAll(xs.length === 1 ? xs[0]! : xs, { training });
  const rs = ys.map((y) => rand(y.shape, { low: -1, high: 1, generator: g }));
  ys.map((y, k) => mul(y, rs[k]!).sum())
    .reduce((a, b) => a.add(b))
    .backward();

  const xVars = xs.map((x) => tf.variable(toTf(x)));
  const weightVars = leaves.map((layer) =>
    tfLayerNamed(theirs, layer.name).trainableWeights.map((w) => w.read() as tf.Variable),
  );
  let tfOutputs: tf.Tensor[] = [];
  const { grads } = tf.variableGrads(() => {
    const outs = asList(theirs.apply(xVars.length === 1 ? xVars[0]! : xVars, { training }) as tf.Tensor | tf.Tensor[]);
    tfOutputs = outs.map((o) => tf.keep(o.clone()));
    return outs.map((o, k) => tf.sum(tf.mul(o, toTf(rs[k]!)))).reduce((a, b) => tf.add(a, b)) as tf.Scalar;
  }, [...xVars, ...weightVars.flat()]);

  ys.forEach((y, k) => {
    expectClose(`output ${k} (training ${training})`, y.data, tfOutputs[k]!.dataSync(), OUTPUT_TOL);
  });
  let compared = 0;
  xs.forEach((x, i) => {
    expectClose(`d L / d input ${i}`, x.grad!.data, grads[xVars[i]!.name]!.dataSync(), GRAD_TOL);
    compared++;
  });
  leaves.forEach((layer, l) => {
    const mine = layer.trainableWeights;
    expect(mine.map((w) => w.shape)).toEqual(weightVars[l]!.map((v) => v.shape));
    mine.forEach((w, j) => {
      expect(w.grad, `${w.name} has a gradient`).not.toBeNull();
      expectClose(`d L / d ${w.name}`, w.grad!.data, grads[weightVars[l]![j]!.name]!.dataSync(), GRAD_TOL);
      compared++;
    });
  });
  for (const x of xs) x.requiresGrad = false;
  return compared;
}

// ---- the cases -----------------------------------------------------------------------------------

describe('functional models vs TF.js tf.model, same weights', () => {
  const cases: Array<[string, Graph, number, number]> = [
    // [title, graph, input + trainable weight tensors, batch]
    ['(a) residual block with a projection shortcut', residual, 1 + 2 + 2 + 1 + 2 * 3 + 2, 3],
    ['(b) Inception-style block', inception, 1 + 2 * 7, 2],
    ['(c) two inputs, two outputs', twoInTwoOut, 2 + 2 * 4, 4],
    ['(d) a shared conv, a shared nested model and a Dense applied twice', shared, 2 + 2 * 4, 3],
    ['(e1) a Sequential inside a functional model', sequentialInFunctional, 1 + 2 * 4, 2],
    ['(e2) a functional model inside a Sequential', functionalInSequential, 1 + 2 * 3, 4],
  ];

  it.each(cases)('%s: same parameter count, output shapes and layer names', (_title, graph) => {
    const { ours, theirs, leaves } = twins(graph, 1);
    expect(ours.countParams()).toBe(theirs.countParams());
    expect(ours.outputShapes).toEqual(theirs.outputs.map((t) => t.shape));
    expect(leaves.length).toBeGreaterThan(0);
  });

  it.each(cases)('%s: predict and gradients in inference mode', (_title, graph, tensors, batch) => {
    const pair = twins(graph, 11);
    const g = new Generator(12);
    const xs = randomInputs(pair.ours, batch, g);
    expectSamePredictions(pair, xs);
    expect(expectSameGradients(pair, xs, false, g)).toBe(tensors);
  });

  it('(a) residual block in training mode: outputs, gradients (batch statistics) and the moving statistics after', () => {
    const pair = twins(residual, 21);
    const g = new Generator(22);
    const xs = randomInputs(pair.ours, 4, g);
    const norms = pair.leaves.filter((l) => l instanceof BatchNormalization);
    expect(norms).toHaveLength(3);
    const before = norms.map((l) => l.getWeights().map((w) => Array.from(w.data)));
    expect(expectSameGradients(pair, xs, true, g)).toBe(14);
    // the training-mode call moved each batch norm's moving statistics towards the batch's, in both
    norms.forEach((layer, n) => {
      const theirs = tfLayerNamed(pair.theirs, layer.name).getWeights();
      layer.getWeights().forEach((w, j) => {
        expectClose(
          `${layer.name} weight ${j} after the training-mode call`,
          w.data,
          theirs[j]!.dataSync(),
          OUTPUT_TOL,
        );
        // gamma and beta stay; the moving mean and variance move
        if (j >= 2) expect(Array.from(w.data)).not.toEqual(before[n]![j]);
      });
    });
  });

  it('the comparison can fail: one perturbed weight copied to TF.js turns it red', () => {
    const pair = twins(inception, 31);
    const layer = pair.ours.getLayer('inc_5x5');
    const [kernel, bias] = layer.getWeights();
    kernel!.data[7] = kernel!.data[7]! + 1e-2;
    tfLayerNamed(pair.theirs, 'inc_5x5').setWeights([toTf(kernel!), toTf(bias!)]);
    const xs = randomInputs(pair.ours, 2, new Generator(32));
    expect(() => expectSamePredictions(pair, xs)).toThrow(/output 0, element \d+: Sinapse/);
    expect(() => expectSameGradients(pair, xs, false, new Generator(33))).toThrow(/Sinapse .* TF\.js/);
  });
});
