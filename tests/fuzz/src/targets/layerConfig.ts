/**
 * Layer configs, the `{ className, config }` form a model.json holds for each layer, read through
 * `deserializeLayer`; with an input shape beside it, so the config's arithmetic runs too: the
 * output shape (computeOutputShape) and the weights it plans (weightInfo, no allocation), then,
 * when both are small, a forward pass on zeros. The valid inputs are the serialized forms of real
 * layers of every kind, with options off their defaults (initializers, regularizers, strides).
 * The file is `layer.json`: { className, config, inputShape }.
 */
import {
  Activation,
  Add,
  AveragePooling2D,
  BatchNormalization,
  Concatenate,
  Conv1D,
  Conv2D,
  Conv2DTranspose,
  Cropping2D,
  Dense,
  DepthwiseConv2D,
  Dropout,
  deserializeLayer,
  ELU,
  Flatten,
  GaussianNoise,
  GlobalAveragePooling2D,
  type Layer,
  LayerNormalization,
  type LayerShape,
  type LayerShapes,
  LeakyReLU,
  LocalResponseNormalization,
  l2,
  MAX_DIM,
  MaxPooling2D,
  PReLU,
  Reshape,
  SeparableConv2D,
  serializeLayer,
  UpSampling2D,
  ZeroPadding2D,
} from '@sinapse/layers';
import { noGrad, ValueError, zeros } from '@sinapse/tensor';
import fc from 'fast-check';
import { unmeasured } from '../allocations';
import { editJson, mutated } from '../mutate';
import type { FuzzCase, FuzzTarget } from '../target';

const FILE = 'layer.json';
const encoder = new TextEncoder();

let bases: { description: string; json: unknown }[] | null = null;

function validConfigs() {
  if (bases !== null) return bases;
  const image = (h: number, c: number): LayerShape => [null, h, h, c];
  const list: [Layer, LayerShapes][] = [
    [
      new Conv2D({
        name: 'conv1',
        filters: 6,
        kernelSize: 5,
        padding: 'same',
        activation: 'relu',
        kernelRegularizer: l2(1e-4),
      }),
      image(28, 1),
    ],
    [
      new Conv2D({ name: 'conv2', filters: 4, kernelSize: [3, 2], strides: 2, dilationRate: 1, useBias: false }),
      image(9, 3),
    ],
    [new MaxPooling2D({ name: 'pool', poolSize: 2, strides: 2 }), image(28, 6)],
    [new AveragePooling2D({ name: 'avg', poolSize: 3, strides: 1, padding: 'same' }), image(7, 3)],
    [new GlobalAveragePooling2D({ name: 'gap' }), image(5, 3)],
    [
      new Dense({
        name: 'fc1',
        units: 120,
        activation: 'relu',
        biasInitializer: 'ones',
        kernelInitializer: 'heNormal',
      }),
      [null, 400],
    ],
    [new Flatten({ name: 'flat' }), image(5, 16)],
    [new BatchNormalization({ name: 'bn', momentum: 0.9, epsilon: 1e-3 }), image(8, 4)],
    [new DepthwiseConv2D({ name: 'dw', kernelSize: 3, depthMultiplier: 2, padding: 'same' }), image(8, 3)],
    [new SeparableConv2D({ name: 'sep', filters: 4, kernelSize: 3 }), image(8, 3)],
    [new Conv2DTranspose({ name: 'up', filters: 2, kernelSize: 3, strides: 2, padding: 'same' }), image(4, 3)],
    [new Conv1D({ name: 'c1d', filters: 2, kernelSize: 3 }), [null, 10, 3]],
    [new UpSampling2D({ name: 'ups', size: 2 }), image(3, 1)],
    [new ZeroPadding2D({ name: 'pad', padding: [1, 2] }), image(6, 2)],
    [new Cropping2D({ name: 'crop', cropping: 1 }), image(6, 2)],
    [new Dropout({ name: 'drop', rate: 0.5, seed: 1 }), [null, 10]],
    [new GaussianNoise({ name: 'noise', stddev: 0.1 }), [null, 10]],
    [new Reshape({ name: 'reshape', targetShape: [4, -1] }), [null, 16]],
    [new LayerNormalization({ name: 'ln' }), [null, 6]],
    [new LocalResponseNormalization({ name: 'lrn' }), image(5, 4)],
    [new PReLU({ name: 'prelu' }), [null, 4]],
    [new LeakyReLU({ name: 'leaky' }), [null, 4]],
    [new ELU({ name: 'elu' }), [null, 4]],
    [new Activation({ name: 'act', activation: 'softmax' }), [null, 5]],
    [
      new Add({ name: 'add' }),
      [
        [null, 4],
        [null, 4],
      ],
    ],
    [new Concatenate({ name: 'cat', axis: -1 }), [image(3, 2), image(3, 5)]],
  ];
  bases = list.map(([layer, inputShape]) => ({
    description: `${layer.className} '${layer.name}'`,
    json: { ...serializeLayer(layer), inputShape },
  }));
  return bases;
}

const base: fc.Arbitrary<FuzzCase> = fc.nat().map((i) => {
  const all = validConfigs();
  const b = all[i % all.length]!;
  return { files: { [FILE]: encoder.encode(JSON.stringify(b.json)) }, description: b.description };
});

/** A shape the harness can trust (the input shape is the user's, not part of the config format). */
function isShape(s: unknown): s is LayerShape {
  return (
    Array.isArray(s) &&
    s.length >= 1 &&
    s[0] === null &&
    s.slice(1).every((d) => Number.isInteger(d) && d > 0 && d <= MAX_DIM)
  );
}

const size = (s: readonly (number | null)[]) => s.reduce<number>((a, d) => a * (d ?? 1), 1);

export const layerConfigTarget: FuzzTarget = {
  name: 'layer-config',
  arbitrary: fc.oneof(
    { arbitrary: base, weight: 1 },
    // mostly the options (a class name is one field, and edits of it end at the registry)
    { arbitrary: mutated(base, [editJson(FILE, /^config\./, undefined, 0.85)], 4), weight: 9 },
  ),
  async run(c) {
    const bytes = c.files[FILE];
    if (bytes === undefined) throw new ValueError(`${FILE} is missing`);
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch (err) {
      throw new ValueError(`${FILE} is not valid JSON (${(err as Error).message})`);
    }
    const { inputShape, ...serialized } = (json ?? {}) as Record<string, unknown>;
    const layer = deserializeLayer(serialized as never, FILE);
    const shapes: LayerShape[] | null = isShape(inputShape)
      ? [inputShape]
      : Array.isArray(inputShape) && inputShape.length > 0 && inputShape.every(isShape)
        ? (inputShape as LayerShape[])
        : null;
    if (shapes === null) return;
    const given: LayerShapes = isShape(inputShape) ? shapes[0]! : shapes;
    const out = layer.computeOutputShape(given);
    const planned = layer.weightInfo(given).reduce((n, w) => n + size(w.shape), 0);
    // the forward pass only when its input, weights and output are small: a valid config may ask for an
    // output of 17 GB (UpSampling2D size [2, 2^31 - 1]), which is the user's to allocate, not the reader's
    const outputs = (Array.isArray(out[0]) ? out : [out]) as LayerShape[];
    if (planned <= 1e5 && shapes.every((s) => size(s) <= 1e5) && outputs.every((s) => size(s) <= 1e6)) {
      unmeasured(() => {
        const x = isShape(inputShape)
          ? zeros(shapes[0]!.map((d) => d ?? 1))
          : shapes.map((s) => zeros(s.map((d) => d ?? 1)));
        noGrad(() => layer.applyAll(x as never, { training: true }));
      });
    }
  },
};
