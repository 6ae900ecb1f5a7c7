/**
 * MobileNet v1 (Howard et al., "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision
 * Applications", 2017, arXiv:1704.04861) and v2 (Sandler et al., "MobileNetV2: Inverted Residuals
 * and Linear Bottlenecks", CVPR 2018, arXiv:1801.04381), as keras.applications builds them
 * (keras/src/applications/mobilenet.py and mobilenet_v2.py): Keras's layer names, shapes and
 * parameter counts, 4,253,864 and 3,538,984 with the 1000-class top.
 *
 * v1 replaces each 3x3 conv of a VGG-like stack by a depthwise separable pair: a 3x3 depthwise
 * conv that filters each channel alone, then a 1x1 conv that mixes them, each + BN + ReLU6. At
 * 14x14 with 512 channels in and out that is 14·14·(9·512 + 512·512) = 52.3 million multiply-adds
 * where a 3x3 conv takes 462.4 million (docs/layers.md, DepthwiseConv2D).
 *
 *   224x224x3 → conv 32@3x3/2 → 13 separable blocks (64, 128/2, 128, 256/2, 256, 512/2, 512 ×5,
 *   1024/2, 1024) → 7x7x1024 → global average pool → dropout → 1x1 conv (classes) → softmax
 *
 * v2's block, the inverted residual, goes the other way round from a ResNet bottleneck: a 1x1 conv
 * expands the narrow input t = 6 times, the 3x3 depthwise conv filters the wide tensor, and a 1x1
 * "projection" narrows it again, with no activation after it (the linear bottleneck: a relu on a
 * few channels would destroy information). When input and output have the same shape, the narrow
 * ends are added (the skip connection the functional API writes as Add).
 *
 *   224x224x3 → conv 32@3x3/2 → blocks (expansion t, channels c, repeats n, first stride s):
 *   (1,16,1,1) (6,24,2,2) (6,32,3,2) (6,64,4,2) (6,96,3,1) (6,160,3,2) (6,320,1,1)
 *   → 1x1 conv 1280 → 7x7x1280 → global average pool → dense (classes, softmax)
 *
 * `alpha` (the width multiplier) scales every layer's channels. Both builders allocate nothing:
 * summary() and countParams() read shapes only; the weights are made at the first predict or fit.
 * Strided depthwise convs are padded explicitly (ZeroPadding2D, then 'valid'), as Keras does, so
 * weights copied from Keras line up (see Note [Two ways to pad a strided conv] in resnet.ts).
 */
import {
  Activation,
  type ActivationName,
  Add,
  BatchNormalization,
  Conv2D,
  Dense,
  DepthwiseConv2D,
  Dropout,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  input,
  type Layer,
  ReLU,
  Reshape,
  type SymbolicTensor,
  ZeroPadding2D,
} from '@sinapse/layers';
import { ConfigError, checkOptionNames } from '@sinapse/tensor';
import { Model } from '../Model';
import { checkPositiveInteger } from './lenet5';

/** Options of the MobileNets (Keras's `MobileNet(input_shape, alpha, depth_multiplier, dropout, include_top, pooling, classes, classifier_activation)`). */
export interface MobileNetOptions {
  /** Width multiplier: every layer's channels are scaled by it. Default 1. */
  alpha?: number;
  /** Whether to end with the classifier. Default true. */
  includeTop?: boolean;
  /** One image, [height, width, channels]. Default [224, 224, 3]. */
  inputShape?: [number, number, number];
  /** Without the top: 'avg' or 'max' global pooling, or none (null, the default). */
  pooling?: 'avg' | 'max' | null;
  /** Size of the classifier's output. Default 1000. Only with the top. */
  classes?: number;
  /** The classifier's activation ('linear' or null for logits). Default 'softmax'. Only with the top. */
  classifierActivation?: ActivationName | null;
}

/** v1's own options: Keras's depth_multiplier and dropout. */
export interface MobileNetV1Options extends MobileNetOptions {
  /** Filters per channel of every depthwise conv (the paper's resolution multiplier is inputShape). Default 1. */
  depthMultiplier?: number;
  /** Dropout rate before the classifier. Default 1e-3. Only with the top. */
  dropout?: number;
}

const V2_OPTIONS = [
  'alpha',
  'includeTop',
  'inputShape',
  'pooling',
  'classes',
  'classifierActivation',
] as const satisfies ReadonlyArray<keyof MobileNetOptions>;
const V1_OPTIONS = [...V2_OPTIONS, 'depthMultiplier', 'dropout'] as const satisfies ReadonlyArray<
  keyof MobileNetV1Options
>;

interface Resolved {
  alpha: number;
  includeTop: boolean;
  inputShape: readonly [number, number, number];
  pooling: 'avg' | 'max' | null;
  classes: number;
  classifierActivation: ActivationName;
}

function resolve(builder: string, options: MobileNetOptions, known: readonly string[]): Resolved {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(`${builder}: options must be an object, but got ${JSON.stringify(options)}`);
  }
  checkOptionNames(builder, options, known);
  const { alpha = 1, includeTop = true, inputShape = [224, 224, 3], classes = 1000 } = options;
  if (typeof alpha !== 'number' || !(alpha > 0) || !Number.isFinite(alpha)) {
    throw new ConfigError(`${builder}: alpha must be a positive number, but got ${JSON.stringify(alpha)}`);
  }
  if (typeof includeTop !== 'boolean') {
    throw new ConfigError(`${builder}: includeTop must be true or false, but got ${JSON.stringify(includeTop)}`);
  }
  if (!Array.isArray(inputShape) || inputShape.length !== 3 || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ConfigError(
      `${builder}: inputShape must be [height, width, channels] of positive integers, but got ${JSON.stringify(inputShape)}`,
    );
  }
  const pooling = options.pooling ?? null;
  if (pooling !== null && pooling !== 'avg' && pooling !== 'max') {
    throw new ConfigError(`${builder}: pooling must be 'avg', 'max' or null, but got ${JSON.stringify(pooling)}`);
  }
  if (includeTop && pooling !== null) {
    throw new ConfigError(
      `${builder}: pooling applies only with includeTop: false (the top already pools), but got pooling '${pooling}' with the top`,
    );
  }
  if (!includeTop && (options.classes !== undefined || options.classifierActivation !== undefined)) {
    const given = (['classes', 'classifierActivation'] as const).filter((k) => options[k] !== undefined).join(' and ');
    throw new ConfigError(`${builder}: ${given} configure the top, but got includeTop: false`);
  }
  checkPositiveInteger(builder, 'classes', classes);
  const activation = options.classifierActivation === null ? 'linear' : (options.classifierActivation ?? 'softmax');
  return { alpha, includeTop, inputShape, pooling, classes, classifierActivation: activation };
}

/** x through each layer in turn. */
function chain(x: SymbolicTensor, ...layers: Layer[]): SymbolicTensor {
  return layers.reduce((t, layer) => layer.apply(t), x);
}

const relu6 = (name: string) => new ReLU({ name, maxValue: 6 });

/** The optional global pooling without the top. */
function pool(x: SymbolicTensor, r: Resolved): SymbolicTensor {
  if (r.pooling === 'avg') return new GlobalAveragePooling2D({ name: 'global_average_pooling2d' }).apply(x);
  if (r.pooling === 'max') return new GlobalMaxPooling2D({ name: 'global_max_pooling2d' }).apply(x);
  return x;
}

// ---- v1 --------------------------------------------------------------------------------------------

/** Keras's `_depthwise_conv_block`: [pad], 3x3 depthwise, BN, ReLU6, 1x1 conv, BN, ReLU6, named by block id. */
function separableBlock(x: SymbolicTensor, filters: number, multiplier: number, stride: number, id: number) {
  const padded =
    stride === 1
      ? x
      : new ZeroPadding2D({
          name: `conv_pad_${id}`,
          padding: [
            [0, 1],
            [0, 1],
          ],
        }).apply(x);
  return chain(
    padded,
    new DepthwiseConv2D({
      name: `conv_dw_${id}`,
      kernelSize: 3,
      padding: stride === 1 ? 'same' : 'valid',
      depthMultiplier: multiplier,
      strides: stride,
      useBias: false,
    }),
    new BatchNormalization({ name: `conv_dw_${id}_bn`, axis: 3 }),
    relu6(`conv_dw_${id}_relu`),
    new Conv2D({ name: `conv_pw_${id}`, filters, kernelSize: 1, padding: 'same', useBias: false }),
    new BatchNormalization({ name: `conv_pw_${id}_bn`, axis: 3 }),
    relu6(`conv_pw_${id}_relu`),
  );
}

/**
 * MobileNet v1 as keras.applications.MobileNet builds it: a 3x3/2 conv (conv1, conv1_bn, conv1_relu)
 * and 13 depthwise separable blocks (`conv_dw_<i>`, `conv_dw_<i>_bn`, `conv_dw_<i>_relu`, `conv_pw_<i>`, …),
 * then global average pooling, dropout, a 1x1 conv as the classifier (conv_preds), reshape_2 and
 * predictions. 4,253,864 parameters with the defaults (4,231,976 trainable; 21,888 BN statistics).
 * @throws ConfigError for an unknown option, a bad value, pooling with the top, or classes without it.
 * @example
 * mobilenet().countParams();                                  // 4253864, nothing allocated
 * mobilenet({ alpha: 0.25, includeTop: false, pooling: 'avg' }).outputShape; // [null, 256]
 */
export function mobilenet(options: MobileNetV1Options = {}): Model {
  const builder = 'mobilenet';
  const r = resolve(builder, options, V1_OPTIONS);
  const { depthMultiplier = 1, dropout = 1e-3 } = options;
  checkPositiveInteger(builder, 'depthMultiplier', depthMultiplier);
  if (!r.includeTop && options.dropout !== undefined) {
    throw new ConfigError(`${builder}: dropout configures the top, but got includeTop: false`);
  }
  const width = (filters: number) => Math.floor(filters * r.alpha);
  const image = input({ shape: r.inputShape, name: 'input_layer' });
  let x = chain(
    image,
    new Conv2D({ name: 'conv1', filters: width(32), kernelSize: 3, padding: 'same', strides: 2, useBias: false }),
    new BatchNormalization({ name: 'conv1_bn', axis: 3 }),
    relu6('conv1_relu'),
  );
  // [pointwise filters, stride] of blocks 1..13 (the paper's Table 1)
  const blocks: Array<[number, number]> = [
    [64, 1],
    [128, 2],
    [128, 1],
    [256, 2],
    [256, 1],
    [512, 2],
    [512, 1],
    [512, 1],
    [512, 1],
    [512, 1],
    [512, 1],
    [1024, 2],
    [1024, 1],
  ];
  blocks.forEach(([filters, stride], i) => {
    x = separableBlock(x, width(filters), depthMultiplier, stride, i + 1);
  });
  if (r.includeTop) {
    x = chain(
      x,
      new GlobalAveragePooling2D({ name: 'global_average_pooling2d', keepDims: true }),
      new Dropout({ name: 'dropout', rate: dropout }),
      new Conv2D({ name: 'conv_preds', filters: r.classes, kernelSize: 1, padding: 'same' }),
      new Reshape({ name: 'reshape_2', targetShape: [r.classes] }),
      new Activation({ name: 'predictions', activation: r.classifierActivation }),
    );
  } else {
    x = pool(x, r);
  }
  return new Model({ inputs: image, outputs: x, name: `mobilenet_${fmtAlpha(r.alpha)}_${r.inputShape[0]}` });
}

/** Keras names the model mobilenet_1.00_224: alpha with two decimals. */
function fmtAlpha(alpha: number): string {
  return alpha.toFixed(2);
}

// ---- v2 --------------------------------------------------------------------------------------------

/** Keras's `_make_divisible`: v rounded to the nearest multiple of 8, never more than 10% below v. */
export function makeDivisible(v: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * v ? rounded + divisor : rounded;
}

/** v2's BatchNormalization: ε = 1e-3, momentum 0.999 (Keras's mobilenet_v2.py). */
const bn2 = (name: string) => new BatchNormalization({ name, axis: 3, epsilon: 1e-3, momentum: 0.999 });

/**
 * Keras's `_inverted_res_block`: [1x1 expand, BN, ReLU6] (not in block 0), [pad], 3x3 depthwise, BN,
 * ReLU6, 1x1 project, BN (linear), + input when the shapes agree. Names block_<id>_expand …, or
 * expanded_conv_… for block 0.
 */
function invertedResidual(
  x: SymbolicTensor,
  expansion: number,
  stride: number,
  alpha: number,
  filters: number,
  id: number,
): SymbolicTensor {
  const inChannels = x.shape[3]!;
  const outChannels = makeDivisible(Math.floor(filters * alpha));
  const prefix = id === 0 ? 'expanded_conv_' : `block_${id}_`;
  let y = x;
  if (id !== 0) {
    y = chain(
      y,
      new Conv2D({
        name: `${prefix}expand`,
        filters: expansion * inChannels,
        kernelSize: 1,
        padding: 'same',
        useBias: false,
      }),
      bn2(`${prefix}expand_BN`),
      relu6(`${prefix}expand_relu`),
    );
  }
  if (stride === 2) {
    // Keras's correct_pad: one fewer row/column at the top/left when the size is even
    const [h, w] = [y.shape[1], y.shape[2]];
    const adjust = [h == null ? 1 : 1 - (h % 2), w == null ? 1 : 1 - (w % 2)];
    const padding: [[number, number], [number, number]] = [
      [1 - adjust[0]!, 1],
      [1 - adjust[1]!, 1],
    ];
    y = new ZeroPadding2D({ name: `${prefix}pad`, padding }).apply(y);
  }
  y = chain(
    y,
    new DepthwiseConv2D({
      name: `${prefix}depthwise`,
      kernelSize: 3,
      strides: stride,
      useBias: false,
      padding: stride === 1 ? 'same' : 'valid',
    }),
    bn2(`${prefix}depthwise_BN`),
    relu6(`${prefix}depthwise_relu`),
    new Conv2D({ name: `${prefix}project`, filters: outChannels, kernelSize: 1, padding: 'same', useBias: false }),
    bn2(`${prefix}project_BN`),
  );
  if (inChannels === outChannels && stride === 1) return new Add({ name: `${prefix}add` }).apply([x, y]);
  return y;
}

/**
 * MobileNet v2 as keras.applications.MobileNetV2 builds it: Conv1 (32@3x3/2), 17 inverted residual
 * blocks (expanded_conv_, block_1_ … block_16_), Conv_1 (1280 channels, or 1280·alpha rounded to 8
 * for alpha > 1), out_relu, then global average pooling and the Dense predictions. 3,538,984
 * parameters with the defaults (3,504,872 trainable; 34,112 BN statistics).
 * @throws ConfigError for an unknown option, a bad value, pooling with the top, or classes without it.
 * @example
 * mobilenetV2().countParams(); // 3538984, nothing allocated
 */
export function mobilenetV2(options: MobileNetOptions = {}): Model {
  const r = resolve('mobilenetV2', options, V2_OPTIONS);
  const image = input({ shape: r.inputShape, name: 'input_layer' });
  let x = chain(
    image,
    new Conv2D({
      name: 'Conv1',
      filters: makeDivisible(32 * r.alpha),
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      useBias: false,
    }),
    bn2('bn_Conv1'),
    relu6('Conv1_relu'),
  );
  // [expansion t, channels c, repeats n, first stride s] (the paper's Table 2)
  const stages: Array<[number, number, number, number]> = [
    [1, 16, 1, 1],
    [6, 24, 2, 2],
    [6, 32, 3, 2],
    [6, 64, 4, 2],
    [6, 96, 3, 1],
    [6, 160, 3, 2],
    [6, 320, 1, 1],
  ];
  let id = 0;
  for (const [t, c, n, s] of stages) {
    for (let i = 0; i < n; i++) x = invertedResidual(x, t, i === 0 ? s : 1, r.alpha, c, id++);
  }
  const last = r.alpha > 1 ? makeDivisible(1280 * r.alpha) : 1280;
  x = chain(
    x,
    new Conv2D({ name: 'Conv_1', filters: last, kernelSize: 1, useBias: false }),
    bn2('Conv_1_bn'),
    relu6('out_relu'),
  );
  if (r.includeTop) {
    x = chain(
      x,
      new GlobalAveragePooling2D({ name: 'global_average_pooling2d' }),
      new Dense({ name: 'predictions', units: r.classes, activation: r.classifierActivation }),
    );
  } else {
    x = pool(x, r);
  }
  return new Model({ inputs: image, outputs: x, name: `mobilenetv2_${fmtAlpha(r.alpha)}_${r.inputShape[0]}` });
}
