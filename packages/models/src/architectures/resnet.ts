/**
 * ResNet (He, Zhang, Ren & Sun, "Deep Residual Learning for Image Recognition", CVPR 2016,
 * arXiv:1512.03385). The lecture's note: a plain stack of 56 layers trains *worse* than one of 20,
 * on the training set too, so the problem is optimization, not overfitting. A residual block lets
 * its layers learn only the change F(x) to their input, and adds the input back:
 *
 *   y = relu(F(x) + shortcut(x))       shortcut = x, or a 1x1 conv + BN when the shape changes
 *
 * If the best a block can do is nothing, it only has to push F towards 0, which is easy; and the
 * gradient reaches the early layers through the additions, ∂y/∂x = ∂F/∂x + 1, instead of through
 * 50 products of Jacobians. The functional API writes a block as a small graph:
 *
 *   const y = new Add().apply([shortcut, f]);   // two branches of one input meet here
 *
 * Two kinds of block:
 *   basic       3x3 conv, BN, relu, 3x3 conv, BN, + x, relu                     (ResNet-18/34)
 *   bottleneck  1x1 conv to C, 3x3 conv at C, 1x1 conv back to 4C, each + BN     (ResNet-50/101/152)
 * The bottleneck makes depth cheap: at 256 channels it costs 1·1·256·64 + 3·3·64·64 + 1·1·64·256
 * = 69,632 weights, where two 3x3 convs at 256 channels cost 2·3·3·256·256 = 1,179,648.
 *
 * The shape of every ImageNet ResNet ([224, 224, 3] in):
 *
 *   stem     conv 64@7x7/2, BN, relu → [112, 112, 64]     max pool 3x3/2 → [56, 56, 64]
 *   stage 2  blocks at 56x56 → [56, 56, 256]   (basic blocks: 64 channels)
 *   stage 3  blocks at 28x28 → [28, 28, 512]   (128); the first block of stages 3-5 has stride 2
 *   stage 4  blocks at 14x14 → [14, 14, 1024]  (256)
 *   stage 5  blocks at 7x7   → [7, 7, 2048]    (512)
 *   top      global average pool → [2048]   dense classes → [1000]
 *
 * with blocks per stage 2,2,2,2 (18), 3,4,6,3 (34 and 50), 3,4,23,3 (101), 3,8,36,3 (152).
 *
 * Two reference implementations are matched, layer for layer and weight for weight:
 *   resnet50/101/152   keras.applications (keras/src/applications/resnet.py, "ResNet v1"), so its
 *                      layer names, shapes and 25,636,712 / 44,707,176 / 60,419,944 parameters are Keras's;
 *   resnet18/34        torchvision.models (torchvision/models/resnet.py), whose names become the
 *                      layer names (Note [torchvision weights]); 11,689,512 / 21,797,672 trainable parameters.
 * Like every builder here they allocate nothing: summary() and countParams() read shapes only,
 * and the weights (98 MB for ResNet-50) are made at the first predict or fit.
 *
 * Note [Two ways to pad a strided conv]
 * torchvision pads a 3x3 stride-2 conv by 1 on every side; TensorFlow's 'same' pads only what the
 * output size needs, the extra row at the bottom and column at the right. On 56x56 both give
 * 28x28, but the windows sit one pixel apart: torchvision's output i is centred on input 2i, like
 * the 1x1 stride-2 shortcut it is added to; TF's on 2i + 1. Copying weights between them would
 * silently shift every feature map. So the torchvision builds pad explicitly (ZeroPadding2D, then a
 * 'valid' conv) wherever torchvision's padding is not what 'same' does: the 7x7/2 stem, the
 * max pool and the stride-2 3x3 convs. Keras's own ResNet pads the stem and the pool the same way
 * (conv1_pad, pool1_pad) and strides with its 1x1 convs, which need no padding.
 */
import {
  Activation,
  type ActivationName,
  Add,
  BatchNormalization,
  Conv2D,
  Dense,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  input,
  type Layer,
  MaxPooling2D,
  ReLU,
  type SymbolicTensor,
  ZeroPadding2D,
} from '@sinapse/layers';
import { ConfigError, checkOptionNames } from '@sinapse/tensor';
import { Model } from '../Model';
import { checkPositiveInteger } from './lenet5';

/** Options of the ImageNet ResNets (names as Keras's `ResNet50(include_top, input_shape, pooling, classes, classifier_activation)`). */
export interface ResNetOptions {
  /** Whether to end with global average pooling and the Dense classifier. Default true. */
  includeTop?: boolean;
  /** One image, [height, width, channels]. Default [224, 224, 3]. */
  inputShape?: [number, number, number];
  /**
   * Without the top: 'avg' or 'max' ends with a global pooling ([N, C] out); undefined (the
   * default, or null: Keras's None) leaves the last stage's maps, e.g. [N, 7, 7, 2048]. Only with
   * `includeTop: false`.
   */
  pooling?: 'avg' | 'max' | null;
  /** Size of the classifier's output. Default 1000. Only with the top. */
  classes?: number;
  /**
   * The classifier's activation: 'softmax' gives probabilities, 'linear' (or null, Keras's None)
   * logits for a loss that applies softmax itself. Default 'softmax' for resnet50/101/152 (as Keras),
   * 'linear' for resnet18/34 (torchvision's fc outputs logits). Only with the top.
   */
  classifierActivation?: ActivationName | null;
}

const RESNET_OPTIONS = [
  'includeTop',
  'inputShape',
  'pooling',
  'classes',
  'classifierActivation',
] as const satisfies ReadonlyArray<keyof ResNetOptions>;

/** The options with defaults applied and checked. */
interface Resolved {
  includeTop: boolean;
  inputShape: readonly [number, number, number];
  pooling: 'avg' | 'max' | null;
  classes: number;
  classifierActivation: ActivationName;
}

function resolve(builder: string, options: ResNetOptions, classifierActivation: ActivationName): Resolved {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(`${builder}: options must be an object, but got ${JSON.stringify(options)}`);
  }
  checkOptionNames(builder, options, RESNET_OPTIONS);
  const { includeTop = true, inputShape = [224, 224, 3], classes = 1000 } = options;
  const pooling = options.pooling ?? undefined;
  if (typeof includeTop !== 'boolean') {
    throw new ConfigError(`${builder}: includeTop must be true or false, but got ${JSON.stringify(includeTop)}`);
  }
  checkInputShape(builder, inputShape);
  if (pooling !== undefined && pooling !== 'avg' && pooling !== 'max') {
    throw new ConfigError(`${builder}: pooling must be 'avg', 'max' or null, but got ${JSON.stringify(pooling)}`);
  }
  // Keras ignores these silently; a setting that does nothing is more likely a mistake
  if (includeTop && pooling !== undefined) {
    throw new ConfigError(
      `${builder}: pooling applies only with includeTop: false (the top already pools), but got pooling '${pooling}' with the top`,
    );
  }
  if (!includeTop && (options.classes !== undefined || options.classifierActivation !== undefined)) {
    const given = (['classes', 'classifierActivation'] as const).filter((k) => options[k] !== undefined).join(' and ');
    throw new ConfigError(`${builder}: ${given} configure the top, but got includeTop: false`);
  }
  checkPositiveInteger(builder, 'classes', classes);
  const activation = options.classifierActivation === null ? 'linear' : options.classifierActivation;
  return {
    includeTop,
    inputShape,
    pooling: pooling ?? null,
    classes,
    classifierActivation: activation ?? classifierActivation,
  };
}

function checkInputShape(builder: string, shape: unknown): asserts shape is [number, number, number] {
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ConfigError(
      `${builder}: inputShape must be [height, width, channels] of positive integers, but got ${JSON.stringify(shape)}`,
    );
  }
}

/** x through each layer in turn: the functional form of a Sequential stretch. */
function chain(x: SymbolicTensor, ...layers: Layer[]): SymbolicTensor {
  return layers.reduce((t, layer) => layer.apply(t), x);
}

// ---- keras.applications: ResNet-50/101/152 ----------------------------------------------------------

/** Keras's ResNet BatchNormalization: channels axis 3 (NHWC), ε = 1.001e-5, Keras's default momentum 0.99. */
function kerasBn(name: string): BatchNormalization {
  return new BatchNormalization({ name, axis: 3, epsilon: 1.001e-5 });
}

function kerasRelu(name: string): Activation {
  return new Activation({ name, activation: 'relu' });
}

/**
 * Keras's `residual_block_v1`, the bottleneck block of the paper's Table 1, named `<name>_<i>_<layer>`:
 *
 *   x ─┬─ 1_conv 1x1/s → 1_bn → 1_relu → 2_conv 3x3 → 2_bn → 2_relu → 3_conv 1x1 (4·filters) → 3_bn ─┐
 *      └─ 0_conv 1x1/s (4·filters) → 0_bn, in the first block of a stage; x itself in the others ──── add → out (relu)
 *
 * The stride is on the first 1x1 conv (as in the paper and Keras; torchvision's "v1.5" puts it on
 * the 3x3). Every conv has a bias, as Keras builds them, although the BN after it cancels it out.
 */
function bottleneck(x: SymbolicTensor, filters: number, stride: number, convShortcut: boolean, name: string) {
  const shortcut = convShortcut
    ? chain(
        x,
        new Conv2D({ name: `${name}_0_conv`, filters: 4 * filters, kernelSize: 1, strides: stride }),
        kerasBn(`${name}_0_bn`),
      )
    : x;
  const f = chain(
    x,
    new Conv2D({ name: `${name}_1_conv`, filters, kernelSize: 1, strides: stride }),
    kerasBn(`${name}_1_bn`),
    kerasRelu(`${name}_1_relu`),
    new Conv2D({ name: `${name}_2_conv`, filters, kernelSize: 3, padding: 'same' }),
    kerasBn(`${name}_2_bn`),
    kerasRelu(`${name}_2_relu`),
    new Conv2D({ name: `${name}_3_conv`, filters: 4 * filters, kernelSize: 1 }),
    kerasBn(`${name}_3_bn`),
  );
  // [shortcut, f] in Keras's order, so the summary's "Connected to" column reads as Keras's
  return kerasRelu(`${name}_out`).apply(new Add({ name: `${name}_add` }).apply([shortcut, f]));
}

/** The four stages conv2 … conv5 with these block counts; conv2 keeps the pool's 56x56, the others halve. */
function kerasResNet(
  builder: string,
  blocks: readonly [number, number, number, number],
  options: ResNetOptions,
): Model {
  const r = resolve(builder, options, 'softmax');
  const image = input({ shape: r.inputShape, name: 'input_layer' });
  let x = chain(
    image,
    new ZeroPadding2D({ name: 'conv1_pad', padding: 3 }),
    new Conv2D({ name: 'conv1_conv', filters: 64, kernelSize: 7, strides: 2 }),
    kerasBn('conv1_bn'),
    kerasRelu('conv1_relu'),
    // zeros pad the pool's input safely: after a relu every value is ≥ 0, so a 0 never wins a max it should not
    new ZeroPadding2D({ name: 'pool1_pad', padding: 1 }),
    new MaxPooling2D({ name: 'pool1_pool', poolSize: 3, strides: 2 }),
  );
  blocks.forEach((count, s) => {
    const filters = 64 * 2 ** s;
    for (let b = 1; b <= count; b++) {
      const stride = b === 1 && s > 0 ? 2 : 1;
      x = bottleneck(x, filters, stride, b === 1, `conv${s + 2}_block${b}`);
    }
  });
  x = finish(x, r, { avg: 'avg_pool', max: 'max_pool', dense: 'predictions' });
  return new Model({ inputs: image, outputs: x, name: builder });
}

/** The top (global average pool + Dense), or the optional global pooling without it. */
function finish(x: SymbolicTensor, r: Resolved, names: { avg: string; max: string; dense: string }): SymbolicTensor {
  if (r.includeTop) {
    const pooled = new GlobalAveragePooling2D({ name: names.avg }).apply(x);
    return new Dense({ name: names.dense, units: r.classes, activation: r.classifierActivation }).apply(pooled);
  }
  if (r.pooling === 'avg') return new GlobalAveragePooling2D({ name: names.avg }).apply(x);
  if (r.pooling === 'max') return new GlobalMaxPooling2D({ name: names.max }).apply(x);
  return x;
}

/**
 * ResNet-50 as keras.applications.ResNet50 builds it (He et al. 2016, Table 1; keras/src/applications/resnet.py):
 * bottleneck blocks 3, 4, 6, 3, layer names conv1_pad, conv1_conv, conv1_bn, conv1_relu, pool1_pad,
 * pool1_pool, conv2_block1_0_conv … conv5_block3_out, avg_pool, predictions. A functional Model.
 * 25,636,712 parameters with the top (25,583,592 trainable; the other 53,120 are BN moving statistics).
 * @throws ConfigError for an unknown option, a bad value, pooling with the top, or classes without it.
 * @example
 * resnet50().countParams(); // 25636712, nothing allocated
 * resnet50({ includeTop: false, pooling: 'avg' }).outputShape; // [null, 2048]
 */
export function resnet50(options: ResNetOptions = {}): Model {
  return kerasResNet('resnet50', [3, 4, 6, 3], options);
}

/** ResNet-101 as keras.applications.ResNet101: bottleneck blocks 3, 4, 23, 3; 44,707,176 parameters. See {@link resnet50}. */
export function resnet101(options: ResNetOptions = {}): Model {
  return kerasResNet('resnet101', [3, 4, 23, 3], options);
}

/** ResNet-152 as keras.applications.ResNet152: bottleneck blocks 3, 8, 36, 3; 60,419,944 parameters. See {@link resnet50}. */
export function resnet152(options: ResNetOptions = {}): Model {
  return kerasResNet('resnet152', [3, 8, 36, 3], options);
}

// ---- torchvision: ResNet-18/34, and the small one for MNIST ----------------------------------------

/**
 * Note [torchvision weights]
 * The layer names are torchvision's state_dict keys with '.' written '_', so a checkpoint maps one
 * to one (the order of `model.weights` is the state_dict's too, without num_batches_tracked):
 *
 *   torchvision key                       Sinapse weight                        layout change
 *   conv1.weight [64, 3, 7, 7]            conv1/kernel [7, 7, 3, 64]            [O, I, kh, kw] → [kh, kw, I, O]
 *   bn1.weight, bn1.bias                  bn1/gamma, bn1/beta
 *   bn1.running_mean, bn1.running_var     bn1/movingMean, bn1/movingVariance
 *   layer1.0.conv1.weight                 layer1_0_conv1/kernel                  as conv1
 *   layer2.0.downsample.0.weight          layer2_0_downsample_0/kernel           as conv1
 *   layer2.0.downsample.1.*               layer2_0_downsample_1/*                as bn1
 *   fc.weight [1000, 512], fc.bias        fc/kernel [512, 1000], fc/bias         transposed
 *
 * The layers without weights have names torchvision does not need: conv1_pad and maxpool_pad (the
 * padding of Note [Two ways to pad a strided conv]), layerI_J_conv1_pad, layerI_J_relu (after bn1),
 * layerI_J_add and layerI_J_out (the relu after the addition; torchvision reuses one `relu` module).
 * BatchNormalization is torchvision's: ε = 1e-5, and momentum 0.9 (PyTorch's momentum 0.1 is the
 * weight of the *new* statistics; Keras's, ours, that of the old). Convs have no bias (the BN after
 * each would cancel it) and start from heNormal: torchvision uses He's normal on the fan-out, not
 * truncated; for the 3x3 convs between equal widths the two fans are the same.
 */
function torchBn(name: string): BatchNormalization {
  return new BatchNormalization({ name, epsilon: 1e-5, momentum: 0.9 });
}

function torchConv(name: string, filters: number, kernelSize: number, stride = 1, padding: 'valid' | 'same' = 'valid') {
  return new Conv2D({
    name,
    filters,
    kernelSize,
    strides: stride,
    padding,
    useBias: false,
    kernelInitializer: 'heNormal',
  });
}

/** A 3x3 conv padded by 1 on each side, as torchvision's conv3x3 (Note [Two ways to pad a strided conv]). */
function conv3x3(name: string, filters: number, stride: number): Layer[] {
  // at stride 1 'same' is that padding already; at stride 2 it would pad the bottom/right only
  if (stride === 1) return [torchConv(name, filters, 3, 1, 'same')];
  return [new ZeroPadding2D({ name: `${name}_pad`, padding: 1 }), torchConv(name, filters, 3, stride)];
}

/**
 * torchvision's BasicBlock, named `<name>_<layer>`:
 *
 *   x ─┬─ conv1 3x3/s → bn1 → relu → conv2 3x3 → bn2 ─────────────────────────────┐
 *      └─ downsample_0 1x1/s → downsample_1 (BN), when the stride or width changes; else x ── add → out (relu)
 */
function basicBlock(x: SymbolicTensor, planes: number, stride: number, name: string): SymbolicTensor {
  const f = chain(
    x,
    ...conv3x3(`${name}_conv1`, planes, stride),
    torchBn(`${name}_bn1`),
    new ReLU({ name: `${name}_relu` }),
    ...conv3x3(`${name}_conv2`, planes, 1),
    torchBn(`${name}_bn2`),
  );
  const identity =
    stride !== 1 || x.shape[3] !== planes
      ? chain(x, torchConv(`${name}_downsample_0`, planes, 1, stride), torchBn(`${name}_downsample_1`))
      : x;
  // [f, identity]: torchvision's `out += identity`, and its state_dict order (conv1 … bn2, then downsample)
  return new ReLU({ name: `${name}_out` }).apply(new Add({ name: `${name}_add` }).apply([f, identity]));
}

/** Stages of basic blocks at these widths; the first keeps its input's size, each next one halves it. */
function basicStages(x: SymbolicTensor, widths: readonly number[], blocks: readonly number[]): SymbolicTensor {
  let y = x;
  widths.forEach((planes, s) => {
    for (let b = 0; b < blocks[s]!; b++) y = basicBlock(y, planes, b === 0 && s > 0 ? 2 : 1, `layer${s + 1}_${b}`);
  });
  return y;
}

function torchResNet(
  builder: string,
  blocks: readonly [number, number, number, number],
  options: ResNetOptions,
): Model {
  const r = resolve(builder, options, 'linear');
  const image = input({ shape: r.inputShape, name: 'input_layer' });
  let x = chain(
    image,
    new ZeroPadding2D({ name: 'conv1_pad', padding: 3 }),
    torchConv('conv1', 64, 7, 2),
    torchBn('bn1'),
    new ReLU({ name: 'relu' }),
    // torchvision pads the pool with −∞; zeros are the same after a relu (every value is ≥ 0)
    new ZeroPadding2D({ name: 'maxpool_pad', padding: 1 }),
    new MaxPooling2D({ name: 'maxpool', poolSize: 3, strides: 2 }),
  );
  x = basicStages(x, [64, 128, 256, 512], blocks);
  x = finish(x, r, { avg: 'avgpool', max: 'global_maxpool', dense: 'fc' });
  return new Model({ inputs: image, outputs: x, name: builder });
}

/**
 * ResNet-18 as torchvision.models.resnet18 builds it (He et al. 2016, Table 1; torchvision/models/resnet.py):
 * basic blocks 2, 2, 2, 2, logits out by default. A functional Model; layer names follow torchvision's
 * state_dict (Note [torchvision weights]). 11,689,512 trainable parameters, torchvision's count; countParams()
 * also counts the 9,600 BN moving statistics that torchvision keeps as buffers: 11,699,112.
 * @throws ConfigError as {@link resnet50}.
 * @example
 * resnet18().summary(); // conv1 … layer4_1_out, avgpool, fc; nothing allocated
 */
export function resnet18(options: ResNetOptions = {}): Model {
  return torchResNet('resnet18', [2, 2, 2, 2], options);
}

/** ResNet-34 as torchvision.models.resnet34: basic blocks 3, 4, 6, 3; 21,797,672 trainable parameters. See {@link resnet18}. */
export function resnet34(options: ResNetOptions = {}): Model {
  return torchResNet('resnet34', [3, 4, 6, 3], options);
}

// ---- a small ResNet for MNIST -------------------------------------------------------------------------

/** Options of {@link resnetMini}. */
export interface ResNetMiniOptions {
  /** One image, [height, width, channels]. Default [28, 28, 1] (MNIST). */
  inputShape?: [number, number, number];
  /** Size of the output (logits). Default 10. */
  classes?: number;
  /** Channels of each stage; the stem has the first stage's. Default [16, 32, 64]. */
  filters?: readonly number[];
  /** Basic blocks in each stage, one entry per stage as in `filters`. Default [1, 1, 1]. */
  blocks?: readonly number[];
}

/**
 * A small ResNet for 28x28 digits, built from resnet18's parts (torchvision's BasicBlock, its
 * padding and names) at a size a CPU trains in minutes. 78,426 parameters with the defaults:
 *
 *   input                                        [28, 28, 1]
 *   conv1 16@3x3/2 (pad 1), bn1, relu            [14, 14, 16]   the stem halves at once, see below
 *   layer1_0  basic block 16                     [14, 14, 16]   shortcut: x itself
 *   layer2_0  basic block 32, stride 2           [7, 7, 32]     shortcut: 1x1/2 conv + BN (downsample)
 *   layer3_0  basic block 64, stride 2           [4, 4, 64]     (7 + 2 − 3) / 2 + 1 = 4
 *   avgpool (global average)                     [64]
 *   fc 10 (logits)                               [10]
 *
 * Design notes. MNIST needs no 7x7 stem or max pool (ImageNet's stem shrinks 224 to 56 at once);
 * a 3x3 stride-2 conv keeps every pixel in some window and leaves 14x14 maps, where a digit's
 * strokes are still 1-2 pixels wide. Doubling the channels at each stride-2 stage keeps the work per
 * stage about the same (4x fewer positions, 2x2 more channel pairs). Global average pooling
 * instead of a flatten + big Dense: the fc has 650 weights, not LeNet-5's 58k, and the model
 * cannot memorise where in the frame a stroke was. What costs time here is not the convolutions
 * but the BatchNormalization layers, which touch every activation about twenty times (forward and
 * backward, as separate ops): the stem at 28x28 instead of 14x14 would double the time per image.
 * @throws ConfigError for an unknown option, filters and blocks of different lengths, or counts that are not positive integers.
 * @example
 * resnetMini().countParams(); // 78426
 */
export function resnetMini(options: ResNetMiniOptions = {}): Model {
  checkOptionNames('resnetMini', options, ['inputShape', 'classes', 'filters', 'blocks']);
  const { inputShape = [28, 28, 1], classes = 10, filters = [16, 32, 64], blocks = [1, 1, 1] } = options;
  checkInputShape('resnetMini', inputShape);
  checkPositiveInteger('resnetMini', 'classes', classes);
  for (const [name, list] of [
    ['filters', filters],
    ['blocks', blocks],
  ] as const) {
    if (!Array.isArray(list) || list.length === 0 || !list.every((n) => Number.isInteger(n) && n > 0)) {
      throw new ConfigError(
        `resnetMini: ${name} must be a non-empty list of positive integers, but got ${JSON.stringify(list)}`,
      );
    }
  }
  if (filters.length !== blocks.length) {
    throw new ConfigError(
      `resnetMini: filters and blocks need one entry per stage, but got ${filters.length} filters (${JSON.stringify(filters)}) and ${blocks.length} blocks (${JSON.stringify(blocks)})`,
    );
  }
  const image = input({ shape: inputShape, name: 'input_layer' });
  let x = chain(image, ...conv3x3('conv1', filters[0]!, 2), torchBn('bn1'), new ReLU({ name: 'relu' }));
  x = basicStages(x, filters, blocks);
  x = new GlobalAveragePooling2D({ name: 'avgpool' }).apply(x);
  x = new Dense({ name: 'fc', units: classes }).apply(x);
  return new Model({ inputs: image, outputs: x, name: 'resnet_mini' });
}
