/**
 * fromOnnx: graphs toOnnx wrote come back with the same predictions, and networks PyTorch trained
 * shapes of and exported (the committed fixtures of scripts/pytorch-fixtures.py: LeNet-5 with a
 * Flatten of an NCHW image before its Dense layers, a small ResNet with PyTorch's symmetric padding
 * and batch norm nodes) give PyTorch's logits, then fine-tune. No Python is needed to run this.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AveragePooling2D,
  BatchNormalization,
  Conv2D,
  Dense,
  Flatten,
  L2Pooling2D,
  type Layer,
  LocalResponseNormalization,
  MaxPooling2D,
  ReLU,
  ZeroPadding2D,
} from '@sinapse/layers';
import { alexnetMini, lenet5, type Model, resnetMini, Sequential } from '@sinapse/models';
import { ConfigError, Generator, rand, seed, type Tensor, tensor } from '@sinapse/tensor';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../testing/tfjs';
import { toOnnx } from './export';
import { fromOnnx } from './import';
import { AttributeType, DataType, ModelProto } from './proto';

const TOL = 1e-5;
const fixtures = join(import.meta.dirname, 'fixtures');

function randomizeStats(m: Layer, g: Generator): void {
  for (const w of m.weights) {
    if (w.name.endsWith('moving_variance')) w.assign(rand(w.shape, { low: 0.5, high: 2, generator: g }).data);
    else if (/(gamma|beta|moving_mean)$/.test(w.name))
      w.assign(rand(w.shape, { low: -0.5, high: 1.5, generator: g }).data);
  }
}

const asList = (v: Tensor | Tensor[]) => (Array.isArray(v) ? v : [v]);

describe('fromOnnx(toOnnx(model)) predicts as the model', () => {
  it.each([
    ['LeNet-5', () => lenet5()],
    ['AlexNet-mini (LRN, overlapping max pooling)', () => alexnetMini()],
    ['ResNet-mini (batch norm, residual adds, global pooling)', () => resnetMini()],
    [
      'pads, poolings, L2 pooling, LRN, ReLU variants',
      () =>
        new Sequential([
          new ZeroPadding2D({
            inputShape: [9, 8, 2],
            padding: [
              [1, 0],
              [2, 1],
            ],
          }),
          new Conv2D({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'elu' }),
          new LocalResponseNormalization({ depthRadius: 1, alpha: 0.2 }),
          new L2Pooling2D({ poolSize: 2, strides: 1, padding: 'same' }),
          new AveragePooling2D({ poolSize: 2, padding: 'same' }),
          new MaxPooling2D({ poolSize: 2, strides: 1 }),
          new BatchNormalization(),
          new ReLU({ maxValue: 0.7 }),
          new Flatten(),
          new Dense({ units: 5, activation: 'tanh' }),
          new ReLU({ negativeSlope: 0.1 }),
          new Dense({ units: 3, activation: 'softmax' }),
        ]),
    ],
  ] as const)('%s', (_, build) => {
    seed(3);
    const m = build() as Model<Tensor | Tensor[]>;
    randomizeStats(m, new Generator(3));
    const back = fromOnnx<Tensor | Tensor[]>(toOnnx(m));
    expect(back.countParams()).toBe(m.countParams());
    const shape = m.inputShape!;
    const x = rand([2, ...(shape.slice(1) as number[])], { low: -1, high: 1 });
    const want = asList(m.predict(x));
    asList(back.predict(x)).forEach((y, k) => {
      expect(y.shape).toEqual(want[k]!.shape);
      expectClose(`output ${k}`, y.data, want[k]!.data, TOL);
    });
  });
});

describe('fromOnnx: networks exported by PyTorch (torch.onnx.export, NCHW)', () => {
  const logits = JSON.parse(readFileSync(join(fixtures, 'pytorch-logits.json'), 'utf8')) as Record<
    string,
    { inputShape: number[]; input: number[]; logits: number[]; torch: string }
  >;

  /** PyTorch's NCHW input as Sinapse's NHWC. */
  const nhwc = ({ inputShape: [n, c, h, w], input }: { inputShape: number[]; input: number[] }) =>
    tensor(input, [n!, c!, h!, w!]).transpose([0, 2, 3, 1]);

  it.each(['lenet5', 'resnet_small'])('%s: the logits PyTorch computed', async (name) => {
    const bytes = readFileSync(join(fixtures, `${name}.onnx`));
    const fixture = logits[name]!;
    const net = fromOnnx(bytes);
    expect(net.inputShape).toEqual([null, 28, 28, 1]);
    const got = net.predict(nhwc(fixture));
    expect(got.shape).toEqual([3, 10]);
    expectClose(`${name} vs PyTorch ${fixture.torch}`, got.data, fixture.logits, TOL);
    // and the fixture is what ONNX Runtime computes too
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({
      input: new ort.Tensor('float32', Float32Array.from(fixture.input), fixture.inputShape),
    });
    expectClose(`${name}: ONNX Runtime vs PyTorch`, out.logits!.data as Float32Array, fixture.logits, TOL);
  });

  it('resnet_small: PyTorch padding that is not TF same becomes ZeroPadding2D, batch norm a BatchNormalization', () => {
    const net = fromOnnx(readFileSync(join(fixtures, 'resnet_small.onnx')));
    const classes = net.layers.map((l) => l.className);
    expect(classes.filter((c) => c === 'ZeroPadding2D')).toHaveLength(2); // the strided stem conv, the max pool
    expect(classes.filter((c) => c === 'BatchNormalization')).toHaveLength(5);
    expect(classes.filter((c) => c === 'Add')).toHaveLength(2);
  });

  it('lenet5 fine-tunes in Sinapse: SGD steps on a batch lower its loss', () => {
    const fixture = logits.lenet5!;
    const net = fromOnnx(readFileSync(join(fixtures, 'lenet5.onnx')));
    const x = nhwc(fixture);
    const y = tensor(
      [0, 1, 2].flatMap((k) => Array.from({ length: 10 }, (_, j) => (j === k ? 1 : 0))),
      [3, 10],
    );
    const loss = () => net.apply(x, { training: true }).sub(y).square().mean();
    const before = loss().item();
    for (let step = 0; step < 10; step++) {
      net.zeroGrad();
      loss().backward();
      for (const p of net.trainableWeights) p.assign(Float32Array.from(p.data, (w, i) => w - 0.1 * p.grad!.data[i]!));
    }
    expect(loss().item()).toBeLessThan(before * 0.9); // measured: 0.107 → 0.087
  });
});

describe('fromOnnx: what it does not read is an error naming the node', () => {
  /** A one-node graph on an NCHW input [N, 2, 4, 4]. */
  const oneNode = (opType: string, attribute: object[] = [], initializer: object[] = [], extraInputs: string[] = []) =>
    ModelProto.encode(
      ModelProto.fromObject({
        irVersion: 8,
        opsetImport: [{ version: 17 }],
        graph: {
          name: 'g',
          node: [{ opType, name: 'the_node', input: ['x', ...extraInputs], output: ['y'], attribute }],
          initializer,
          input: [
            {
              name: 'x',
              type: {
                tensorType: {
                  elemType: DataType.FLOAT,
                  shape: { dim: [{ dimParam: 'batch' }, { dimValue: 2 }, { dimValue: 4 }, { dimValue: 4 }] },
                },
              },
            },
          ],
          output: [{ name: 'y' }],
        },
      }),
    ).finish();
  const weight = (name: string, dims: number[]) => ({
    name,
    dims,
    dataType: DataType.FLOAT,
    floatData: new Array(dims.reduce((a, b) => a * b, 1)).fill(0.1),
  });

  it.each([
    [
      'an op Sinapse has no layer for',
      oneNode('ConvTranspose'),
      /^fromOnnx: model\.onnx: graph\.node\[0\] 'the_node' \(ConvTranspose\): Sinapse has no layer for ONNX's ConvTranspose; fromOnnx reads Conv, Gemm/,
    ],
    [
      'a grouped convolution',
      oneNode('Conv', [{ name: 'group', type: AttributeType.INT, i: 2 }], [weight('w', [2, 1, 3, 3])], ['w']),
      /model\.onnx: graph\.node\[0\] 'the_node' \(Conv\): group 2 is not read/,
    ],
    [
      'max pooling with pads zeros would change',
      oneNode('MaxPool', [
        { name: 'kernel_shape', type: AttributeType.INTS, ints: [3, 3] },
        { name: 'strides', type: AttributeType.INTS, ints: [2, 2] },
        { name: 'pads', type: AttributeType.INTS, ints: [1, 1, 1, 1] },
      ]),
      /graph\.node\[0\] 'the_node' \(MaxPool\): pads \[1, 1, 1, 1\] are not TF's 'same' \[0, 0, 1, 1\], and zero padding would change this op/,
    ],
  ])('%s', (_, bytes, message) => {
    expect(() => fromOnnx(bytes)).toThrow(ConfigError);
    expect(() => fromOnnx(bytes)).toThrow(message);
  });

  it('bytes that are not ONNX', () => {
    expect(() => fromOnnx(new Uint8Array([1, 2, 3, 4, 5]))).toThrow(
      /^fromOnnx: model\.onnx: the bytes are not an ONNX model/,
    );
  });
});
