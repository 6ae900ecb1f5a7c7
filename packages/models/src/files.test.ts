import { Dense } from '@sinapse/layers';
import { ConfigError, ShapeError, seed, tensor, ValueError } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { splitShards } from './artifacts';
import { crc32 } from './crc32';
import { artifactsFromFiles, modelFromFiles } from './files';
import { Sequential } from './Sequential';

/** A model folder as save writes it, in memory: model.json and its weights file(s). */
function folder(shardBytes?: number): Record<string, Uint8Array> {
  seed(1);
  const m = new Sequential([new Dense({ name: 'fc', units: 2, inputShape: [3] })], { name: 'm' });
  const { modelJson, weightData } = m.toArtifacts();
  const shards = shardBytes === undefined ? [weightData] : splitShards(weightData, shardBytes);
  const names = shards.map((s) => `weights-${crc32(s)}.bin`);
  const json = { ...modelJson, ...(names.length === 1 ? { weightsFile: names[0] } : { weightsFiles: names }) };
  const files: Record<string, Uint8Array> = { 'model.json': new TextEncoder().encode(JSON.stringify(json)) };
  shards.forEach((s, i) => {
    files[names[i]!] = s;
  });
  return files;
}

const text = (files: Record<string, Uint8Array>) => new TextDecoder().decode(files['model.json']);
const withJson = (files: Record<string, Uint8Array>, json: string) => ({
  ...files,
  'model.json': new TextEncoder().encode(json),
});

describe('modelFromFiles: a model folder as bytes', () => {
  it('loads one weights file or several shards, the same model', () => {
    const x = tensor([[1, 2, 3]]);
    const one = modelFromFiles(folder()).predict(x);
    expect(Array.from(modelFromFiles(folder(5)).predict(x).data)).toEqual(Array.from(one.data));
  });

  it.each<[string, (f: Record<string, Uint8Array>) => Record<string, Uint8Array>, string | RegExp]>([
    ['model.json missing', () => ({}), 'modelFromFiles: model.json is missing: a model folder needs it (got no files)'],
    ['model.json not JSON', (f) => withJson(f, '{"format":'), /^modelFromFiles: model\.json is not valid JSON \(/],
    [
      'model.json not UTF-8',
      (f) => ({ ...f, 'model.json': new Uint8Array([0xff, 0xfe]) }),
      /model\.json is not valid JSON/,
    ],
    [
      'a weights file missing',
      (f) => Object.fromEntries(Object.entries(f).filter(([k]) => k === 'model.json')),
      /^modelFromFiles: weights-[0-9a-f]{8}\.bin is missing: model\.json names it$/,
    ],
    [
      'weightsFile pointing elsewhere',
      (f) => withJson(f, text(f).replace(/weights-[0-9a-f]{8}\.bin/, '../../etc/passwd')),
      /^modelFromFiles: model\.json names no weights file: expected weightsFile 'weights-<crc32>\.bin', but got "\.\.\/\.\.\/etc\/passwd"/,
    ],
    [
      'an inherited name',
      (f) => withJson(f, text(f).replace(/weights-[0-9a-f]{8}\.bin/, 'constructor')),
      /names no weights file/,
    ],
    [
      'a weights file empty',
      (f) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, k === 'model.json' ? v : new Uint8Array(0)])),
      /^modelFromFiles: weights-[0-9a-f]{8}\.bin is truncated: the manifest needs 32 bytes but the file has 0$/,
    ],
  ])('%s: a ValueError naming the file', (_, edit, message) => {
    const files = edit(folder());
    expect(() => modelFromFiles(files)).toThrow(ValueError);
    expect(() => modelFromFiles(files)).toThrow(message);
  });

  it('config errors name model.json and the field', () => {
    const f = folder();
    const edited = withJson(f, text(f).replace('"units":2', '"units":-2'));
    expect(() => modelFromFiles(edited)).toThrow(ConfigError);
    expect(() => modelFromFiles(edited)).toThrow(
      "modelFromFiles: model.json: modelConfig: Dense 'fc': units must be a positive integer, but got -2",
    );
    const wider = withJson(f, text(f).replace('"units":2', '"units":20000'));
    expect(() => modelFromFiles(wider)).toThrow(ShapeError);
  });

  it('artifactsFromFiles gives what fromArtifacts takes, with the file names for its messages', () => {
    const { source } = artifactsFromFiles(folder(5));
    expect(source.jsonFile).toBe('model.json');
    expect(source.weightsFiles).toHaveLength(7);
  });
});
