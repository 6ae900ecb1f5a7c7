/**
 * The Layers-format readers on damaged or hostile model.json files and shards: every failure is a typed
 * error naming the file and the field, found before a weight is allocated. Each case is a failure the fuzz
 * run (testing/fuzz.ts) or the issue once found, kept as a regression test.
 */
import { lenet5 } from '@sinapse/models';
import { ConfigError, ValueError } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import {
  fromLayersArtifacts,
  fromLayersModelJson,
  type LayersModelJson,
  toLayersArtifacts,
  toLayersModelJson,
} from './artifacts';

type Json = Record<string, unknown>;
const { modelJson, files } = toLayersModelJson(lenet5(), { shardBytes: 100_000 });
const shards = new Map(files.map((f) => [f.path, f.bytes]));
const read = (p: string) => shards.get(p);

/** LeNet-5's model.json after `edit`. */
function edited(edit: (json: Json) => void): LayersModelJson {
  const json = structuredClone(modelJson) as unknown as Json;
  edit(json);
  return json as unknown as LayersModelJson;
}
const layer = (json: Json, i: number) =>
  ((json.modelTopology as Json).config as { layers: Json[] }).layers[i] as { class_name: string; config: Json };

const load = (json: LayersModelJson | string | Uint8Array, r: (p: string) => Uint8Array | undefined = read) =>
  fromLayersModelJson(json, r);

describe('Keras configs with null or odd parts', () => {
  it('an initializer or regularizer with config null (was: TypeError reading l1 / value of null)', () => {
    const json = edited((j) => {
      layer(j, 0).config.kernel_initializer = { class_name: 'Constant', config: null };
      layer(j, 0).config.kernel_regularizer = { class_name: 'L1L2', config: null };
      layer(j, 2).config.bias_initializer = { class_name: 'RandomNormal', config: 'x' };
    });
    expect(load(json).countParams()).toBe(61_706); // null configs are Keras's defaults
  });

  it('a regularizer that is not one, with config null', () => {
    const json = edited((j) => {
      layer(j, 2).config.kernel_regularizer = { class_name: 'VarianceScaling', config: null };
    });
    expect(() => load(json)).toThrow(ConfigError);
    expect(() => load(json)).toThrow(
      /^fromLayersModelJson: model\.json: layer 'conv2' \(Conv2D\) kernel_regularizer: regularizer \{"class_name":"VarianceScaling","config":null\} is not supported/,
    );
  });

  it.each([
    ['a string l2', { class_name: 'L2', config: { l2: 'x' } }, /l2 must be a number ≥ 0/],
    ['a negative l1', { class_name: 'L1', config: { l1: -1 } }, /l1 must be a number ≥ 0/],
    ['a bare string', 'l2', /regularizer "l2" is not supported/],
  ])('a regularizer with %s', (_, value, message) => {
    const json = edited((j) => {
      layer(j, 0).config.bias_regularizer = value;
    });
    expect(() => load(json)).toThrow(ConfigError);
    expect(() => load(json)).toThrow(message);
  });

  it('an initializer number that is not one', () => {
    const json = edited((j) => {
      layer(j, 0).config.kernel_initializer = { class_name: 'Constant', config: { value: 'x' } };
    });
    expect(() => load(json)).toThrow(
      /layer 'conv1' \(Conv2D\) kernel_initializer: initializer Constant value must be a finite number, but got "x"/,
    );
  });

  it('a layer entry that is not an object, a config that is not one', () => {
    const nullLayer = edited((j) => {
      ((j.modelTopology as Json).config as { layers: unknown[] }).layers[3] = null;
    });
    expect(() => load(nullLayer)).toThrow(ConfigError);
    expect(() => load(nullLayer)).toThrow(
      /^fromLayersModelJson: model\.json: layer 3 must be \{ class_name, config \}, but got null/,
    );
    const stringConfig = edited((j) => {
      (layer(j, 1) as Json).config = 'pool';
    });
    expect(() => load(stringConfig)).toThrow(/layer "\?" \(MaxPooling2D\) config must be an object, but got "pool"/);
  });

  it('a Sequential with no input shape names the file', () => {
    const json = edited((j) => {
      delete layer(j, 0).config.batch_input_shape;
    });
    expect(() => load(json)).toThrow(ConfigError);
    expect(() => load(json)).toThrow(
      /^fromLayersModelJson: model\.json: Sequential 'lenet5': countParams needs the input shape/,
    );
  });
});

describe('the Keras 2 wrapper', () => {
  it('a modelTopology with the model under model_config, as Keras saves it with its training config (was refused: class_name was checked first)', () => {
    const json = edited((j) => {
      j.modelTopology = {
        keras_version: '2.15.0',
        backend: 'tensorflow',
        model_config: j.modelTopology,
        training_config: null,
      };
    });
    expect(load(json).countParams()).toBe(61_706);
  });
});

describe('configs against the manifest, before allocating', () => {
  it("the issue's units: 100000000 in LeNet-5's first Dense is an error naming the weight, with no allocation", () => {
    const json = edited((j) => {
      layer(j, 5).config.units = 100_000_000;
    });
    const before = process.memoryUsage().arrayBuffers;
    expect(() => load(json)).toThrow(ValueError);
    expect(() => load(json)).toThrow(
      /^fromLayersModelJson: model\.json: weight fc1\/kernel has shape \[400, 100000000\] in the model, but \[400, 120\] in the manifest/,
    );
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(10_000_000);
  });
});

describe('model.json as bytes or text, and its shards', () => {
  it('bytes and text load as the object does', () => {
    const bytes = new TextEncoder().encode(JSON.stringify(modelJson));
    expect(load(bytes).countParams()).toBe(61_706);
    expect(load(JSON.stringify(modelJson)).countParams()).toBe(61_706);
  });

  it('bytes that are not JSON, or not UTF-8', () => {
    const truncated = new TextEncoder().encode(JSON.stringify(modelJson).slice(0, 500));
    expect(() => load(truncated)).toThrow(ValueError);
    expect(() => load(truncated)).toThrow(/^fromLayersModelJson: model\.json: is not valid JSON/);
    expect(() => load(new Uint8Array([0x7b, 0xff, 0x7d]))).toThrow(
      /^fromLayersModelJson: model\.json: is not valid JSON/,
    );
  });

  it('a shard read() does not find', () => {
    expect(() => load(modelJson, (p) => (p.includes('shard2') ? undefined : read(p)))).toThrow(
      'fromLayersModelJson: model.json: weightsManifest[0].paths[1] "group1-shard2of3.bin" is missing',
    );
  });
});

describe('sizes and depths that would crash or allocate', () => {
  it('weightData listing a number is an error, never new Uint8Array(that number)', () => {
    const artifacts = toLayersArtifacts(lenet5());
    const before = process.memoryUsage().arrayBuffers;
    expect(() => fromLayersArtifacts({ ...artifacts, weightData: [1e9 as unknown as ArrayBuffer] })).toThrow(
      'fromLayersArtifacts: artifacts: weightData[0] must be an ArrayBuffer or a Uint8Array, but got 1000000000',
    );
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1_000_000);
    expect(() => fromLayersArtifacts({ ...artifacts, weightData: 'x' as unknown as ArrayBuffer })).toThrow(ValueError);
  });

  it('models nested 10,000 deep are an error, not a stack overflow', () => {
    const json = edited((j) => {
      let topology = j.modelTopology as Json;
      for (let i = 0; i < 10_000; i++)
        topology = { class_name: 'Sequential', config: { name: `s${i}`, layers: [topology] } };
      j.modelTopology = topology;
    });
    expect(() => load(json)).toThrow(ConfigError);
    expect(() => load(json)).toThrow(
      /^fromLayersModelJson: model\.json: models are nested more than 32 deep in modelTopology/,
    );
  });
});
