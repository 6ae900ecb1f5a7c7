import { ConfigError, ShapeError, type Tensor, tensor, ValueError, zeros } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { Conv2D } from './convolutional/Conv2D';
import { ZeroPadding2D } from './convolutional/ZeroPadding2D';
import { Activation } from './core/Activation';
import { Dense } from './core/Dense';
import { Dropout } from './core/Dropout';
import { Flatten } from './core/Flatten';
import { InputLayer } from './core/InputLayer';
import { ReLU } from './core/ReLU';
import { Reshape } from './core/Reshape';
import { ones } from './initializers';
import { Layer, type LayerConfig, type LayerShape, type WeightSpec } from './Layer';
import { BatchNormalization } from './normalization/BatchNormalization';
import { LocalResponseNormalization } from './normalization/LocalResponseNormalization';
import { AveragePooling2D } from './pooling/AveragePooling2D';
import { GlobalAveragePooling2D } from './pooling/GlobalAveragePooling2D';
import { GlobalMaxPooling2D } from './pooling/GlobalMaxPooling2D';
import { L2Pooling2D } from './pooling/L2Pooling2D';
import { MaxPooling2D } from './pooling/MaxPooling2D';
import { deserializeLayer, registeredLayers, serializeLayer } from './registry';

/** Constructs a layer from untyped options, as JavaScript or a JSON config would. */
function make<T>(cls: new (options: never) => T, options?: unknown): T {
  return new cls(options as never);
}

// The life cycle rules of the Layer base, each found as a bug once.
describe('Layer base', () => {
  it('a layer without weights accepts a new image size after its first call', () => {
    const pool = new MaxPooling2D();
    expect(pool.apply(zeros([1, 28, 28, 1])).shape).toEqual([1, 14, 14, 1]);
    expect(pool.apply(zeros([1, 32, 32, 1])).shape).toEqual([1, 16, 16, 1]);
    const global = new GlobalMaxPooling2D();
    global.apply(zeros([2, 5, 5, 3]));
    expect(global.apply(zeros([2, 9, 7, 3])).shape).toEqual([2, 3]);
    const act = new Activation({ activation: 'relu' });
    act.apply(zeros([1, 4]));
    expect(act.apply(zeros([1, 2, 2, 3])).shape).toEqual([1, 2, 2, 3]);
  });

  it('BatchNormalization fixes only its channel axis', () => {
    const bn = new BatchNormalization({ name: 'bn' });
    bn.apply(zeros([2, 4, 4, 3]));
    expect(bn.apply(zeros([1, 6, 5, 3])).shape).toEqual([1, 6, 5, 3]);
    expect(() => bn.apply(zeros([1, 6, 5, 2]))).toThrow(ShapeError);
  });

  it('freezing and unfreezing a layer keeps moving statistics non-trainable', () => {
    const bn = new BatchNormalization({ inputShape: [3] });
    bn.trainable = false;
    expect(bn.trainableWeights).toHaveLength(0);
    bn.trainable = true;
    expect(bn.trainableWeights.map((w) => w.name.split('/')[1])).toEqual(['gamma', 'beta']);
    expect(bn.nonTrainableWeights.map((w) => w.name.split('/')[1])).toEqual(['moving_mean', 'moving_variance']);
  });

  it('countParams checks a declared inputShape against the layer', () => {
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, inputShape: [28, 28], name: 'c' }).countParams()).toThrow(
      /Conv2D 'c' expects input \[batch, height, width, channels\], got \[null, 28, 28\]/,
    );
    expect(new Dense({ units: 10, inputShape: [400] }).countParams()).toBe(4010);
  });

  it('computeOutputShape refuses a window that does not fit, as apply does', () => {
    expect(() => new Conv2D({ filters: 2, kernelSize: 7, name: 'c' }).computeOutputShape([1, 5, 5, 1])).toThrow(
      /Conv2D 'c': the window does not fit in input \[1, 5, 5, 1\]: output would be \[1, 0, 0, 2\]/,
    );
    expect(() => new MaxPooling2D({ poolSize: 3 }).computeOutputShape([null, 2, 2, 1])).toThrow(/does not fit/);
  });

  it('Reshape leaves the inferred size unknown when the example size is unknown', () => {
    expect(new Reshape({ targetShape: [3, -1] }).computeOutputShape([null, null, 4])).toEqual([null, 3, null]);
  });

  it('setWeights before the weights exist says so', () => {
    expect(() => new Dense({ units: 2, name: 'd' }).setWeights([tensor([[1, 2]]), tensor([0, 0])])).toThrow(
      /Dense 'd': setWeights: the layer has no weights yet/,
    );
  });

  it('default names are Keras-style, numbered from 1: l2_pooling2d_N, max_pooling2d_N', () => {
    expect(new L2Pooling2D().name).toMatch(/^l2_pooling2d_\d+$/);
    expect(new MaxPooling2D().name).toMatch(/^max_pooling2d_\d+$/);
  });

  it('weightInfo and countParams(inputShape) describe the weights for a shape without building them', () => {
    const bn = new BatchNormalization({ name: 'bn' });
    // 4 channels: gamma and beta train, the moving statistics do not
    expect(bn.weightInfo([null, 5, 5, 4])).toEqual([
      { name: 'bn/gamma', shape: [4], trainable: true },
      { name: 'bn/beta', shape: [4], trainable: true },
      { name: 'bn/moving_mean', shape: [4], trainable: false },
      { name: 'bn/moving_variance', shape: [4], trainable: false },
    ]);
    const conv = new Conv2D({ name: 'c', filters: 6, kernelSize: 5, trainable: false });
    expect(conv.countParams([null, 28, 28, 1])).toBe(5 * 5 * 1 * 6 + 6);
    expect(conv.weightInfo([null, 28, 28, 1]).map((w) => w.trainable)).toEqual([false, false]);
    expect(conv.built).toBe(false);
    expect(() => conv.countParams([null, 28, 28])).toThrow(ShapeError);
  });

  it('Dense built for [null, 4] takes [3, 5, 4], and built on [2, 5, 4] takes [3, 4]: only the last axis is fixed', () => {
    const d = new Dense({ units: 2, inputShape: [4] });
    expect(d.apply(zeros([3, 5, 4])).shape).toEqual([3, 5, 2]);
    const e = new Dense({ units: 2 });
    e.apply(zeros([2, 5, 4]));
    expect(e.apply(zeros([3, 4])).shape).toEqual([3, 2]);
    expect(() => e.apply(zeros([3, 5, 3]))).toThrow(/was built for 4 input features/);
  });

  it('Conv2D still demands rank 4 after it is built', () => {
    const conv = new Conv2D({ filters: 1, kernelSize: 1, name: 'c' });
    conv.apply(zeros([1, 4, 4, 2]));
    expect(() => conv.apply(zeros([1, 1, 4, 4, 2]))).toThrow(
      /Conv2D 'c' expects input \[batch, height, width, channels\]/,
    );
  });
});

describe('option names', () => {
  it('a misspelled option is a ConfigError naming the layer, with a did-you-mean', () => {
    expect(() => make(Conv2D, { filters: 1, kernelSize: 1, stride: 2, name: 'c' })).toThrow(ConfigError);
    expect(() => make(Conv2D, { filters: 1, kernelSize: 1, stride: 2, name: 'c' })).toThrow(
      /Conv2D 'c': unknown option 'stride'; did you mean 'strides'\?/,
    );
    expect(() => make(MaxPooling2D, { pool_size: 2 })).toThrow(/unknown option 'pool_size'; did you mean 'poolSize'\?/);
    expect(() => make(Conv2D, { filters: 1, kernel_size: 1 })).toThrow(/did you mean 'kernelSize'\?/);
    expect(() => make(Conv2D, { filters: 1, kernelSize: 1, dilations: 2 })).toThrow(/did you mean 'dilationRate'\?/);
    expect(() => make(Dense, { units: 1, use_bias: false })).toThrow(/did you mean 'useBias'\?/);
  });

  it('an option unlike any known one lists the known options', () => {
    expect(() => make(Flatten, { name: 'f', frobnicate: true })).toThrow(
      /Flatten 'f': unknown option 'frobnicate'. Known options: name, trainable, inputShape, dtype$/,
    );
  });

  it('dataFormat says Sinapse is NHWC-only and how to transpose NCHW input', () => {
    expect(() => make(Conv2D, { filters: 1, kernelSize: 1, dataFormat: 'channelsFirst', name: 'c' })).toThrow(
      /Conv2D 'c': unknown option 'dataFormat': Sinapse is NHWC-only: \[batch, height, width, channels\]; transpose NCHW input with x.transpose\(\[0, 2, 3, 1\]\)/,
    );
    expect(() => make(GlobalAveragePooling2D, { data_format: 'channelsLast' })).toThrow(/NHWC-only/);
  });

  it('options left out of the config when unset are accepted: Dropout seed and noiseShape, InputLayer batchInputShape', () => {
    expect(new Dropout({ rate: 0.5, seed: 1, noiseShape: [null, 1] }).seed).toBe(1);
    expect(new InputLayer({ batchInputShape: [2, 3] }).shape).toEqual([2, 3]);
  });

  it('fromConfig(getConfig()) accepts every option of every registered layer', () => {
    const layers: Layer[] = [
      new Conv2D({ filters: 2, kernelSize: 3, inputShape: [5, 5, 1] }),
      new ZeroPadding2D(),
      new Activation({ activation: 'relu' }),
      new Dense({ units: 2 }),
      new Dropout({ rate: 0.5, seed: 1, noiseShape: [null, 1] }),
      new Flatten(),
      new InputLayer({ inputShape: [3], batchSize: 2 }),
      new ReLU({ maxValue: 6 }),
      new Reshape({ targetShape: [2, -1] }),
      new BatchNormalization(),
      new LocalResponseNormalization(),
      new AveragePooling2D(),
      new MaxPooling2D(),
      new L2Pooling2D(),
      new GlobalAveragePooling2D({ keepDims: true }),
      new GlobalMaxPooling2D(),
    ];
    expect(layers.map((l) => l.className).sort()).toEqual(registeredLayers());
    for (const layer of layers) {
      const twin = deserializeLayer(JSON.parse(JSON.stringify(serializeLayer(layer))));
      expect(twin.getConfig()).toEqual(layer.getConfig());
    }
  });
});

describe('missing or malformed options', () => {
  it('a missing or null kernelSize is a ConfigError naming the layer, not a TypeError', () => {
    expect(() => make(Conv2D, { filters: 2, name: 'c' })).toThrow(ConfigError);
    expect(() => make(Conv2D, { filters: 2, name: 'c' })).toThrow(
      /Conv2D 'c': kernelSize must be positive integers, but got undefined/,
    );
    expect(() => make(Conv2D, { filters: 2, kernelSize: null, name: 'c' })).toThrow(
      /Conv2D 'c': kernelSize must be positive integers, but got null/,
    );
    expect(() => make(MaxPooling2D, { poolSize: '2' })).toThrow(/poolSize must be positive integers, but got "2"/);
  });

  it('no options object at all names the required option', () => {
    const required: (new (options: never) => Layer)[] = [Dense, Conv2D, Dropout, Reshape, Activation, InputLayer];
    for (const cls of required) expect(() => make(cls)).toThrow(ConfigError);
    expect(() => make(Dense)).toThrow(/Dense 'dense_\d+': units must be a positive integer, but got undefined/);
    expect(() => make(Conv2D)).toThrow(/Conv2D 'conv2d_\d+': filters must be a positive integer, but got undefined/);
    expect(() => make(Dropout)).toThrow(/Dropout 'dropout_\d+': rate must be a number in \[0, 1\), but got undefined/);
    expect(() => make(Reshape)).toThrow(/Reshape 'reshape_\d+': targetShape must be positive integers/);
    expect(() => make(Activation)).toThrow(/Activation 'activation_\d+': activation is required/);
    expect(() => make(InputLayer)).toThrow(
      /InputLayer: give exactly one of inputShape and batchInputShape, but got neither/,
    );
  });

  it("dtype other than 'float32' or 'float64' is a ConfigError", () => {
    expect(() => make(Dense, { units: 1, dtype: 'int32', name: 'd' })).toThrow(
      /Dense 'd': dtype must be 'float32' or 'float64', but got "int32"/,
    );
  });

  it('setWeights with plain arrays asks for tensors', () => {
    const dense = new Dense({ units: 2, inputShape: [1], name: 'd' });
    expect(() => dense.setWeights([[[1, 2]], [0, 0]] as never)).toThrow(
      /Dense 'd': setWeights: weight 0 must be a Tensor, but got an array; wrap the values with tensor\(values\)/,
    );
  });

  it('countParams of an unbuilt layer with weights and no inputShape says what to do', () => {
    expect(() => new Dense({ units: 2, name: 'd' }).countParams()).toThrow(
      /Dense 'd': countParams needs the input shape; call the layer on an input first or pass inputShape/,
    );
    expect(new Flatten().countParams()).toBe(0);
    expect(new Dropout({ rate: 0.5 }).countParams()).toBe(0);
  });
});

describe('Layer.param', () => {
  /** A custom layer with one weight, 'kernel'; `weight(name)` is `param` made public. */
  class Scale extends Layer {
    static override readonly className = 'Scale';
    weight(name: string): Tensor {
      return this.param(name);
    }
    protected override weightSpecs(inputShape: LayerShape): WeightSpec[] {
      return [{ name: 'kernel', shape: [inputShape[1]!], initializer: ones() }];
    }
    protected call(x: Tensor): Tensor {
      return x.mul(this.param('kernel'));
    }
    protected options(): LayerConfig {
      return {};
    }
  }

  it('a weight the layer did not declare is a ValueError naming the ones it has', () => {
    const layer = new Scale({ name: 's' });
    expect(() => layer.weight('kernel')).toThrow(
      "Scale 's': param: the name must be one of the layer's weights (none yet: the first apply builds them), but got 'kernel'",
    );
    expect(layer.apply(tensor([[1, 2]])).toArray()).toEqual([[1, 2]]);
    expect(layer.weight('kernel').shape).toEqual([2]);
    expect(() => layer.weight('gamma')).toThrow(ValueError);
    expect(() => layer.weight('gamma')).toThrow(
      "Scale 's': param: the name must be one of the layer's weights (kernel), but got 'gamma'",
    );
  });
});
