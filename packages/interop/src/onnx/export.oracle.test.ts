/**
 * toOnnx against a real engine: ONNX Runtime (onnxruntime-node, CPU, a devDependency) runs every
 * exported layer alone, in its option variants, and LeNet-5, VGG, AlexNet-mini and ResNet-mini, on
 * NHWC inputs; the outputs equal Sinapse's predict within 1e-5 relative to 1 + |value| (float32, other
 * summation orders). The weights are seeded random values, batch-norm variances positive.
 */
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
import { alexnetMini, lenet5, type Model, model, resnetMini, Sequential, vgg } from '@sinapse/models';
import { ConfigError, Generator, rand, seed as seedAll, type Tensor } from '@sinapse/tensor';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../testing/tfjs';
import { toOnnx } from './export';
import { ModelProto } from './proto';

const TOL = 1e-5;

/**
 * Seeded random weights; `statsOnly` keeps the layers' own initialization (seeded too) for the kernels of
 * the deep architectures, whose activations would otherwise grow into the thousands, and randomizes only
 * the batch-norm parameters and statistics.
 */
function randomize(m: Layer, g: Generator, statsOnly = false): void {
  for (const w of m.weights) {
    if (statsOnly && !/(gamma|beta|moving_mean|moving_variance)$/.test(w.name)) continue;
    const [low, high] = w.name.endsWith('moving_variance')
      ? [0.5, 2]
      : w.name.endsWith('gamma')
        ? [0.5, 1.5]
        : [-0.6, 0.6];
    w.assign(rand(w.shape, { low, high, generator: g }).data);
  }
}

/** Runs the exported model in ONNX Runtime and compares every output with Sinapse's predict. */
async function expectSameAsOrt(
  m: Model<Tensor | Tensor[]>,
  seed: number,
  batch = 3,
  statsOnly = false,
): Promise<number> {
  const g = new Generator(seed);
  randomize(m, g, statsOnly);
  const shapes = m.inputShapes.length > 0 ? m.inputShapes : [m.inputShape!];
  const xs = shapes.map((s) => rand([batch, ...(s.slice(1) as number[])], { low: -1.5, high: 1.5, generator: g }));
  const session = await ort.InferenceSession.create(toOnnx(m));
  const feeds = Object.fromEntries(
    session.inputNames.map((name, i) => [
      name,
      new ort.Tensor('float32', Float32Array.from(xs[i]!.data), [...xs[i]!.shape]),
    ]),
  );
  const results = await session.run(feeds);
  const ours = m.predict(xs.length === 1 ? xs[0]! : xs);
  const list = Array.isArray(ours) ? ours : [ours];
  expect(session.outputNames).toHaveLength(list.length);
  let worst = 0;
  session.outputNames.forEach((name, k) => {
    const t = results[name]!;
    expect(t.dims, name).toEqual(list[k]!.shape);
    worst = Math.max(worst, expectClose(name, list[k]!.data, t.data as Float32Array, TOL));
  });
  return worst;
}

/** A Sequential of these layers, made fresh for each run. */
const image =
  (_: unknown, ...layers: Layer[]) =>
  () =>
    new Sequential(layers);
const on = (inputShape: number[]) => ({ inputShape });

const single: [string, () => Model<Tensor | Tensor[]>][] = [
  ['Conv2D valid', image([], new Conv2D({ ...on([7, 7, 3]), filters: 4, kernelSize: 3 }))],
  [
    'Conv2D same, stride 2, odd size (TF puts the extra pad cell bottom/right)',
    image(
      [],
      new Conv2D({ ...on([7, 8, 3]), filters: 5, kernelSize: [3, 4], strides: 2, padding: 'same', activation: 'relu' }),
    ),
  ],
  [
    'Conv2D same, dilation 2, no bias, softmax over channels',
    image(
      [],
      new Conv2D({
        ...on([9, 9, 2]),
        filters: 3,
        kernelSize: 3,
        dilationRate: 2,
        padding: 'same',
        useBias: false,
        activation: 'softmax',
      }),
    ),
  ],
  [
    'Conv2D valid, strides [2, 3], sigmoid / tanh / elu',
    image(
      [],
      new Conv2D({ ...on([10, 11, 2]), filters: 2, kernelSize: 2, strides: [2, 3], activation: 'elu' }),
      new Activation({ activation: 'tanh' }),
      new Activation({ activation: 'sigmoid' }),
    ),
  ],
  [
    'MaxPooling2D valid and same',
    image(
      [],
      new MaxPooling2D({ ...on([7, 7, 2]), poolSize: 2 }),
      new MaxPooling2D({ poolSize: 3, strides: 2, padding: 'same' }),
    ),
  ],
  [
    'AveragePooling2D same (count_include_pad 0) and valid',
    image(
      [],
      new AveragePooling2D({ ...on([7, 6, 2]), poolSize: 3, strides: 2, padding: 'same' }),
      new AveragePooling2D({ poolSize: 2, strides: 1 }),
    ),
  ],
  [
    'L2Pooling2D (LpPool p=2) same and valid',
    image(
      [],
      new L2Pooling2D({ ...on([7, 7, 3]), poolSize: 3, strides: 2, padding: 'same' }),
      new L2Pooling2D({ poolSize: 2 }),
    ),
  ],
  ['GlobalMaxPooling2D', image([], new GlobalMaxPooling2D({ ...on([5, 4, 3]) }))],
  ['GlobalAveragePooling2D keepDims', image([], new GlobalAveragePooling2D({ ...on([5, 4, 3]), keepDims: true }))],
  [
    'BatchNormalization on images and on vectors',
    image(
      [],
      new BatchNormalization({ ...on([4, 4, 3]), epsilon: 0.01 }),
      new Flatten(),
      new BatchNormalization({ center: false }),
    ),
  ],
  ['Dropout is left out', image([], new Dropout({ ...on([6]), rate: 0.5 }), new Dense({ units: 2 }))],
  [
    'LocalResponseNormalization (ONNX alpha = alpha · size)',
    image([], new LocalResponseNormalization({ ...on([3, 3, 7]), depthRadius: 2, alpha: 0.3, bias: 1.5, beta: 0.75 })),
  ],
  [
    'ZeroPadding2D',
    image(
      [],
      new ZeroPadding2D({
        ...on([3, 4, 2]),
        padding: [
          [1, 2],
          [0, 3],
        ],
      }),
    ),
  ],
  [
    'ReLU, ReLU with maxValue (Clip), with negativeSlope (LeakyRelu)',
    image(
      [],
      new ReLU({ ...on([4, 4, 2]) }),
      new Dense({ units: 3 }),
      new ReLU({ maxValue: 0.3 }),
      new ReLU({ negativeSlope: 0.1 }),
    ),
  ],
  ['Dense, softmax', image([], new Dense({ ...on([5]), units: 4, activation: 'softmax' }))],
  [
    'Flatten keeps NHWC order, so the Dense after it keeps its weights',
    image([], new Conv2D({ ...on([5, 5, 2]), filters: 3, kernelSize: 2 }), new Flatten(), new Dense({ units: 4 })),
  ],
  [
    'Reshape to an image and back',
    image(
      [],
      new Dense({ ...on([6]), units: 24 }),
      new Reshape({ targetShape: [2, 3, 4] }),
      new Conv2D({ filters: 2, kernelSize: 2, padding: 'same' }),
      new Reshape({ targetShape: [-1] }),
    ),
  ],
];

function merges(): Model<Tensor[]> {
  const x = input({ shape: [5, 5, 3], name: 'x' });
  const v = input({ shape: [4], name: 'v' });
  const a = new Conv2D({ filters: 4, kernelSize: 3, padding: 'same', name: 'a' }).apply(x);
  const b = new Conv2D({ filters: 4, kernelSize: 1, name: 'b' }).apply(x);
  const c = new Conv2D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c' }).apply(x);
  const parts = [
    new Add().apply([a, b]),
    new Add().apply([a, b, c]),
    new Subtract().apply([a, b]),
    new Multiply().apply([a, b, c]),
    new Average().apply([a, b]),
    new Maximum().apply([a, b, c]),
    new Minimum().apply([a, b]),
  ];
  const cat = new Concatenate({ axis: -1 }).apply(parts);
  const rows = new Concatenate({ axis: 1 }).apply([a, b]);
  const flat = new Concatenate().apply([
    new Flatten().apply(cat),
    new Flatten().apply(rows),
    new Dense({ units: 3 }).apply(v),
  ]);
  return model({
    inputs: [x, v],
    outputs: [new Dense({ units: 2, name: 'logits' }).apply(flat), rows],
    name: 'merges',
  });
}

describe('toOnnx: ONNX Runtime gives what Sinapse gives', () => {
  it.each(single)('%s', async (_, build) => {
    expect(await expectSameAsOrt(build(), 1)).toBeLessThan(TOL);
  });

  it('every merge layer, two inputs, two outputs (one an NHWC image)', async () => {
    expect(await expectSameAsOrt(merges(), 2)).toBeLessThan(TOL);
  });

  it('a Sequential inside a functional model, a shared layer', async () => {
    const x = input({ shape: [6, 6, 1] });
    const trunk = new Sequential([
      new Conv2D({ inputShape: [6, 6, 1], filters: 1, kernelSize: 3, padding: 'same' }),
      new ReLU(),
    ]);
    const shared = new Conv2D({ filters: 2, kernelSize: 1 });
    const y = new Add().apply([shared.apply(trunk.apply(x)), shared.apply(x)]);
    expect(await expectSameAsOrt(model({ inputs: x, outputs: new GlobalAveragePooling2D().apply(y) }), 3)).toBeLessThan(
      TOL,
    );
  });

  it.each([
    ['LeNet-5', () => lenet5()],
    [
      'VGG-11 (batch norm, width / 16, 32x32)',
      () =>
        vgg({
          depth: 11,
          inputShape: [32, 32, 3],
          batchNorm: true,
          widthMultiplier: 1 / 16,
          fcUnits: 32,
          numClasses: 10,
        }),
    ],
    ['AlexNet-mini', () => alexnetMini()],
    ['ResNet-mini', () => resnetMini()],
  ] as const)('%s: the same logits', async (_, build) => {
    seedAll(4);
    expect(await expectSameAsOrt(build(), 4, 2, true)).toBeLessThan(TOL);
  });
});

describe('toOnnx: the model file', () => {
  it('NHWC input with a symbolic batch axis, one Transpose in, weights as initializers, the opset asked for', () => {
    const bytes = toOnnx(lenet5(), { opset: 13 });
    const m = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number }) as {
      irVersion: number;
      opsetImport: { version: number }[];
      graph: {
        node: { opType: string }[];
        input: { type: { tensorType: { shape: { dim: object[] } } } }[];
        initializer: { name: string }[];
      };
    };
    expect(m.irVersion).toBe(7);
    expect(m.opsetImport[0]!.version).toBe(13);
    expect(m.graph.input[0]!.type.tensorType.shape.dim).toEqual([
      { dimParam: 'batch' },
      { dimValue: 28 },
      { dimValue: 28 },
      { dimValue: 1 },
    ]);
    const ops = m.graph.node.map((n) => n.opType);
    expect(ops.filter((o) => o === 'Transpose')).toHaveLength(2); // in, and before Flatten
    expect(ops.filter((o) => o === 'Conv')).toHaveLength(2);
    expect(m.graph.initializer.map((t) => t.name)).toContain('conv1/kernel');
  });

  it('refuses what it cannot write, naming the layer', () => {
    expect(() => toOnnx(new Sequential([new ReLU({ inputShape: [3], threshold: 1, name: 'thr' })]))).toThrow(
      ConfigError,
    );
    expect(() => toOnnx(new Sequential([new ReLU({ inputShape: [3], threshold: 1, name: 'thr' })]))).toThrow(
      "toOnnx: layer 'thr' (ReLU): writes a ReLU with a max value or a negative slope, not threshold 1 with them",
    );
    expect(() => toOnnx(lenet5(), { opset: 9 })).toThrow('toOnnx: opset must be an integer from 13 to 21, but got 9');
    expect(() =>
      toOnnx(new Sequential([new Dense({ inputShape: [3], units: 2, dtype: 'float64', name: 'd64' })])),
    ).toThrow('toOnnx: weight d64/kernel is float64; the export writes float32 graphs');
    expect(() => toOnnx(new Sequential([new Dense({ units: 2 })], { name: 'shapeless' }))).toThrow(
      "toOnnx: Sequential 'shapeless' has no input shape",
    );
  });
});
