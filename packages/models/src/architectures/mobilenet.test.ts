import { Add, type DepthwiseConv2D, InputLayer, type Layer, type ZeroPadding2D } from '@sinapse/layers';
import { ConfigError, randn, seed } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { fromArtifacts } from '../fromArtifacts';
import { Model } from '../Model';
import { makeDivisible, mobilenet, mobilenetV2 } from './mobilenet';

const names = (m: { layers: Layer[] }) => m.layers.map((l) => l.name);
const shapeOf = (m: Model, name: string) => m.getLayer(name).inboundNodes[0]!.outputs[0]!.shape;
const trainable = (m: Model) =>
  m
    .weightInfo()
    .filter((w) => w.trainable)
    .reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);

describe('parameter counts as keras.applications counts them (nothing allocated)', () => {
  it.each([
    // Keras: MobileNet().count_params(), MobileNetV2().count_params(); the rest are BN moving statistics
    ['mobilenet', () => mobilenet(), 4_253_864, 4_231_976],
    ['mobilenetV2', () => mobilenetV2(), 3_538_984, 3_504_872],
  ])('%s: %i parameters, %i trainable', (_name, build, count, train) => {
    const m = build();
    expect(m.countParams()).toBe(count);
    expect(trainable(m)).toBe(train);
    const text = m.summary(() => {});
    expect(text).toContain(`Total params: ${count.toLocaleString('en-US')}`);
    expect(text).toContain(`Trainable params: ${train.toLocaleString('en-US')}`);
    expect(m.layers.some((l) => l.built)).toBe(false);
    expect(m.outputShape).toEqual([null, 1000]);
  });

  it.each([
    // the sizes in the Keras applications table (M parameters): v1 0.25/0.5/0.75, v2 0.35/1.4
    [() => mobilenet({ alpha: 0.25 }), 475_544],
    [() => mobilenet({ alpha: 0.5 }), 1_342_536],
    [() => mobilenet({ alpha: 0.75 }), 2_601_976],
    [() => mobilenetV2({ alpha: 0.35 }), 1_691_208],
    [() => mobilenetV2({ alpha: 1.4 }), 6_156_712],
  ])('alpha scales the widths: %#', (build, count) => {
    expect(build().countParams()).toBe(count);
  });

  it('_make_divisible rounds to multiples of 8, never 10% below', () => {
    expect([makeDivisible(32 * 0.35), makeDivisible(16 * 0.35), makeDivisible(1280 * 1.4), makeDivisible(23)]).toEqual([
      16, 8, 1792, 24,
    ]);
  });
});

describe('the layers follow Keras', () => {
  it("mobilenet: conv1, conv_dw_<i> / conv_pw_<i>, Keras's explicit padding before strided depthwise convs, a 1x1 conv classifier", () => {
    const m = mobilenet();
    expect(names(m).slice(0, 10)).toEqual([
      'input_layer',
      'conv1',
      'conv1_bn',
      'conv1_relu',
      'conv_dw_1',
      'conv_dw_1_bn',
      'conv_dw_1_relu',
      'conv_pw_1',
      'conv_pw_1_bn',
      'conv_pw_1_relu',
    ]);
    expect(names(m).slice(-5)).toEqual([
      'global_average_pooling2d',
      'dropout',
      'conv_preds',
      'reshape_2',
      'predictions',
    ]);
    expect((m.getLayer('conv_pad_2') as ZeroPadding2D).padding).toEqual([
      [0, 1],
      [0, 1],
    ]);
    expect((m.getLayer('conv_dw_2') as DepthwiseConv2D).padding).toBe('valid');
    expect(shapeOf(m, 'conv1_relu')).toEqual([null, 112, 112, 32]);
    expect(shapeOf(m, 'conv_pw_13_relu')).toEqual([null, 7, 7, 1024]);
    expect(m.name).toBe('mobilenet_1.00_224');
  });

  it('mobilenetV2: expanded_conv_, block_1 … block_16, adds only where the shapes agree', () => {
    const m = mobilenetV2();
    const adds = m.layers.filter((l) => l instanceof Add).map((l) => l.name);
    // stride-1 repeats: 2, 4, 5, 7, 8, 9, 11, 12, 14, 15 (10 skips)
    expect(adds).toEqual([2, 4, 5, 7, 8, 9, 11, 12, 14, 15].map((i) => `block_${i}_add`));
    expect(names(m)).toContain('expanded_conv_depthwise');
    expect(names(m)).not.toContain('expanded_conv_expand');
    expect(shapeOf(m, 'block_1_pad')).toEqual([null, 113, 113, 96]); // correct_pad: ((0, 1), (0, 1)) on even sizes
    expect(shapeOf(m, 'block_16_project_BN')).toEqual([null, 7, 7, 320]);
    expect(shapeOf(m, 'out_relu')).toEqual([null, 7, 7, 1280]);
    expect(m.name).toBe('mobilenetv2_1.00_224');
  });

  it('without the top: feature maps, or a global pooling', () => {
    expect(mobilenet({ includeTop: false }).outputShape).toEqual([null, 7, 7, 1024]);
    expect(mobilenet({ includeTop: false, pooling: 'avg', alpha: 0.25 }).outputShape).toEqual([null, 256]);
    expect(mobilenetV2({ includeTop: false, pooling: 'max', inputShape: [96, 96, 3] }).outputShape).toEqual([
      null,
      1280,
    ]);
    expect(mobilenetV2({ includeTop: false, inputShape: [96, 96, 3] }).outputShape).toEqual([null, 3, 3, 1280]);
  });

  it('rejects bad options with the builder name', () => {
    expect(() => mobilenet({ depth_multiplier: 2 } as never)).toThrow(
      "mobilenet: unknown option 'depth_multiplier'; did you mean 'depthMultiplier'?",
    );
    expect(() => mobilenetV2({ dropout: 0.2 } as never)).toThrow(/^mobilenetV2: unknown option 'dropout'/);
    expect(() => mobilenetV2({ alpha: 0 })).toThrow('mobilenetV2: alpha must be a positive number, but got 0');
    expect(() => mobilenet({ includeTop: false, classes: 10 })).toThrow(
      'mobilenet: classes configure the top, but got includeTop: false',
    );
    expect(() => mobilenet({ pooling: 'avg' })).toThrow(ConfigError);
    expect(() => mobilenet({ includeTop: false, dropout: 0.5 })).toThrow(
      'mobilenet: dropout configures the top, but got includeTop: false',
    );
  });
});

describe('config, running and saving', () => {
  it.each([
    ['mobilenet', () => mobilenet()],
    ['mobilenetV2', () => mobilenetV2({ alpha: 0.35, includeTop: false, pooling: 'avg' })],
  ])('%s: Model.fromConfig(getConfig()) through JSON rebuilds the same graph without weights', (_name, build) => {
    const m = build();
    const again = Model.fromConfig(JSON.parse(JSON.stringify(m.getConfig())));
    expect(again.getConfig()).toEqual(m.getConfig());
    expect(names(again)).toEqual(names(m));
    expect(again.countParams()).toBe(m.countParams());
    expect(again.layers.some((l) => l.built)).toBe(false);
  });

  it.each([
    ['mobilenet', () => mobilenet({ alpha: 0.25, inputShape: [32, 32, 3], classes: 5 })],
    ['mobilenetV2', () => mobilenetV2({ alpha: 0.35, inputShape: [32, 32, 3], classes: 5 })],
  ])('%s runs on small images, and a save/load round trip gives the same predictions', (_name, build) => {
    seed(0);
    const m = build();
    const x = randn([2, 32, 32, 3]);
    const y = m.predict(x);
    expect(y.shape).toEqual([2, 5]);
    const sum = Array.from(y.data.slice(0, 5)).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 5);
    expect(m.layers.every((l: Layer) => l.built || l instanceof InputLayer)).toBe(true);
    const loaded = fromArtifacts(m.toArtifacts());
    expect(Array.from(loaded.predict(x).data)).toEqual(Array.from(y.data));
  });
});
