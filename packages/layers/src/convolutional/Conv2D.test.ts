import { ConfigError, ShapeError, tensor, zeros } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { Dense } from '../core/Dense';
import { Flatten } from '../core/Flatten';
import { MaxPooling2D } from '../pooling/MaxPooling2D';
import { deserializeLayer, serializeLayer } from '../registry';
import { l2 } from '../regularizers';
import { lectureImage } from '../testing/fixtures';
import { gradCheckLayer } from '../testing/gradCheckLayer';
import { runLayerTest } from '../testing/layerTest';
import { Conv2D, type Conv2DOptions } from './Conv2D';

// The lecture's 4x4 image, reshaped as in the notebook: image.reshape(1, 4, 4, 1)
const image = lectureImage;

describe('Conv2D golden values', () => {
  it('kernel [[1, 0], [0, -1]] + bias 1 with relu on the lecture image: y = relu(x[i, j] − x[i+1, j+1] + 1)', () => {
    const conv = new Conv2D({ filters: 1, kernelSize: 2, activation: 'relu' });
    conv.build([null, 4, 4, 1]);
    conv.setWeights([tensor([1, 0, 0, -1], [2, 2, 1, 1]), tensor([1])]);
    // by hand: 2−4+1 = −1 → 0, 2−6+1 = −3 → 0, 7−1+1 = 7; 9−5+1 = 5, 4−2+1 = 3, 6−4+1 = 3; 8−1+1 = 8, 5−2+1 = 4, 2−6+1 = −3 → 0
    expect(conv.apply(image()).reshape([3, 3]).toArray()).toEqual([
      [0, 0, 7],
      [5, 3, 3],
      [8, 4, 0],
    ]);
  });

  it('bias is one offset per filter, broadcast over every position', () => {
    const conv = new Conv2D({ filters: 2, kernelSize: 1, useBias: true });
    conv.build([null, 2, 2, 1]);
    conv.setWeights([tensor([1, 0], [1, 1, 1, 2]), tensor([10, 20])]);
    // filter 0 copies x and adds 10; filter 1 multiplies by 0 and adds 20
    expect(
      conv
        .apply(tensor([1, 2, 3, 4], [1, 2, 2, 1]))
        .reshape([4, 2])
        .toArray(),
    ).toEqual([
      [11, 20],
      [12, 20],
      [13, 20],
      [14, 20],
    ]);
  });
});

describe('Conv2D layer harness', () => {
  // H_out = floor((H − KH') / s) + 1 ('valid') or ceil(H / s) ('same'), KH' = (kh − 1)·d + 1;
  // params = kh·kw·C·filters + filters (bias)
  const cases: Array<{ title: string; opts: Conv2DOptions; input: number[]; out: number[]; params: number }> = [
    {
      title: "LeNet conv1 5x5x1x6 'same' on 28x28",
      opts: { filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' },
      input: [2, 28, 28, 1],
      out: [2, 28, 28, 6],
      params: 156,
    }, // 5·5·1·6 + 6
    {
      title: "LeNet conv1 5x5x1x6 'valid' on 32x32",
      opts: { filters: 6, kernelSize: 5 },
      input: [2, 32, 32, 1],
      out: [2, 28, 28, 6],
      params: 156,
    }, // 32 − 5 + 1 = 28
    {
      title: 'LeNet conv2 5x5x6x16 on 14x14',
      opts: { filters: 16, kernelSize: 5, activation: 'tanh' },
      input: [1, 14, 14, 6],
      out: [1, 10, 10, 16],
      params: 2416,
    }, // 5·5·6·16 + 16
    {
      title: "3x3 strides=2 'same' on 7x7x3",
      opts: { filters: 8, kernelSize: 3, strides: 2, padding: 'same' },
      input: [2, 7, 7, 3],
      out: [2, 4, 4, 8],
      params: 224,
    }, // ceil(7/2) = 4; 3·3·3·8 + 8
    {
      title: "[3, 2] strides=[2, 1] 'valid' on 9x6x2",
      opts: { filters: 4, kernelSize: [3, 2], strides: [2, 1] },
      input: [1, 9, 6, 2],
      out: [1, 4, 5, 4],
      params: 52,
    }, // (9−3)/2+1 = 4, 6−2+1 = 5; 3·2·2·4 + 4
    {
      title: "3x3 dilationRate=2 'valid' on 9x9",
      opts: { filters: 2, kernelSize: 3, dilationRate: 2 },
      input: [1, 9, 9, 1],
      out: [1, 5, 5, 2],
      params: 20,
    }, // KH' = 5, 9−5+1 = 5; 9·2 + 2
    {
      title: "3x3 dilationRate=[1, 2] 'same' on 6x6",
      opts: { filters: 2, kernelSize: 3, dilationRate: [1, 2], padding: 'same' },
      input: [1, 6, 6, 2],
      out: [1, 6, 6, 2],
      params: 38,
    }, // 3·3·2·2 + 2
    {
      title: '1x1 useBias=false on 4x4x3',
      opts: { filters: 5, kernelSize: 1, useBias: false },
      input: [2, 4, 4, 3],
      out: [2, 4, 4, 5],
      params: 15,
    }, // 1·1·3·5, no bias
    {
      title: '2x2 strides=2 dilationRate=2 (allowed, unlike TF) on 8x8x2',
      opts: { filters: 3, kernelSize: 2, strides: 2, dilationRate: 2, activation: 'relu' },
      input: [1, 8, 8, 2],
      out: [1, 3, 3, 3],
      params: 27,
    }, // KH' = 3, (8−3)/2+1 = 3; 2·2·2·3 + 3
    {
      title: 'AlexNet conv1 11x11x3x96 strides=4 on 227x227',
      opts: { filters: 96, kernelSize: 11, strides: 4 },
      input: [1, 227, 227, 3],
      out: [1, 55, 55, 96],
      params: 34944,
    }, // (227−11)/4+1 = 55; 11·11·3·96 + 96
    {
      title: 'heNormal kernel with l2 regularizer and softmax',
      opts: {
        filters: 3,
        kernelSize: 2,
        kernelInitializer: 'heNormal',
        kernelRegularizer: l2(1e-4),
        activation: 'softmax',
      },
      input: [1, 3, 3, 2],
      out: [1, 2, 2, 3],
      params: 27,
    }, // 2·2·2·3 + 3
  ];
  it.each(cases.map((c) => [c.title, c] as const))('%s', (title, c) => {
    runLayerTest({
      title,
      make: () => new Conv2D(c.opts),
      inputShape: c.input,
      expectedOutputShape: c.out,
      expectedParams: c.params,
    });
  });

  it('declares kernel [kh, kw, inChannels, filters] then bias [filters], named after the layer', () => {
    const conv = new Conv2D({ filters: 6, kernelSize: [5, 3], inputShape: [28, 28, 1], name: 'conv1' });
    expect(conv.weights.map((w) => [w.name, w.shape])).toEqual([
      ['conv1/kernel', [5, 3, 1, 6]],
      ['conv1/bias', [6]],
    ]);
    expect(conv.countParams()).toBe(5 * 3 * 1 * 6 + 6);
  });

  it('serializes to plain JSON and prints its options', () => {
    const conv = new Conv2D({
      filters: 6,
      kernelSize: 5,
      padding: 'same',
      activation: 'relu',
      kernelRegularizer: l2(0.001),
      name: 'conv1',
    });
    const config = serializeLayer(conv).config;
    expect(config).toMatchObject({
      name: 'conv1',
      filters: 6,
      kernelSize: [5, 5],
      strides: [1, 1],
      padding: 'same',
      dilationRate: [1, 1],
      activation: 'relu',
      useBias: true,
      kernelInitializer: { className: 'GlorotUniform', config: {} },
      biasInitializer: { className: 'Zeros', config: {} },
      kernelRegularizer: { className: 'L2', config: { l2: 0.001 } },
      biasRegularizer: null,
    });
    const twin = deserializeLayer(JSON.parse(JSON.stringify(serializeLayer(conv)))) as Conv2D;
    expect(twin).toBeInstanceOf(Conv2D);
    expect(twin.getConfig()).toEqual(conv.getConfig());
    expect(String(conv)).toBe(
      "Conv2D(filters=6, kernelSize=[5,5], strides=[1,1], padding='same', dilationRate=[1,1], activation='relu', useBias=true, " +
        'kernelInitializer=GlorotUniform, biasInitializer=Zeros, kernelRegularizer=L2(l2=0.001), biasRegularizer=null)',
    );
  });

  it('a kernel regularizer adds l2·Σ kernel² to regularizationLoss', () => {
    const conv = new Conv2D({ filters: 1, kernelSize: 1, kernelRegularizer: l2(0.5), inputShape: [1, 1, 2] });
    conv.setWeights([tensor([1, 2], [1, 1, 2, 1]), tensor([3])]);
    expect(conv.regularizationLoss()?.item()).toBeCloseTo(0.5 * (1 + 4), 6); // the bias has no regularizer
  });

  it('once built, accepts another height and width (the kernel fixes only the channels)', () => {
    const conv = new Conv2D({ filters: 2, kernelSize: 3 });
    expect(conv.apply(zeros([1, 8, 8, 3])).shape).toEqual([1, 6, 6, 2]);
    expect(conv.apply(zeros([2, 5, 7, 3])).shape).toEqual([2, 3, 5, 2]);
    expect(conv.countParams()).toBe(3 * 3 * 3 * 2 + 2);
  });
});

describe('Conv2D gradients (float64 gradient check w.r.t. input, kernel and bias)', () => {
  const configs: Array<[string, Conv2DOptions, number[]]> = [
    [
      "3x3 'same' strides=2 tanh on [2, 5, 5, 2]",
      { filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' },
      [2, 5, 5, 2],
    ],
    [
      "[2, 3] 'valid' dilationRate=[2, 1] on [1, 6, 5, 2]",
      { filters: 2, kernelSize: [2, 3], dilationRate: [2, 1] },
      [1, 6, 5, 2],
    ],
    [
      "2x2 strides=[1, 2] 'valid' sigmoid, no bias, on [2, 4, 5, 3]",
      { filters: 2, kernelSize: 2, strides: [1, 2], useBias: false, activation: 'sigmoid' },
      [2, 4, 5, 3],
    ],
    [
      "3x3 strides=2 dilationRate=2 'same' on [1, 7, 7, 1]",
      { filters: 2, kernelSize: 3, strides: 2, dilationRate: 2, padding: 'same' },
      [1, 7, 7, 1],
    ],
    // relu runs inside fusedConv2d, with the bias
    [
      "3x3 'same' relu on [2, 5, 5, 2]",
      { filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' },
      [2, 5, 5, 2],
    ],
    [
      "2x2 strides=2 'valid' relu, no bias, on [1, 6, 6, 3]",
      { filters: 5, kernelSize: 2, strides: 2, useBias: false, activation: 'relu' },
      [1, 6, 6, 3],
    ],
  ];
  it.each(configs)('%s', (_title, opts, input) => {
    const layer = new Conv2D({ ...opts, dtype: 'float64', biasInitializer: 'ones' });
    expect(gradCheckLayer(layer, input)).toEqual([]);
  });
});

describe('Conv2D errors', () => {
  const bad: Array<[string, Partial<Conv2DOptions>, RegExp]> = [
    ['filters=0', { filters: 0 }, /Conv2D 'c': filters must be a positive integer, but got 0/],
    ['filters=2.5', { filters: 2.5 }, /filters must be a positive integer, but got 2.5/],
    ['filters missing', { filters: undefined }, /filters must be a positive integer, but got undefined/],
    ['kernelSize=[0, 2]', { kernelSize: [0, 2] }, /Conv2D 'c': kernelSize must be positive integers, but got \[0, 2\]/],
    ['kernelSize=[3]', { kernelSize: [3] as never }, /kernelSize must be positive integers, but got \[3\]/],
    ['strides=-1', { strides: -1 }, /strides must be positive integers, but got -1/],
    ['dilationRate=0', { dilationRate: 0 }, /dilationRate must be positive integers, but got 0/],
    ["padding='full'", { padding: 'full' as never }, /padding must be one of 'valid', 'same', but got "full"/],
    [
      "activation='swich' (a typo)",
      { activation: 'swich' as never },
      /Conv2D 'c': activation must be one of .*but got "swich"; did you mean 'swish'\?/,
    ],
    [
      "kernelInitializer='uniform'",
      { kernelInitializer: 'uniform' as never },
      /Conv2D 'c': unknown initializer 'uniform'/,
    ],
  ];
  it.each(bad)('rejects %s in the constructor', (_title, opts, message) => {
    const make = () => new Conv2D({ filters: 4, kernelSize: 3, name: 'c', ...opts } as Conv2DOptions);
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(message);
  });

  it('rejects a [28, 28] image with a hint to add batch and channel axes', () => {
    const conv = new Conv2D({ filters: 6, kernelSize: 5, name: 'conv1' });
    expect(() => conv.apply(zeros([28, 28]))).toThrow(ShapeError);
    expect(() => conv.apply(zeros([28, 28]))).toThrow(
      "Conv2D 'conv1' expects input [batch, height, width, channels], got [28, 28]; add batch and channel dimensions, e.g. x.reshape([1, 28, 28, 1])",
    );
  });

  it('rejects a [28, 28, 1] image with a hint to add the batch axis', () => {
    const conv = new Conv2D({ filters: 6, kernelSize: 5, name: 'conv1' });
    expect(() => conv.apply(zeros([28, 28, 1]))).toThrow(
      /got \[28, 28, 1\]; add a batch dimension with expandDims\(0\)/,
    );
    expect(() => conv.computeOutputShape([null, 28, 28])).toThrow(/expects input \[batch, height, width, channels\]/);
  });

  it('rejects, once built, an input with other channels, naming the kernel it was built with', () => {
    const conv = new Conv2D({ filters: 6, kernelSize: 5, name: 'conv1' });
    conv.apply(zeros([1, 28, 28, 1]));
    expect(() => conv.apply(zeros([1, 28, 28, 3]))).toThrow(
      "Conv2D 'conv1' was built for 1 input channels (kernel [5, 5, 1, 6]), but got an input with 3 channels: [1, 28, 28, 3]",
    );
  });

  it("rejects an image smaller than the kernel with 'valid' padding", () => {
    const conv = new Conv2D({ filters: 1, kernelSize: 5 });
    expect(() => conv.apply(zeros([1, 3, 3, 1]))).toThrow(ShapeError);
  });
});

describe('LeNet from the lecture (CONV - POOL - CONV - POOL - FC - FC)', () => {
  it('goes [1, 32, 32, 1] → [1, 10] with 61,706 parameters', () => {
    const layers = [
      new Conv2D({ filters: 6, kernelSize: 5, activation: 'tanh' }), // → [1, 28, 28, 6], 5·5·1·6 + 6 = 156
      new MaxPooling2D({ poolSize: 2 }), //                             → [1, 14, 14, 6]
      new Conv2D({ filters: 16, kernelSize: 5, activation: 'tanh' }), // → [1, 10, 10, 16], 5·5·6·16 + 16 = 2,416
      new MaxPooling2D({ poolSize: 2 }), //                             → [1, 5, 5, 16]
      new Flatten(), //                                                  → [1, 400]
      new Dense({ units: 120, activation: 'tanh' }), //                  → [1, 120], 400·120 + 120 = 48,120
      new Dense({ units: 84, activation: 'tanh' }), //                   → [1, 84], 120·84 + 84 = 10,164
      new Dense({ units: 10, activation: 'softmax' }), //                 → [1, 10], 84·10 + 10 = 850
    ];
    const y = layers.reduce((x, layer) => layer.apply(x), zeros([1, 32, 32, 1]));
    expect(y.shape).toEqual([1, 10]);
    expect(layers.reduce((n, l) => n + l.countParams(), 0)).toBe(156 + 2416 + 48120 + 10164 + 850);
    expect(y.sum().item()).toBeCloseTo(1, 5); // softmax output: probabilities
  });
});
