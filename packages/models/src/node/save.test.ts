import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randn, seed } from '@sinapse/tensor';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lenet5 } from '../architectures/lenet5';
import { loadModel, removeStaleFiles, save, writeModelJson, writeWeightsFile } from './save';

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
    writeWeightsFile(dir, lenet5().toArtifacts());
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
    const file = writeWeightsFile(dir, a);
    writeModelJson(dir, a.modelJson, file);
    const x = randn([1, 28, 28, 1]);
    expect(Array.from(loadModel(dir).predict(x).data)).toEqual(Array.from(next.predict(x).data));
    removeStaleFiles(dir, file);
    expect(weightsFiles()).toEqual([file]);
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
