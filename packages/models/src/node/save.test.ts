import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Add, BatchNormalization, Conv2D, Dense, Flatten, input } from '@sinapse/layers';
import { randn, seed, type Tensor } from '@sinapse/tensor';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lenet5 } from '../architectures/lenet5';
import { crc32 } from '../crc32';
import { Model, model } from '../Model';
import { loadModel, removeStaleFiles, save, writeModelJson, writeWeightsFiles } from './save';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sinapse-models-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const weightsFiles = () => readdirSync(dir).filter((f) => f.startsWith('weights-'));
const jsonOf = () => JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));

describe('save / loadModel', () => {
  it('writes model.json and one weights-<crc32>.bin that it names', () => {
    save(lenet5(), dir);
    expect(readdirSync(dir).sort()).toEqual(['model.json', weightsFiles()[0]]);
    const json = jsonOf();
    expect(json.weightsFile).toBe(`weights-${json.weightsChecksum}.bin`);
    // the same fields as saves made before shards existed, so those and these read alike
    expect(Object.keys(json).sort()).toEqual([
      'format',
      'formatVersion',
      'manifestChecksum',
      'modelConfig',
      'weightsChecksum',
      'weightsFile',
      'weightsManifest',
    ]);
    // 61,706 float32 weights
    expect(readFileSync(join(dir, json.weightsFile)).length).toBe(61_706 * 4);
  });

  it('a loaded LeNet-5 predicts bit-identically, and the optimizer state comes back', () => {
    seed(11);
    const model = lenet5();
    const x = randn([5, 28, 28, 1]);
    const before = Array.from(model.predict(x).data);
    const velocity = randn([5, 5, 1, 6]);
    save(model, dir, { optimizer: { config: { lr: 0.01 }, tensors: [{ name: 'conv1/kernel/v', tensor: velocity }] } });
    const loaded = loadModel(dir);
    expect(Array.from(loaded.predict(x).data)).toEqual(before);
    expect(loaded.optimizerState!.config).toEqual({ lr: 0.01 });
    expect(Array.from(loaded.optimizerState!.tensors[0]!.tensor.data)).toEqual(Array.from(velocity.data));
  });

  it('saving again replaces the weights file and removes the stale one', () => {
    save(lenet5(), dir);
    const first = weightsFiles();
    save(lenet5(), dir); // new random weights, so a new checksum and file name
    expect(weightsFiles()).toHaveLength(1);
    expect(weightsFiles()).not.toEqual(first);
  });

  it('creates the directory if needed', () => {
    const nested = join(dir, 'a', 'b');
    save(lenet5(), nested);
    expect(loadModel(nested).countParams()).toBe(61_706);
  });
});

describe('an interrupted save leaves the previous save loadable', () => {
  it('dying after the new weights file, before model.json: the old model loads', () => {
    seed(12);
    const old = lenet5();
    save(old, dir);
    const x = randn([2, 28, 28, 1]);
    const want = Array.from(old.predict(x).data);
    // steps 1 of a second save, then "crash" (Note [Atomic save])
    writeWeightsFiles(dir, [lenet5().toArtifacts().weightData]);
    writeFileSync(join(dir, 'model.json.tmp-deadbeef'), '{"format": "sinap'); // a half-written temp json
    expect(weightsFiles()).toHaveLength(2);
    expect(Array.from(loadModel(dir).predict(x).data)).toEqual(want);
    // the next complete save cleans up both leftovers
    save(old, dir);
    expect(readdirSync(dir).sort()).toEqual(['model.json', `weights-${jsonOf().weightsChecksum}.bin`]);
  });

  it('dying after model.json, before cleanup: the new model loads', () => {
    seed(13);
    save(lenet5(), dir);
    const next = lenet5();
    const a = next.toArtifacts();
    const files = writeWeightsFiles(dir, [a.weightData]);
    writeModelJson(dir, a.modelJson, files);
    const x = randn([1, 28, 28, 1]);
    expect(Array.from(loadModel(dir).predict(x).data)).toEqual(Array.from(next.predict(x).data));
    removeStaleFiles(dir, files);
    expect(weightsFiles()).toEqual(files);
  });
});

describe('loadModel rejects damaged saves with the file and the problem', () => {
  it('a missing directory or model.json', () => {
    expect(() => loadModel(join(dir, 'none'))).toThrow(
      `loadModel: ${join(dir, 'none', 'model.json')} is missing: there is no saved model in ${join(dir, 'none')}`,
    );
  });

  it('a missing weights file', () => {
    save(lenet5(), dir);
    const weights = join(dir, jsonOf().weightsFile);
    rmSync(weights);
    expect(() => loadModel(dir)).toThrow(
      `loadModel: ${weights} is missing: ${join(dir, 'model.json')} names it, but it does not exist`,
    );
  });

  it('a truncated weights file', () => {
    save(lenet5(), dir);
    const weights = join(dir, jsonOf().weightsFile);
    truncateSync(weights, 1000);
    expect(() => loadModel(dir)).toThrow(
      `loadModel: ${weights} is truncated: the manifest needs 246,824 bytes but the file has 1,000`,
    );
  });

  it('a corrupt weights file (checksum mismatch)', () => {
    save(lenet5(), dir);
    const weights = join(dir, jsonOf().weightsFile);
    const bytes = readFileSync(weights);
    bytes[1234]! ^= 0x10;
    writeFileSync(weights, bytes);
    expect(() => loadModel(dir)).toThrow(`loadModel: ${weights} is corrupt: its CRC-32 is`);
  });

  it('model.json that is not JSON, not a Sinapse model, or a newer version', () => {
    save(lenet5(), dir);
    const path = join(dir, 'model.json');
    const json = jsonOf();
    writeFileSync(path, JSON.stringify({ ...json, formatVersion: 9 }));
    expect(() => loadModel(dir)).toThrow(
      `loadModel: ${path} has formatVersion 9, but this version of @sinapse/models reads version 1`,
    );
    writeFileSync(path, JSON.stringify({ modelTopology: {} }));
    expect(() => loadModel(dir)).toThrow(
      `loadModel: ${path} is not a Sinapse model: expected format 'sinapse-model', but got none`,
    );
    writeFileSync(path, '{"format": "sinap');
    expect(() => loadModel(dir)).toThrow(`loadModel: ${path} is not valid JSON`);
  });

  it('model.json that is a directory: a clear error naming it, not a raw EISDIR', () => {
    const path = join(dir, 'model.json');
    mkdirSync(path);
    expect(() => loadModel(dir)).toThrow(`loadModel: ${path} is a directory, but it must be a file`);
  });

  it('a weights file that is a directory: a clear error naming it', () => {
    save(lenet5(), dir);
    const weights = join(dir, jsonOf().weightsFile);
    rmSync(weights);
    mkdirSync(weights);
    expect(() => loadModel(dir)).toThrow(`loadModel: ${weights} is a directory, but it must be a file`);
  });

  it('a manifest byteOffset moved by 4 in model.json, naming the file and the entry', () => {
    save(lenet5(), dir);
    const path = join(dir, 'model.json');
    const json = jsonOf();
    json.weightsManifest[0].byteOffset += 4;
    writeFileSync(path, JSON.stringify(json));
    expect(() => loadModel(dir)).toThrow(
      `loadModel: ${path}: weightsManifest[0] ('conv1/kernel') starts at byteOffset 4, but the entries must be back to back in order, so it must start at 0`,
    );
  });
});

describe('save with shardBytes: the weights in several files (weightsFiles)', () => {
  const shardBytes = 100_000; // LeNet-5's 246,824 bytes → 100,000 + 100,000 + 46,824

  it('writes the shards named by their own CRC-32, lists them in order, and loads bit-identically', () => {
    seed(14);
    const model = lenet5();
    save(model, dir, { shardBytes });
    const json = jsonOf();
    expect(json.weightsFile).toBeUndefined();
    expect(json.weightsFiles).toHaveLength(3);
    const sizes = json.weightsFiles.map((f: string) => {
      const bytes = readFileSync(join(dir, f));
      expect(f).toBe(`weights-${crc32(bytes)}.bin`);
      return bytes.length;
    });
    expect(sizes).toEqual([100_000, 100_000, 46_824]);
    expect(weightsFiles().sort()).toEqual([...json.weightsFiles].sort());
    const x = randn([2, 28, 28, 1]);
    expect(Array.from(loadModel(dir).predict(x).data)).toEqual(Array.from(model.predict(x).data));
  });

  it('a shardBytes of the whole size or more writes the single weightsFile of an unsharded save', () => {
    save(lenet5(), dir, { shardBytes: 246_824 });
    expect(jsonOf().weightsFile).toBe(`weights-${jsonOf().weightsChecksum}.bin`);
    expect(jsonOf().weightsFiles).toBeUndefined();
  });

  it('going from shards to one file and back removes the stale files each time', () => {
    save(lenet5(), dir, { shardBytes });
    save(lenet5(), dir);
    expect(weightsFiles()).toEqual([jsonOf().weightsFile]);
    save(lenet5(), dir, { shardBytes });
    expect(weightsFiles().sort()).toEqual([...jsonOf().weightsFiles].sort());
  });

  it('rejects a bad shardBytes before writing anything', () => {
    const target = join(dir, 'none');
    expect(() => save(lenet5(), target, { shardBytes: 0 })).toThrow(
      'save: shardBytes must be a positive integer, but got 0',
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a missing shard, naming it', () => {
    save(lenet5(), dir, { shardBytes });
    const second = join(dir, jsonOf().weightsFiles[1]);
    rmSync(second);
    expect(() => loadModel(dir)).toThrow(
      `loadModel: ${second} is missing: ${join(dir, 'model.json')} names it, but it does not exist`,
    );
  });

  it('a truncated shard, naming the files', () => {
    save(lenet5(), dir, { shardBytes });
    const paths = jsonOf().weightsFiles.map((f: string) => join(dir, f));
    truncateSync(paths[0], 99_000);
    expect(() => loadModel(dir)).toThrow(
      `loadModel: ${paths.join(', ')} are truncated: the manifest needs 246,824 bytes but the files have 245,824`,
    );
  });

  it('a corrupt shard, naming the files', () => {
    save(lenet5(), dir, { shardBytes });
    const paths = jsonOf().weightsFiles.map((f: string) => join(dir, f));
    const bytes = readFileSync(paths[2]);
    bytes[5]! ^= 1;
    writeFileSync(paths[2], bytes);
    expect(() => loadModel(dir)).toThrow(`loadModel: ${paths.join(', ')} are corrupt: their CRC-32 is`);
  });

  it('a weightsFiles list that is empty, names a path outside the directory, or comes with weightsFile', () => {
    save(lenet5(), dir, { shardBytes });
    const path = join(dir, 'model.json');
    const json = jsonOf();
    for (const [change, got] of [
      [{ weightsFiles: [] }, 'weightsFiles []'],
      [{ weightsFiles: ['../weights-00000000.bin'] }, 'weightsFiles ["../weights-00000000.bin"]'],
      [{ weightsFile: json.weightsFiles[0] }, `weightsFiles ${JSON.stringify(json.weightsFiles)} and weightsFile`],
    ] as const) {
      writeFileSync(path, JSON.stringify({ ...json, ...change }));
      expect(() => loadModel(dir)).toThrow(
        `loadModel: ${path} names its weights files wrongly: expected either weightsFile or weightsFiles, a non-empty list of 'weights-<crc32>.bin' names, but got ${got}`,
      );
    }
  });
});

describe('functional models and paths', () => {
  it('a functional model with two outputs, BN statistics and a shared layer saves and loads bit for bit', () => {
    seed(11);
    const x = input({ shape: [6, 6, 2], name: 'fx' });
    const shared = new Conv2D({ name: 'fshared', filters: 2, kernelSize: 3, padding: 'same' });
    const h = new BatchNormalization({ name: 'fbn' }).apply(shared.apply(shared.apply(x)));
    const sum = new Add({ name: 'fadd' }).apply([x, h]);
    const y1 = new Dense({ name: 'fy1', units: 3 }).apply(new Flatten({ name: 'fflat' }).apply(sum));
    const m = model({ inputs: x, outputs: [y1, sum], name: 'func' });
    // move the BN statistics off their initial values, so a lost non-trainable weight would show
    m.getLayer('fbn').setWeights(
      m
        .getLayer('fbn')
        .getWeights()
        .map((w) => randn(w.shape)),
    );
    save(m, dir);
    const again = loadModel<Tensor[]>(dir);
    expect(again).toBeInstanceOf(Model);
    expect(again.layers.map((l) => l.name)).toEqual(m.layers.map((l) => l.name));
    const input0 = randn([2, 6, 6, 2]);
    const [a, b] = m.predict(input0);
    const [c, d] = again.predict(input0);
    expect(Array.from(c!.data)).toEqual(Array.from(a!.data));
    expect(Array.from(d!.data)).toEqual(Array.from(b!.data));
  });

  it('a file:// URL is a path (no folder named file:), other URL schemes are refused', () => {
    const m = lenet5();
    const url = pathToFileURL(join(dir, 'as url')).href;
    save(m, url);
    expect(readdirSync(join(dir, 'as url'))).toContain('model.json');
    expect(readdirSync(process.cwd())).not.toContain('file:');
    expect(loadModel(url).countParams()).toBe(61706);
    expect(() => save(m, 'indexeddb://my-model')).toThrow(
      /save: indexeddb:\/\/my-model is a indexeddb:\/\/ URL; this adapter writes directories/,
    );
    expect(() => save(m, dir, { shardByte: 10 } as never)).toThrow(
      /unknown option 'shardByte'; did you mean 'shardBytes'/,
    );
  });

  it('a subclassed model cannot be saved whole, and says what to do', () => {
    class Net extends Model {
      readonly d = new Dense({ units: 1 });
      protected override call(t: Tensor): Tensor {
        return this.d.apply(t);
      }
    }
    const net = new Net({ name: 'net' });
    net.predict(randn([1, 2]));
    expect(() => save(net, dir)).toThrow(/Model 'net': a subclassed model cannot be saved whole/);
  });
});
