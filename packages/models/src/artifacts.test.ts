// The codec alone: artifacts built from plain named tensors, no model anywhere (the model side is
// fromArtifacts.test.ts).
import { randn, seed, type Tensor, tensor, ValueError } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import {
  decodeArtifacts,
  encodeArtifacts,
  type ModelArtifacts,
  type ModelData,
  manifestCrc,
  type NamedTensor,
  splitShards,
  type WeightEntry,
} from './artifacts';
import { crc32 } from './crc32';

/** A config the codec never looks into. */
const config = { anything: ['goes', 1, null], nested: { here: true } };

/** Special float values too: the bytes must come back exactly, NaN and -0 included. */
const special = new Float32Array([Number.NaN, -0, Number.POSITIVE_INFINITY, -Number.MIN_VALUE, 1e-40]);

/** float32 and float64, a scalar (shape []), empty tensors ([0] and [2, 0, 3]), odd byte lengths before a float64. */
const named = (): NamedTensor[] => [
  { name: 'a/kernel', tensor: randn([2, 3]) },
  { name: 'a/scalar', tensor: tensor(3.5) },
  { name: 'a/odd', tensor: tensor([1, 2, 3]) }, // 12 bytes, so the next entry starts at 28: not 8-aligned
  { name: 'b/f64', tensor: tensor([0.1, -2.5e300, 5e-324], [3], { dtype: 'float64' }) },
  { name: 'b/empty', tensor: tensor([], [0]) },
  { name: 'b/empty3d', tensor: tensor([], [2, 0, 3], { dtype: 'float64' }) },
  { name: 'c/special', tensor: tensor(special, [5]) },
];

const data = (): ModelData => ({
  modelConfig: config,
  weights: named(),
  optimizer: {
    config: { className: 'Adam', iterations: 3 },
    tensors: [
      { name: 'a/kernel/m', tensor: randn([2, 3], { dtype: 'float64' }) },
      { name: 'a/scalar/m', tensor: tensor(-1) },
    ],
  },
});

const bytesOf = (t: Tensor) => Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));

function expectSameTensors(got: readonly NamedTensor[], want: readonly NamedTensor[]): void {
  expect(got.map((w) => [w.name, w.tensor.dtype, w.tensor.shape])).toEqual(
    want.map((w) => [w.name, w.tensor.dtype, w.tensor.shape]),
  );
  got.forEach((w, i) => {
    expect(bytesOf(w.tensor)).toEqual(bytesOf(want[i]!.tensor));
  });
}

/** Same artifacts with a modified modelJson (a deep copy, so tests do not share state). */
function withJson(a: ModelArtifacts, change: (json: Record<string, unknown>) => void): ModelArtifacts {
  const json = JSON.parse(JSON.stringify(a.modelJson));
  change(json);
  return { modelJson: json, weightData: a.weightData };
}

const manifestOf = (j: Record<string, unknown>) => j.weightsManifest as Record<string, unknown>[];

describe('crc32', () => {
  it('matches the standard check value: crc32("123456789") = cbf43926', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe('cbf43926');
    expect(crc32(new Uint8Array(0))).toBe('00000000');
  });

  it('of shards is the CRC-32 of their concatenation, wherever they are cut', () => {
    const bytes = new TextEncoder().encode('123456789');
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(crc32([bytes.subarray(0, cut), bytes.subarray(cut)])).toBe('cbf43926');
    }
    expect(crc32([])).toBe('00000000');
  });
});

describe('encodeArtifacts', () => {
  it('lays the tensors out back to back, weights then optimizer, and records both checksums', () => {
    const d = data();
    const a = encodeArtifacts(d);
    const rows = (list: readonly WeightEntry[]) => list.map((e) => [e.name, e.dtype, e.byteOffset, e.byteLength]);
    expect(rows(a.modelJson.weightsManifest)).toEqual([
      ['a/kernel', 'float32', 0, 24],
      ['a/scalar', 'float32', 24, 4],
      ['a/odd', 'float32', 28, 12],
      ['b/f64', 'float64', 40, 24],
      ['b/empty', 'float32', 64, 0],
      ['b/empty3d', 'float64', 64, 0],
      ['c/special', 'float32', 64, 20],
    ]);
    expect(rows(a.modelJson.optimizer!.weightsManifest)).toEqual([
      ['a/kernel/m', 'float64', 84, 48],
      ['a/scalar/m', 'float32', 132, 4],
    ]);
    expect(a.weightData.length).toBe(136);
    expect(a.modelJson.modelConfig).toBe(config); // opaque: passed through untouched
    expect(a.modelJson.weightsChecksum).toBe(crc32(a.weightData));
    expect(a.modelJson.manifestChecksum).toBe(
      manifestCrc(a.modelJson.weightsManifest, a.modelJson.optimizer!.weightsManifest),
    );
  });

  it('without an optimizer there is no optimizer field; without weights, zero bytes', () => {
    const a = encodeArtifacts({ modelConfig: config, weights: [] });
    expect(a.modelJson.optimizer).toBeUndefined();
    expect(a.weightData.length).toBe(0);
    expect(decodeArtifacts(a)).toEqual({ modelConfig: config, weights: [] });
  });

  it('copies the bytes of a tensor that is a view into a larger buffer, and only those', () => {
    const buffer = new Float32Array([9, 9, 1, 2, 9]);
    const view = tensor(buffer.subarray(2, 4), [2]);
    const a = encodeArtifacts({ modelConfig: config, weights: [{ name: 'v', tensor: view }] });
    expect(Array.from(new Float32Array(a.weightData.buffer))).toEqual([1, 2]);
  });

  it('rejects a missing modelConfig, an empty name and a name used twice', () => {
    expect(() => encodeArtifacts({ weights: [] } as unknown as ModelData)).toThrow(
      'encodeArtifacts: needs a modelConfig (the plain JSON the model is rebuilt from)',
    );
    const w = named();
    expect(() => encodeArtifacts({ modelConfig: config, weights: [...w, { name: '', tensor: tensor(1) }] })).toThrow(
      'encodeArtifacts: weights[7] needs a name (a non-empty string), but got ""',
    );
    expect(() =>
      encodeArtifacts({ modelConfig: config, weights: [...w, { name: 'a/odd', tensor: tensor(1) }] }),
    ).toThrow("encodeArtifacts: weights[7] and weights[2] are both named 'a/odd'; names must be unique");
    const d = data();
    d.optimizer!.tensors.push({ name: 'a/kernel/m', tensor: tensor(1) });
    expect(() => encodeArtifacts(d)).toThrow(
      "encodeArtifacts: optimizer.tensors[2] and optimizer.tensors[0] are both named 'a/kernel/m'",
    );
  });
});

describe('decodeArtifacts: round trips', () => {
  it('gives back the config, every tensor bit for bit (NaN, -0, float64 extremes, empty shapes), the optimizer', () => {
    seed(1);
    const d = data();
    const a = encodeArtifacts(d);
    // through JSON text and a fresh copy of the bytes, as a file or IndexedDB gives them back
    const back = decodeArtifacts({
      modelJson: JSON.parse(JSON.stringify(a.modelJson)),
      weightData: a.weightData.slice(),
    });
    expect(back.modelConfig).toEqual(config);
    expectSameTensors(back.weights, d.weights);
    expect(back.weights[1]!.tensor.shape).toEqual([]);
    expect(back.weights[5]!.tensor.size).toBe(0);
    expect(back.optimizer!.config).toEqual(d.optimizer!.config);
    expectSameTensors(back.optimizer!.tensors, d.optimizer!.tensors);
  });

  it('decoded tensors own their bytes: changing the input afterwards changes nothing', () => {
    const a = encodeArtifacts(data());
    const bytes = a.weightData.slice();
    const back = decodeArtifacts({ modelJson: a.modelJson, weightData: bytes });
    const before = bytesOf(back.weights[0]!.tensor);
    bytes.fill(0);
    expect(bytesOf(back.weights[0]!.tensor)).toEqual(before);
  });

  it('shards cut at every byte boundary (inside tensors too) decode to the same tensors', () => {
    seed(2);
    const d = data();
    const a = encodeArtifacts(d);
    const n = a.weightData.length;
    for (let cut = 0; cut <= n; cut++) {
      const back = decodeArtifacts({
        modelJson: a.modelJson,
        weightData: [a.weightData.slice(0, cut), a.weightData.slice(cut)],
      });
      expectSameTensors(back.weights, d.weights);
      expectSameTensors(back.optimizer!.tensors, d.optimizer!.tensors);
    }
  });

  it('many shards of uneven sizes, empty ones included', () => {
    seed(3);
    const d = data();
    const a = encodeArtifacts(d);
    for (let trial = 0; trial < 20; trial++) {
      const shards: Uint8Array[] = [];
      for (let start = 0; start < a.weightData.length; ) {
        const size = (trial * 7 + shards.length * 13) % 30; // sizes 0 to 29; 0 gives an empty shard
        shards.push(a.weightData.slice(start, start + size));
        start += size;
      }
      expectSameTensors(decodeArtifacts({ modelJson: a.modelJson, weightData: shards }).weights, d.weights);
    }
  });
});

describe('splitShards', () => {
  it('cuts into views of shardBytes bytes, the last shorter', () => {
    const bytes = new Uint8Array(10).map((_, i) => i);
    const shards = splitShards(bytes, 4);
    expect(shards.map((s) => Array.from(s))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(shards[1]!.buffer).toBe(bytes.buffer); // views, not copies
    expect(splitShards(bytes, 10)).toHaveLength(1);
    expect(splitShards(new Uint8Array(0), 4).map((s) => s.length)).toEqual([0]);
  });

  it('rejects a shardBytes that is not a positive integer', () => {
    expect(() => splitShards(new Uint8Array(4), 0)).toThrow(
      'splitShards: shardBytes must be a positive integer, but got 0',
    );
    expect(() => splitShards(new Uint8Array(4), 1.5, 'save')).toThrow(
      'save: shardBytes must be a positive integer, but got 1.5',
    );
  });
});

// Note [What loading checks], each check once, on artifacts of plain named tensors
describe('decodeArtifacts rejects', () => {
  const a = encodeArtifacts(data());
  const broken = (change: (m: Record<string, unknown>[]) => void) => withJson(a, (j) => change(manifestOf(j)));

  it('another format, a newer formatVersion, an incomplete json', () => {
    expect(() => decodeArtifacts(withJson(a, (j) => (j.format = 'keras')))).toThrow(ValueError);
    expect(() => decodeArtifacts(withJson(a, (j) => (j.format = 'keras')))).toThrow(
      'decodeArtifacts: modelJson is not a Sinapse model: expected format \'sinapse-model\', but got "keras"',
    );
    expect(() => decodeArtifacts({ modelJson: null, weightData: a.weightData } as never)).toThrow(
      "decodeArtifacts: modelJson is not a Sinapse model: expected format 'sinapse-model', but got none",
    );
    expect(() => decodeArtifacts(withJson(a, (j) => (j.formatVersion = 2)))).toThrow(
      'decodeArtifacts: modelJson has formatVersion 2, but this version of @sinapse/models reads version 1',
    );
    expect(() => decodeArtifacts(withJson(a, (j) => delete j.weightsChecksum))).toThrow(
      'decodeArtifacts: modelJson is incomplete: it needs modelConfig, weightsManifest and weightsChecksum',
    );
  });

  it('weightData that is not bytes, an optimizer without a manifest or a config object', () => {
    expect(() => decodeArtifacts({ ...a, weightData: [1, 2] as never })).toThrow(
      'decodeArtifacts: weightData must be a Uint8Array or an array of Uint8Array shards',
    );
    expect(() => decodeArtifacts(withJson(a, (j) => (j.optimizer = { config: {} })))).toThrow(
      'decodeArtifacts: modelJson: optimizer.weightsManifest must be an array, but got undefined',
    );
    expect(() =>
      decodeArtifacts(withJson(a, (j) => ((j.optimizer as Record<string, unknown>).config = 'adam'))),
    ).toThrow('decodeArtifacts: modelJson: optimizer.config must be an object, but got "adam"');
  });

  it('a malformed entry: not an object, no name, a repeated name, a bad shape, an unknown dtype, bad byte fields', () => {
    expect(() => decodeArtifacts(broken((m) => (m[1] = null as never)))).toThrow(
      'decodeArtifacts: modelJson: weightsManifest[1] must be an object { name, shape, dtype, byteOffset, byteLength }, but got null',
    );
    expect(() => decodeArtifacts(broken((m) => delete m[0]!.name))).toThrow(
      'decodeArtifacts: modelJson: weightsManifest[0] needs a name (a non-empty string), but got undefined',
    );
    expect(() => decodeArtifacts(broken((m) => (m[3]!.name = 'a/scalar')))).toThrow(
      "decodeArtifacts: modelJson: weightsManifest[3] ('a/scalar') has the name of weightsManifest[1]; names must be unique",
    );
    expect(() => decodeArtifacts(broken((m) => (m[0]!.shape = [2, -3])))).toThrow(
      "decodeArtifacts: modelJson: weightsManifest[0] ('a/kernel') needs a shape of non-negative integers, but got [2,-3]",
    );
    expect(() => decodeArtifacts(broken((m) => (m[1]!.dtype = 'int8')))).toThrow(
      "decodeArtifacts: modelJson: weightsManifest[1] ('a/scalar') has dtype \"int8\", but only 'float32' and 'float64' are known",
    );
    expect(() => decodeArtifacts(broken((m) => (m[0]!.byteOffset = -8)))).toThrow(
      "decodeArtifacts: modelJson: weightsManifest[0] ('a/kernel') needs byteOffset a non-negative integer, but got -8",
    );
    expect(() => decodeArtifacts(broken((m) => (m[2]!.byteLength = 12.5)))).toThrow(
      "decodeArtifacts: modelJson: weightsManifest[2] ('a/odd') needs byteLength a non-negative integer, but got 12.5",
    );
    expect(() => decodeArtifacts(broken((m) => (m[3]!.byteLength = 12)))).toThrow(
      "decodeArtifacts: modelJson: weightsManifest[3] ('b/f64') is inconsistent: shape [3] of float64 needs 24 bytes, but byteLength is 12",
    );
  });

  it('entries that do not lie back to back from 0: a gap, a swap, an optimizer entry not after the weights', () => {
    expect(() => decodeArtifacts(broken((m) => ((m[0]!.byteOffset as number) += 4)))).toThrow(
      "decodeArtifacts: modelJson: weightsManifest[0] ('a/kernel') starts at byteOffset 4, but the entries must be back to back in order, so it must start at 0",
    );
    expect(() =>
      decodeArtifacts(
        broken((m) => {
          [m[4]!.byteOffset, m[6]!.byteOffset] = [m[6]!.byteOffset, 60];
        }),
      ),
    ).toThrow(
      "decodeArtifacts: modelJson: weightsManifest[6] ('c/special') starts at byteOffset 60, but the entries must be back to back in order, so it must start at 64",
    );
    const opt = withJson(a, (j) => {
      (j.optimizer as { weightsManifest: Record<string, unknown>[] }).weightsManifest[0]!.byteOffset = 0;
    });
    expect(() => decodeArtifacts(opt)).toThrow(
      "decodeArtifacts: modelJson: optimizer.weightsManifest[0] ('a/kernel/m') starts at byteOffset 0, but the entries must be back to back in order, so it must start at 84",
    );
  });

  it('truncated or longer bytes, with both counts', () => {
    expect(() => decodeArtifacts({ ...a, weightData: a.weightData.slice(0, 100) })).toThrow(
      'decodeArtifacts: weightData is truncated: the manifest needs 136 bytes but it has 100',
    );
    const longer = new Uint8Array(a.weightData.length + 4);
    longer.set(a.weightData);
    expect(() => decodeArtifacts({ ...a, weightData: longer })).toThrow(
      'decodeArtifacts: weightData has 140 bytes, but the manifest in modelJson accounts for 136: they do not belong together',
    );
  });

  it('a flipped bit (weightsChecksum), an edit that still tiles (manifestChecksum)', () => {
    const bytes = a.weightData.slice();
    bytes[10]! ^= 1;
    expect(() => decodeArtifacts({ ...a, weightData: bytes })).toThrow(
      new RegExp(
        `^decodeArtifacts: weightData is corrupt: its CRC-32 is [0-9a-f]{8}, but modelJson records ${a.modelJson.weightsChecksum}$`,
      ),
    );
    expect(() => decodeArtifacts(broken((m) => (m[0]!.shape = [3, 2])))).toThrow(
      /^decodeArtifacts: modelJson: the weights manifest was modified: its CRC-32 is [0-9a-f]{8}, but manifestChecksum records "[0-9a-f]{8}"$/,
    );
    // a renamed entry is an edit too: the codec catches it before any model could
    expect(() => decodeArtifacts(broken((m) => (m[0]!.name = 'a/other')))).toThrow(
      'decodeArtifacts: modelJson: the weights manifest was modified',
    );
  });

  it('but decodes a json written before manifestChecksum existed (same formatVersion 1)', () => {
    const old = withJson(a, (j) => delete j.manifestChecksum);
    expectSameTensors(decodeArtifacts(old).weights, decodeArtifacts(a).weights);
  });
});

describe('decodeArtifacts names what it read', () => {
  const a = encodeArtifacts(data());
  const shards = splitShards(a.weightData, 50); // 50 + 50 + 36 bytes

  it('in memory: the fields, and the number of shards', () => {
    expect(() => decodeArtifacts({ ...a, weightData: shards.slice(0, 2) }, { op: 'fromArtifacts' })).toThrow(
      'fromArtifacts: weightData (2 shards) is truncated: the manifest needs 136 bytes but it has 100',
    );
  });

  it('from files: the paths, one file or several', () => {
    const source = { op: 'loadModel', jsonFile: '/m/model.json', weightsFiles: ['/m/w1.bin'] };
    expect(() => decodeArtifacts({ ...a, weightData: [a.weightData.slice(0, 100)] }, source)).toThrow(
      'loadModel: /m/w1.bin is truncated: the manifest needs 136 bytes but the file has 100',
    );
    const three = { ...source, weightsFiles: ['/m/w1.bin', '/m/w2.bin', '/m/w3.bin'] };
    expect(() => decodeArtifacts({ ...a, weightData: [shards[0]!, shards[1]!, shards[2]!.slice(1)] }, three)).toThrow(
      'loadModel: /m/w1.bin, /m/w2.bin, /m/w3.bin are truncated: the manifest needs 136 bytes but the files have 135',
    );
    const damaged = shards.map((s) => s.slice());
    damaged[2]![0]! ^= 4;
    expect(() => decodeArtifacts({ ...a, weightData: damaged }, three)).toThrow(
      /^loadModel: \/m\/w1\.bin, \/m\/w2\.bin, \/m\/w3\.bin are corrupt: their CRC-32 is [0-9a-f]{8}, but \/m\/model\.json records [0-9a-f]{8}$/,
    );
    expect(() =>
      decodeArtifacts(
        withJson(a, (j) => (j.formatVersion = 3)),
        three,
      ),
    ).toThrow('loadModel: /m/model.json has formatVersion 3');
  });
});
