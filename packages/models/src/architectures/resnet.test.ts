import {
  Activation,
  Add,
  type BatchNormalization,
  type Conv2D,
  type Dense,
  GlobalMaxPooling2D,
  InputLayer,
  type Layer,
  ReLU,
  type ZeroPadding2D,
} from '@sinapse/layers';
import { ConfigError, logSoftmax, noGrad, randn, seed, type Tensor, tensor, zeros } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { Model } from '../Model';
import { type ResNetOptions, resnet18, resnet34, resnet50, resnet101, resnet152, resnetMini } from './resnet';

const names = (m: { layers: Layer[] }) => m.layers.map((l) => l.name);
/** The output shape of a layer's (only) call in the graph. */
const shapeOf = (m: Model, name: string) => m.getLayer(name).inboundNodes[0]!.outputs[0]!.shape;
const trainable = (m: Model) =>
  m
    .weightInfo()
    .filter((w) => w.trainable)
    .reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);

describe('parameter counts with the 1000-class top (nothing allocated)', () => {
  // Keras: ResNet50().count_params() etc.; its summary splits them into trainable and BN moving statistics
  it.each([
    ['resnet50', resnet50, 25_636_712, 53_120, 177],
    ['resnet101', resnet101, 44_707_176, 105_344, 347],
    ['resnet152', resnet152, 60_419_944, 151_424, 517],
  ])('%s has %i parameters as Keras counts them', (_name, build, count, nonTrainable, layers) => {
    const model = build();
    expect(model.countParams()).toBe(count);
    const text = model.summary(() => {});
    expect(text).toContain(`Total params: ${count.toLocaleString('en-US')}`);
    expect(text).toContain(`Non-trainable params: ${nonTrainable.toLocaleString('en-US')}`);
    expect(model.layers).toHaveLength(layers); // len(keras.applications.ResNet50().layers), input included
    // summary and countParams read shapes only: no weight exists (ResNet-152 would need 242 MB)
    expect(model.layers.some((l) => l.built)).toBe(false);
  });

  // torchvision: sum(p.numel() for p in resnet18().parameters()); its BN running statistics are buffers
  it.each([
    ['resnet18', resnet18, 11_689_512, 9_600],
    ['resnet34', resnet34, 21_797_672, 17_024],
  ])('%s has %i trainable parameters as torchvision counts them', (_name, build, count, statistics) => {
    const model = build();
    expect(trainable(model)).toBe(count);
    expect(model.countParams()).toBe(count + statistics);
    expect(model.summary(() => {})).toContain(`Trainable params: ${count.toLocaleString('en-US')}`);
    expect(model.layers.some((l) => l.built)).toBe(false);
  });
});

describe('resnet50/101/152 are keras.applications ResNet v1', () => {
  /** Keras's model.layers for a stage: its layers sorted by depth, so a first block lists 0_conv, 3_conv, 0_bn, 3_bn. */
  function kerasStage(stage: number, blocks: number): string[] {
    const out: string[] = [];
    for (let b = 1; b <= blocks; b++) {
      const p = `conv${stage}_block${b}`;
      const f = ['1_conv', '1_bn', '1_relu', '2_conv', '2_bn', '2_relu'];
      const tail = b === 1 ? ['0_conv', '3_conv', '0_bn', '3_bn'] : ['3_conv', '3_bn'];
      out.push(...[...f, ...tail, 'add', 'out'].map((s) => `${p}_${s}`));
    }
    return out;
  }
  const kerasResNet50 = [
    'input_layer',
    'conv1_pad',
    'conv1_conv',
    'conv1_bn',
    'conv1_relu',
    'pool1_pad',
    'pool1_pool',
    ...kerasStage(2, 3),
    ...kerasStage(3, 4),
    ...kerasStage(4, 6),
    ...kerasStage(5, 3),
    'avg_pool',
    'predictions',
  ];

  it("has Keras's layers, in Keras's order apart from where the shortcut of a first block is listed", () => {
    const ours = names(resnet50());
    expect([...ours].sort()).toEqual([...kerasResNet50].sort());
    const main = (list: string[]) => list.filter((n) => !/_0_(conv|bn)$/.test(n));
    expect(main(ours)).toEqual(main(kerasResNet50));
    // our graph lists a layer once everything it reads is listed, the first input of Add first: the
    // shortcut (0_conv, 0_bn) comes right after the block's input, where Keras's depth sort puts it after 2_relu
    expect(ours.slice(7, 19)).toEqual(
      ['0_conv', '0_bn', '1_conv', '1_bn', '1_relu', '2_conv', '2_bn', '2_relu', '3_conv', '3_bn', 'add', 'out'].map(
        (s) => `conv2_block1_${s}`,
      ),
    );
  });

  it('the stem and a block have the shapes and settings of the Keras source', () => {
    const m = resnet50();
    expect(shapeOf(m, 'conv1_pad')).toEqual([null, 230, 230, 3]);
    expect(shapeOf(m, 'conv1_conv')).toEqual([null, 112, 112, 64]);
    expect(shapeOf(m, 'pool1_pool')).toEqual([null, 56, 56, 64]);
    expect(shapeOf(m, 'conv2_block3_out')).toEqual([null, 56, 56, 256]);
    expect(shapeOf(m, 'conv3_block1_1_conv')).toEqual([null, 28, 28, 128]); // the stride is on the first 1x1
    expect(shapeOf(m, 'conv4_block6_out')).toEqual([null, 14, 14, 1024]);
    expect(shapeOf(m, 'conv5_block3_out')).toEqual([null, 7, 7, 2048]);
    const conv = m.getLayer('conv3_block1_1_conv') as Conv2D;
    expect([conv.kernelSize, conv.strides, conv.useBias]).toEqual([[1, 1], [2, 2], true]);
    expect((m.getLayer('conv3_block1_2_conv') as Conv2D).padding).toBe('same');
    const bn = m.getLayer('conv1_bn') as BatchNormalization;
    expect([bn.axis, bn.epsilon, bn.momentum]).toEqual([3, 1.001e-5, 0.99]);
    expect(m.getLayer('conv2_block1_1_relu')).toBeInstanceOf(Activation);
    expect(m.getLayer('conv2_block1_add')).toBeInstanceOf(Add);
    // the add takes [shortcut, residual], as Keras's layers.Add()([shortcut, x]); blocks 2+ add their input itself
    expect(m.summary(() => {})).toMatch(
      /conv2_block1_add \(Add\)\s+\(None, 56, 56, 256\)\s+0\s+conv2_block1_0_bn\[0\]\[0\]\n\s+conv2_block1_3_bn\[0\]\[0\]/,
    );
    expect(m.summary(() => {})).toMatch(
      /conv2_block2_add \(Add\).*conv2_block1_out\[0\]\[0\]\n\s+conv2_block2_3_bn\[0\]\[0\]/,
    );
    expect((m.getLayer('predictions') as Dense).getConfig().activation).toBe('softmax');
    expect(m.outputShape).toEqual([null, 1000]);
  });

  it('resnet101 and resnet152 differ in the blocks of conv3 and conv4', () => {
    const count = (m: Model, stage: number) =>
      names(m).filter((n) => new RegExp(`^conv${stage}_block\\d+_out$`).test(n)).length;
    const blocks = (m: Model) => [2, 3, 4, 5].map((s) => count(m, s));
    expect(blocks(resnet50())).toEqual([3, 4, 6, 3]);
    expect(blocks(resnet101())).toEqual([3, 4, 23, 3]);
    expect(blocks(resnet152())).toEqual([3, 8, 36, 3]);
  });
});

describe('resnet18/34 are torchvision ResNets', () => {
  /** torchvision's state_dict keys for these blocks per stage, without num_batches_tracked, in order. */
  function torchKeys(blocks: number[]): string[] {
    const bn = (p: string) => ['weight', 'bias', 'running_mean', 'running_var'].map((w) => `${p}.${w}`);
    const keys = ['conv1.weight', ...bn('bn1')];
    blocks.forEach((n, s) => {
      for (let b = 0; b < n; b++) {
        const p = `layer${s + 1}.${b}`;
        keys.push(`${p}.conv1.weight`, ...bn(`${p}.bn1`), `${p}.conv2.weight`, ...bn(`${p}.bn2`));
        if (b === 0 && s > 0) keys.push(`${p}.downsample.0.weight`, ...bn(`${p}.downsample.1`));
      }
    });
    return [...keys, 'fc.weight', 'fc.bias'];
  }
  /** Note [torchvision weights]: our weight name for a state_dict key ('layer1.0.bn1.running_mean' → 'layer1_0_bn1/moving_mean'). */
  function ours(key: string): string {
    const dot = key.lastIndexOf('.');
    const layer = key.slice(0, dot).replace(/\./g, '_');
    const isBn = /(^|_)bn\d$|_downsample_1$/.test(layer);
    const weight = {
      weight: isBn ? 'gamma' : 'kernel',
      bias: isBn ? 'beta' : 'bias',
      running_mean: 'moving_mean',
      running_var: 'moving_variance',
    }[key.slice(dot + 1)];
    return `${layer}/${weight}`;
  }

  it("the weights are torchvision's state_dict, one to one and in order", () => {
    // weightInfo names the weights without making them
    expect(
      resnet18()
        .weightInfo()
        .map((w) => w.name),
    ).toEqual(torchKeys([2, 2, 2, 2]).map(ours));
    expect(
      resnet34()
        .weightInfo()
        .map((w) => w.name),
    ).toEqual(torchKeys([3, 4, 6, 3]).map(ours));
    const fc = resnet18().weightInfo().slice(-2);
    expect(fc.map((w) => w.shape)).toEqual([[512, 1000], [1000]]); // torchvision's fc.weight is [1000, 512]
  });

  it('pads like torchvision: 3 around the 7x7/2 conv, 1 around the pool and the stride-2 3x3 convs', () => {
    const m = resnet18();
    expect(names(m).slice(0, 7)).toEqual([
      'input_layer',
      'conv1_pad',
      'conv1',
      'bn1',
      'relu',
      'maxpool_pad',
      'maxpool',
    ]);
    expect((m.getLayer('conv1_pad') as ZeroPadding2D).padding).toEqual([
      [3, 3],
      [3, 3],
    ]);
    expect((m.getLayer('layer2_0_conv1_pad') as ZeroPadding2D).padding).toEqual([
      [1, 1],
      [1, 1],
    ]);
    const conv = m.getLayer('layer2_0_conv1') as Conv2D;
    expect([conv.strides, conv.padding, conv.useBias]).toEqual([[2, 2], 'valid', false]);
    expect((m.getLayer('layer1_0_conv1') as Conv2D).padding).toBe('same'); // pad 1 on each side at stride 1
    expect(names(m).filter((n) => n.endsWith('_pad'))).toEqual([
      'conv1_pad',
      'maxpool_pad',
      'layer2_0_conv1_pad',
      'layer3_0_conv1_pad',
      'layer4_0_conv1_pad',
    ]);
    const bn = m.getLayer('layer1_0_bn1') as BatchNormalization;
    expect([bn.epsilon, bn.momentum]).toEqual([1e-5, 0.9]);
    expect(m.getLayer('layer1_0_out')).toBeInstanceOf(ReLU);
    expect(names(m).some((n) => n.startsWith('layer1_0_downsample'))).toBe(false); // same width, stride 1: x itself
    expect((m.getLayer('fc') as Dense).getConfig().activation).toBe('linear'); // logits, as torchvision's fc
  });

  it('shapes follow torchvision: 112, 56, then 28, 14, 7; an odd side rounds as floor((n + 2p − k) / s) + 1', () => {
    const m = resnet18();
    expect(shapeOf(m, 'conv1')).toEqual([null, 112, 112, 64]);
    expect(shapeOf(m, 'maxpool')).toEqual([null, 56, 56, 64]);
    expect(shapeOf(m, 'layer2_0_out')).toEqual([null, 28, 28, 128]);
    expect(shapeOf(m, 'layer4_1_out')).toEqual([null, 7, 7, 512]);
    // 227: conv1 (227 + 6 − 7) / 2 + 1 = 114, pool 57, then 29, 15, 8
    const odd = resnet34({ inputShape: [227, 227, 3], includeTop: false });
    expect([shapeOf(odd, 'conv1'), shapeOf(odd, 'maxpool'), odd.outputShape]).toEqual([
      [null, 114, 114, 64],
      [null, 57, 57, 64],
      [null, 8, 8, 512],
    ]);
  });

  it("a stride-2 3x3 conv is centred on input 2i, like the 1x1 stride-2 shortcut (TF 'same' would centre it on 2i + 1)", () => {
    seed(0);
    const m = resnet18({ includeTop: false, inputShape: [8, 8, 64] });
    const pad = m.getLayer('layer2_0_conv1_pad');
    const conv = m.getLayer('layer2_0_conv1') as Conv2D;
    // a kernel that copies input channel 0 at the window's centre tap into output channel 0
    const kernel = zeros([3, 3, 64, 128]);
    kernel.data[((1 * 3 + 1) * 64 + 0) * 128 + 0] = 1;
    const x = zeros([1, 8, 8, 64]);
    x.data[(2 * 8 + 4) * 64] = 5; // row 2, column 4
    noGrad(() => {
      conv.build([null, 10, 10, 64]);
      conv.setWeights([kernel]);
      const y = conv.apply(pad.apply(x));
      expect(y.shape).toEqual([1, 4, 4, 128]);
      expect(y.data[(1 * 4 + 2) * 128]).toBe(5); // output (1, 2) = input (2, 4)
    });
  });
});

describe('options', () => {
  it('includeTop: false ends with the last stage, or a global pooling', () => {
    const bare = resnet50({ includeTop: false });
    expect(bare.outputShape).toEqual([null, 7, 7, 2048]);
    expect(names(bare).at(-1)).toBe('conv5_block3_out');
    expect(bare.countParams()).toBe(25_636_712 - (2048 * 1000 + 1000));
    expect(resnet50({ includeTop: false, pooling: 'avg' }).outputShape).toEqual([null, 2048]);
    expect(resnet50({ includeTop: false, pooling: null }).outputShape).toEqual([null, 7, 7, 2048]); // Keras's None
    const max = resnet101({ includeTop: false, pooling: 'max' });
    expect([max.outputShape, max.layers.at(-1)!.name]).toEqual([[null, 2048], 'max_pool']);
    expect(max.layers.at(-1)).toBeInstanceOf(GlobalMaxPooling2D);
    expect(resnet18({ includeTop: false, pooling: 'avg' }).layers.at(-1)!.name).toBe('avgpool');
    expect(resnet18({ includeTop: false, pooling: 'max' }).layers.at(-1)!.name).toBe('global_maxpool');
  });

  it('inputShape, classes and classifierActivation', () => {
    const m = resnet50({ inputShape: [64, 64, 1], classes: 10, classifierActivation: 'linear' });
    expect(shapeOf(m, 'conv5_block3_out')).toEqual([null, 2, 2, 2048]);
    expect(m.outputShape).toEqual([null, 10]);
    // one input channel instead of three: 7·7·2·64 fewer weights; 2048·990 + 990 fewer in the top
    expect(m.countParams()).toBe(25_636_712 - 7 * 7 * 2 * 64 - (2048 * 990 + 990));
    expect((m.getLayer('predictions') as Dense).getConfig().activation).toBe('linear');
    expect((resnet50({ classifierActivation: null }).getLayer('predictions') as Dense).getConfig().activation).toBe(
      'linear',
    );
    expect((resnet18({ classifierActivation: 'softmax' }).getLayer('fc') as Dense).getConfig().activation).toBe(
      'softmax',
    );
    expect(resnet152().name).toBe('resnet152');
  });

  it('rejects bad options with the builder name', () => {
    expect(() => resnet50({ include_top: false } as never)).toThrow(
      "resnet50: unknown option 'include_top'; did you mean 'includeTop'?",
    );
    // Keras's names, not the numClasses of lenet5 and vgg: the message lists them
    expect(() => resnet18({ numClasses: 10 } as never)).toThrow(
      "resnet18: unknown option 'numClasses'. Known options: includeTop, inputShape, pooling, classes, classifierActivation",
    );
    expect(() => resnet50({ pooling: 'avg' })).toThrow(
      new ConfigError(
        "resnet50: pooling applies only with includeTop: false (the top already pools), but got pooling 'avg' with the top",
      ),
    );
    expect(() => resnet50({ includeTop: false, pooling: 'mean' as never })).toThrow(
      `resnet50: pooling must be 'avg', 'max' or null, but got "mean"`,
    );
    expect(() => resnet101({ includeTop: false, classes: 10 })).toThrow(
      'resnet101: classes configure the top, but got includeTop: false',
    );
    expect(() => resnet50({ classes: 0 })).toThrow('resnet50: classes must be a positive integer, but got 0');
    expect(() => resnet34({ inputShape: [224, 224] as never })).toThrow(
      'resnet34: inputShape must be [height, width, channels] of positive integers, but got [224,224]',
    );
    expect(() => resnet50({ includeTop: 'no' } as unknown as ResNetOptions)).toThrow(
      'resnet50: includeTop must be true or false, but got "no"',
    );
    expect(() => resnet50({ classifierActivation: 'softmx' as never })).toThrow(ConfigError);
  });
});

describe('config', () => {
  it.each([
    ['resnet50', () => resnet50()],
    ['resnet18', () => resnet18({ includeTop: false, pooling: 'max' })],
    ['resnetMini', () => resnetMini()],
  ])(
    '%s: Model.fromConfig(getConfig()) through JSON rebuilds the same graph, still without weights',
    (_name, build) => {
      const m = build();
      const again = Model.fromConfig(JSON.parse(JSON.stringify(m.getConfig())));
      expect(again.getConfig()).toEqual(m.getConfig());
      expect(names(again)).toEqual(names(m));
      expect(again.countParams()).toBe(m.countParams());
      expect(again.layers.some((l) => l.built)).toBe(false);
    },
  );
});

describe('the full-size models run', () => {
  it('resnet18 on a small image: the same [N, classes] out, probabilities with softmax', () => {
    seed(0);
    const m = resnet18({ inputShape: [32, 32, 3], classes: 5, classifierActivation: 'softmax' });
    const y = m.predict(randn([2, 32, 32, 3]));
    expect(y.shape).toEqual([2, 5]);
    const sums = [0, 1].map((n) => Array.from(y.data.slice(n * 5, n * 5 + 5)).reduce((a, b) => a + b, 0));
    expect(sums[0]).toBeCloseTo(1, 5);
    expect(sums[1]).toBeCloseTo(1, 5);
    expect(m.layers.every((l: Layer) => l.built || l instanceof InputLayer)).toBe(true);
  });
});

describe('resnetMini', () => {
  it('78,426 parameters; 28 → 14 → 7 → 4, then 64 averaged features and 10 logits', () => {
    const m = resnetMini();
    // conv1 3·3·1·16, layer1 2·3·3·16·16, layer2 3·3·16·32 + 3·3·32·32 + 16·32, layer3 the same at 32 → 64,
    // every BN 4·C, fc 64·10 + 10
    const convs = 144 + 2 * 2_304 + (4_608 + 9_216 + 512) + (18_432 + 36_864 + 2_048);
    const bns = 4 * (16 + 2 * 16 + 3 * 32 + 3 * 64);
    expect(m.countParams()).toBe(convs + bns + 650);
    expect(m.countParams()).toBe(78_426);
    expect([
      shapeOf(m, 'conv1'),
      shapeOf(m, 'layer1_0_out'),
      shapeOf(m, 'layer2_0_out'),
      shapeOf(m, 'layer3_0_out'),
    ]).toEqual([
      [null, 14, 14, 16],
      [null, 14, 14, 16],
      [null, 7, 7, 32],
      [null, 4, 4, 64],
    ]);
    expect(m.outputShape).toEqual([null, 10]);
    expect(names(m).filter((n) => n.includes('downsample'))).toEqual([
      'layer2_0_downsample_0',
      'layer2_0_downsample_1',
      'layer3_0_downsample_0',
      'layer3_0_downsample_1',
    ]);
    expect(m.layers.some((l) => l.built)).toBe(false);
  });

  it('filters and blocks set the stages', () => {
    const m = resnetMini({ filters: [8, 16], blocks: [2, 1], classes: 3, inputShape: [32, 32, 3] });
    expect(names(m).filter((n) => n.endsWith('_out'))).toEqual(['layer1_0_out', 'layer1_1_out', 'layer2_0_out']);
    expect([shapeOf(m, 'layer2_0_out'), m.outputShape]).toEqual([
      [null, 8, 8, 16],
      [null, 3],
    ]);
    expect(() => resnetMini({ filters: [8, 16], blocks: [1] })).toThrow(
      'resnetMini: filters and blocks need one entry per stage, but got 2 filters ([8,16]) and 1 blocks ([1])',
    );
    expect(() => resnetMini({ blocks: [1, 0, 1] })).toThrow(
      'resnetMini: blocks must be a non-empty list of positive integers, but got [1,0,1]',
    );
    expect(() => resnetMini({ filter: [8] } as never)).toThrow(
      "resnetMini: unknown option 'filter'; did you mean 'filters'?",
    );
  });

  it('a few SGD steps on 16 images lower the loss (gradients reach every weight through the additions)', () => {
    seed(1);
    const m = resnetMini();
    const x = randn([16, 28, 28, 1]);
    const labels = Array.from({ length: 16 }, (_, i) => i % 10);
    const oneHot = tensor(labels.map((c) => Array.from({ length: 10 }, (_, k) => (k === c ? 1 : 0))));
    const loss = (): Tensor =>
      logSoftmax(m.apply(x, { training: true }))
        .mul(oneHot)
        .sum()
        .neg()
        .div(16);
    const losses: number[] = [];
    for (let step = 0; step < 6; step++) {
      const l = loss();
      losses.push(l.item());
      l.backward();
      if (step === 0) expect(m.trainableWeights.every((p) => p.grad !== null)).toBe(true);
      noGrad(() => {
        for (const p of m.trainableWeights) p.assign(p.sub(p.grad!.mul(0.05)).data);
      });
      m.zeroGrad();
    }
    expect(losses[0]).toBeGreaterThan(2); // about ln 10 at the start
    expect(losses.at(-1)!).toBeLessThan(0.8 * losses[0]!);
    // training updated BN's moving statistics; inference uses them
    const mean = m.getLayer('bn1').getWeights()[2]!;
    expect(Array.from(mean.data).some((v) => v !== 0)).toBe(true);
  });
});
