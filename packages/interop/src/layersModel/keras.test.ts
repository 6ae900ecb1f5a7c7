/**
 * Keras's own JSON (what tensorflowjs_converter copies from a Keras .h5 / .keras file into model.json),
 * written here by hand in the forms Keras 2 and Keras 3 write, and the errors for what Sinapse cannot compute.
 */
import { Dense, input, Subtract } from '@sinapse/layers';
import { model as functional } from '@sinapse/models';
import { ConfigError, rand, ValueError } from '@sinapse/tensor';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { tfArtifacts } from '../testing/tfjs';
import { fromLayersArtifacts, type LayersModelArtifacts } from './artifacts';
import { encodeGroup } from './weights';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const glorot = { class_name: 'GlorotUniform', config: { seed: null } };
const zeros = { class_name: 'Zeros', config: {} };
const dense2 = (name: string, units: number, extra: Record<string, unknown> = {}) => ({
  class_name: 'Dense',
  config: {
    name,
    trainable: true,
    dtype: 'float32',
    units,
    activation: 'linear',
    use_bias: true,
    kernel_initializer: glorot,
    bias_initializer: zeros,
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
    ...extra,
  },
});

/** Artifacts for a topology, with random weights of these shapes. */
function artifacts(modelTopology: unknown, shapes: Record<string, number[]>): LayersModelArtifacts {
  const weights = Object.entries(shapes).map(([name, shape]) => ({
    name,
    shape,
    values: rand(shape, { low: -1, high: 1 }).data,
  }));
  const { specs, bytes } = encodeGroup(weights);
  return {
    modelTopology: modelTopology as LayersModelArtifacts['modelTopology'],
    weightSpecs: specs,
    weightData: bytes,
  };
}

const keras3Tensor = (layer: string, shape: (number | null)[]) => ({
  class_name: '__keras_tensor__',
  config: { shape, dtype: 'float32', keras_history: [layer, 0, 0] },
});

describe('Keras JSON in', () => {
  it('a Keras 2 Sequential (an InputLayer first, as tf.keras writes it)', () => {
    const topology = {
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        layers: [
          {
            class_name: 'InputLayer',
            config: {
              batch_input_shape: [null, 4],
              dtype: 'float32',
              sparse: false,
              ragged: false,
              name: 'dense_input',
            },
          },
          dense2('dense', 3, { activation: 'relu' }),
          dense2('dense_1', 2, { activation: 'softmax' }),
        ],
      },
      keras_version: '2.15.0',
      backend: 'tensorflow',
    };
    const m = fromLayersArtifacts(
      artifacts(topology, { 'dense/kernel': [4, 3], 'dense/bias': [3], 'dense_1/kernel': [3, 2], 'dense_1/bias': [2] }),
    );
    expect(m.className).toBe('Sequential');
    expect(m.inputShape).toEqual([null, 4]);
    const x = rand([5, 4]);
    const [k1, b1, k2, b2] = m.weights;
    const want = x.matMul(k1!).add(b1!).relu().matMul(k2!).add(b2!).softmax(-1);
    expect(Array.from(m.predict(x).data)).toEqual(Array.from(want.data));
  });

  it('a Keras 3 functional model ({ args, kwargs } calls, DTypePolicy dtypes, Subtract, weights under a scope with :0)', () => {
    const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
    const layer = (entry: { class_name: string; config: Record<string, unknown> }, calls: unknown[]) => ({
      module: 'keras.layers',
      ...entry,
      config: { ...entry.config, dtype: policy, lora_rank: null },
      registered_name: null,
      build_config: { input_shape: [null, 4] },
      name: entry.config.name,
      inbound_nodes: calls,
    });
    const topology = {
      module: 'keras',
      class_name: 'Functional',
      config: {
        name: 'functional',
        trainable: true,
        layers: [
          {
            module: 'keras.layers',
            class_name: 'InputLayer',
            config: { batch_shape: [null, 4], dtype: 'float32', sparse: false, name: 'input_layer' },
            registered_name: null,
            name: 'input_layer',
            inbound_nodes: [],
          },
          layer(dense2('left', 3), [{ args: [keras3Tensor('input_layer', [null, 4])], kwargs: {} }]),
          layer(dense2('right', 3), [{ args: [keras3Tensor('input_layer', [null, 4])], kwargs: {} }]),
          layer({ class_name: 'Subtract', config: { name: 'subtract', trainable: true } }, [
            { args: [[keras3Tensor('left', [null, 3]), keras3Tensor('right', [null, 3])]], kwargs: {} },
          ]),
        ],
        input_layers: ['input_layer', 0, 0],
        output_layers: ['subtract', 0, 0],
      },
      registered_name: 'Functional',
      build_config: { input_shape: null },
      compile_config: null,
    };
    const data = artifacts(topology, {
      'functional/left/kernel:0': [4, 3],
      'left/bias': [3],
      'right/kernel': [4, 3],
      'right/bias': [3],
    });
    const m = fromLayersArtifacts(data);
    expect(m.className).toBe('Model');
    // the same graph built in Sinapse with the loaded weights
    const x = input({ shape: [4] });
    const left = new Dense({ units: 3 });
    const right = new Dense({ units: 3 });
    const twin = functional({ inputs: x, outputs: new Subtract().apply([left.apply(x), right.apply(x)]) });
    twin.setWeights(m.getWeights());
    const xs = rand([3, 4]);
    expect(Array.from(m.predict(xs).data)).toEqual(Array.from(twin.predict(xs).data));
  });
});

describe('what Sinapse cannot compute is an error naming the layer and the file', () => {
  const loadTf = async (layers: tfl.layers.Layer[]): Promise<LayersModelArtifacts> =>
    tfArtifacts(tfl.sequential({ layers }));

  it.each([
    [
      'a class with no Sinapse layer',
      () => [tfl.layers.conv2dTranspose({ inputShape: [4, 4, 1], filters: 2, kernelSize: 2, name: 'up' })],
      /^fromLayersArtifacts: artifacts: layer 'up' \(Conv2DTranspose\): Sinapse has no layer for Keras class 'Conv2DTranspose'; it reads Activation, Add, .*Sinapse>L2Pooling2D/,
    ],
    [
      'channels_first',
      () => [
        tfl.layers.conv2d({
          inputShape: [1, 4, 4],
          filters: 2,
          kernelSize: 2,
          dataFormat: 'channelsFirst',
          name: 'nchw',
        }),
      ],
      /layer 'nchw' \(Conv2D\): data_format "channels_first" is not supported; Sinapse computes only "channels_last" \(its images are NHWC\)/,
    ],
    [
      'an activation Sinapse lacks',
      () => [tfl.layers.dense({ inputShape: [3], units: 2, activation: 'selu', name: 'd' })],
      /layer 'd' \(Dense\) activation: activation "selu" is not one Sinapse has; it has linear, relu, sigmoid, tanh, softmax, elu/,
    ],
    [
      'a regularizer Sinapse lacks',
      () => [
        tfl.layers.dense({
          inputShape: [3],
          units: 2,
          kernelRegularizer: tfl.regularizers.l1l2({ l1: 0.1, l2: 0.1 }),
          name: 'd',
        }),
      ],
      /layer 'd' \(Dense\) kernel_regularizer: regularizer .* is not supported; Sinapse has L1 or L2 alone/,
    ],
    [
      'a constraint',
      () => [
        tfl.layers.dense({
          inputShape: [3],
          units: 2,
          kernelConstraint: tfl.constraints.maxNorm({ maxValue: 2 }),
          name: 'd',
        }),
      ],
      /layer 'd' \(Dense\): kernel_constraint \{"class_name":"MaxNorm".* is not supported; Sinapse computes only null/,
    ],
  ])('%s', async (_, layers, message) => {
    const data = await loadTf(layers());
    expect(() => fromLayersArtifacts(data)).toThrow(ConfigError);
    expect(() => fromLayersArtifacts(data)).toThrow(message);
  });

  it('an option this version does not know, unless it is off (null or false)', () => {
    const topology = (extra: Record<string, unknown>) => ({
      class_name: 'Sequential',
      config: { name: 's', layers: [dense2('d', 2, { batch_input_shape: [null, 3], ...extra })] },
    });
    const shapes = { 'd/kernel': [3, 2], 'd/bias': [2] };
    expect(() => fromLayersArtifacts(artifacts(topology({ lora_rank: null, renorm: false }), shapes))).not.toThrow();
    expect(() => fromLayersArtifacts(artifacts(topology({ lora_rank: 4 }), shapes))).toThrow(
      /layer 'd' \(Dense\): option lora_rank=4 not supported \(Sinapse's Dense reads units, activation, use_bias, .*\)/,
    );
  });

  it('weights that do not fit the model: names, then shapes, before any is set', async () => {
    const tfModel = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 2, name: 'd' })] });
    const data = await tfArtifacts(tfModel);
    const renamed = { ...data, weightSpecs: data.weightSpecs.map((s) => ({ ...s, name: s.name.replace('d/', 'e/') })) };
    expect(() => fromLayersArtifacts(renamed)).toThrow(
      'fromLayersArtifacts: artifacts: the weights manifest does not match the model: the model has [d/kernel, d/bias], the manifest [e/kernel, e/bias] (missing: d/kernel, d/bias; not in the model: e/kernel, e/bias)',
    );
    const reshaped = {
      ...data,
      weightSpecs: data.weightSpecs.map((s) => (s.name === 'd/kernel' ? { ...s, shape: [2, 3] } : s)),
    };
    expect(() => fromLayersArtifacts(reshaped)).toThrow(
      "fromLayersArtifacts: artifacts: weight d/kernel has shape [3, 2] in the model, but [2, 3] in the manifest (as 'd/kernel')",
    );
    expect(() => fromLayersArtifacts({ ...data, weightData: new Uint8Array(4) })).toThrow(ValueError);
  });

  it('another format says what it is', () => {
    expect(() => fromLayersArtifacts({ format: 'graph-model' } as unknown as LayersModelArtifacts)).toThrow(
      /format 'graph-model' is not 'layers-model': a TF.js graph model .* convert the Keras model with --input_format keras instead/,
    );
    expect(() => fromLayersArtifacts({ format: 'sinapse-model' } as unknown as LayersModelArtifacts)).toThrow(
      /load it with loadModel/,
    );
  });
});
