import { BatchNormalization, Conv2D, Dense, Flatten } from '@sinapse/layers';
import { randn, ShapeError, seed, type Tensor, tensor, ValueError } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { lenet5 } from './architectures/lenet5';
import { encodeArtifacts, type ModelArtifacts, type OptimizerState, splitShards } from './artifacts';
import { crc32 } from './crc32';
import { fromArtifacts } from './fromArtifacts';
import { Sequential } from './Sequential';

const model = () =>
  new Sequential(
    [
      new Conv2D({ name: 'conv', filters: 2, kernelSize: 3, inputShape: [5, 5, 1] }),
      new BatchNormalization({ name: 'bn' }),
      new Flatten({ name: 'flat' }),
      new Dense({ name: 'out', units: 2 }),
    ],
    { name: 'tiny' },
  );

const optimizer = (): OptimizerState => ({
  config: { className: 'SGD', learningRate: 0.1, momentum: 0.9, step: 7 },
  tensors: [
    { name: 'conv/kernel/velocity', tensor: randn([3, 3, 1, 2]) },
    { name: 'out/bias/velocity', tensor: tensor([0.25, -1.5], [2], { dtype: 'float64' }) },
  ],
});

/** Same artifacts with a modified modelJson (a deep copy, so tests do not share state). */
function withJson(a: ModelArtifacts, change: (json: Record<string, unknown>) => void): ModelArtifacts {
  const json = JSON.parse(JSON.stringify(a.modelJson));
  change(json);
  return { modelJson: json, weightData: a.weightData };
}

describe('toArtifacts / fromArtifacts', () => {
  it('writes a manifest of every weight, back to back, and a checksum of the bytes', () => {
    const a = model().toArtifacts();
    expect(a.modelJson.format).toBe('sinapse-model');
    expect(a.modelJson.formatVersion).toBe(1);
    // conv kernel 18 floats, bias 2, bn 4 × 2, dense kernel 18·2 = 36, bias 2: 66 floats = 264 bytes
    expect(a.modelJson.weightsManifest.map((e) => [e.name, e.byteOffset, e.byteLength])).toEqual([
      ['conv/kernel', 0, 72],
      ['conv/bias', 72, 8],
      ['bn/gamma', 80, 8],
      ['bn/beta', 88, 8],
      ['bn/moving_mean', 96, 8],
      ['bn/moving_variance', 104, 8],
      ['out/kernel', 112, 144],
      ['out/bias', 256, 8],
    ]);
    expect(a.weightData.length).toBe(264);
    expect(a.modelJson.weightsChecksum).toBe(crc32(a.weightData));
    expect(a.modelJson.optimizer).toBeUndefined();
  });

  it('round trip: the same weights bit for bit, the same predictions, through JSON text', () => {
    seed(3);
    const m = model();
    m.apply(randn([4, 5, 5, 1]), { training: true }); // moves the BN statistics off their initial values
    const a = m.toArtifacts();
    const again = fromArtifacts({
      modelJson: JSON.parse(JSON.stringify(a.modelJson)),
      weightData: a.weightData.slice(),
    });
    expect(again.name).toBe('tiny');
    expect(again.getWeights().map((w) => Array.from(w.data))).toEqual(m.getWeights().map((w) => Array.from(w.data)));
    const x = randn([3, 5, 5, 1]);
    expect(Array.from(again.predict(x).data)).toEqual(Array.from(m.predict(x).data));
    expect(again.optimizerState).toBeNull();
  });

  it('stores optimizer state after the weights and gives it back in model.optimizerState', () => {
    const state = optimizer();
    const a = model().toArtifacts({ optimizer: state });
    expect(a.modelJson.optimizer!.weightsManifest.map((e) => [e.name, e.dtype, e.byteOffset, e.byteLength])).toEqual([
      ['conv/kernel/velocity', 'float32', 264, 72],
      ['out/bias/velocity', 'float64', 336, 16],
    ]);
    const back = fromArtifacts(a).optimizerState!;
    expect(back.config).toEqual(state.config);
    expect(back.tensors.map((t) => t.name)).toEqual(['conv/kernel/velocity', 'out/bias/velocity']);
    expect(Array.from(back.tensors[0]!.tensor.data)).toEqual(Array.from(state.tensors[0]!.tensor.data));
    expect(back.tensors[1]!.tensor.dtype).toBe('float64');
    expect(back.tensors[1]!.tensor.toArray()).toEqual([0.25, -1.5]);
  });

  it('rejects another format', () => {
    const a = withJson(model().toArtifacts(), (j) => {
      j.format = 'keras';
    });
    expect(() => fromArtifacts(a)).toThrow(ValueError);
    expect(() => fromArtifacts(a)).toThrow(
      'fromArtifacts: modelJson is not a Sinapse model: expected format \'sinapse-model\', but got "keras"',
    );
  });

  it('rejects a newer formatVersion', () => {
    const a = withJson(model().toArtifacts(), (j) => {
      j.formatVersion = 2;
    });
    expect(() => fromArtifacts(a)).toThrow(
      'fromArtifacts: modelJson has formatVersion 2, but this version of @sinapse/models reads version 1',
    );
  });

  it('rejects truncated weights, with both byte counts', () => {
    const a = model().toArtifacts();
    expect(() => fromArtifacts({ ...a, weightData: a.weightData.slice(0, 100) })).toThrow(
      'fromArtifacts: weightData is truncated: the manifest needs 264 bytes but it has 100',
    );
  });

  it('rejects a flipped bit (checksum mismatch)', () => {
    const a = model().toArtifacts();
    const bytes = a.weightData.slice();
    bytes[10]! ^= 1;
    expect(() => fromArtifacts({ ...a, weightData: bytes })).toThrow(
      new RegExp(
        `fromArtifacts: weightData is corrupt: its CRC-32 is [0-9a-f]{8}, but modelJson records ${a.modelJson.weightsChecksum}`,
      ),
    );
  });

  it('rejects a manifest that does not match the architecture', () => {
    // well-formed artifacts (the codec accepts them) whose weight names are not the model's
    const m = model();
    const weights = m.weights.map((p) => ({ name: p.name === 'conv/bias' ? 'conv/other' : p.name, tensor: p }));
    const a = encodeArtifacts({ modelConfig: m.getConfig(), weights });
    expect(() => fromArtifacts(a)).toThrow(ValueError);
    expect(() => fromArtifacts(a)).toThrow(
      /fromArtifacts: modelJson: the weights manifest does not match the model: it lists \[conv\/kernel, conv\/other, /,
    );
    expect(() => fromArtifacts(a)).toThrow('(missing: conv/bias; not in the model: conv/other)');
  });

  // Note [What loading checks]: the manifest must tile the bytes, entry by entry
  const manifestOf = (j: Record<string, unknown>) => j.weightsManifest as Record<string, unknown>[];

  it('rejects byteOffset moved by 4 bytes (entries must be back to back from 0)', () => {
    const a = withJson(model().toArtifacts(), (j) => {
      (manifestOf(j)[0]!.byteOffset as number) += 4;
    });
    expect(() => fromArtifacts(a)).toThrow(ValueError);
    expect(() => fromArtifacts(a)).toThrow(
      "fromArtifacts: modelJson: weightsManifest[0] ('conv/kernel') starts at byteOffset 4, but the entries must be back to back in order, so it must start at 0",
    );
  });

  it('rejects the byteOffsets of two same-size entries swapped', () => {
    const a = withJson(model().toArtifacts(), (j) => {
      const [bias, gamma] = [manifestOf(j)[1]!, manifestOf(j)[2]!]; // conv/bias and bn/gamma, 8 bytes each
      [bias.byteOffset, gamma.byteOffset] = [gamma.byteOffset, bias.byteOffset];
    });
    expect(() => fromArtifacts(a)).toThrow(
      "fromArtifacts: modelJson: weightsManifest[1] ('conv/bias') starts at byteOffset 80, but the entries must be back to back in order, so it must start at 72",
    );
  });

  it('rejects a null entry, a missing shape, a negative byteOffset, an unknown dtype, a wrong byteLength', () => {
    const a = model().toArtifacts();
    const broken = (change: (e: Record<string, unknown>[]) => void) => withJson(a, (j) => change(manifestOf(j)));
    expect(() =>
      fromArtifacts(
        broken((m) => {
          m[1] = null as unknown as Record<string, unknown>;
        }),
      ),
    ).toThrow(
      'fromArtifacts: modelJson: weightsManifest[1] must be an object { name, shape, dtype, byteOffset, byteLength }, but got null',
    );
    expect(() => fromArtifacts(broken((m) => delete m[0]!.shape))).toThrow(
      "fromArtifacts: modelJson: weightsManifest[0] ('conv/kernel') needs a shape of non-negative integers, but got undefined",
    );
    expect(() =>
      fromArtifacts(
        broken((m) => {
          m[0]!.byteOffset = -8;
        }),
      ),
    ).toThrow(
      "fromArtifacts: modelJson: weightsManifest[0] ('conv/kernel') needs byteOffset a non-negative integer, but got -8",
    );
    expect(() =>
      fromArtifacts(
        broken((m) => {
          m[1]!.dtype = 'int8';
        }),
      ),
    ).toThrow(
      "fromArtifacts: modelJson: weightsManifest[1] ('conv/bias') has dtype \"int8\", but only 'float32' and 'float64' are known",
    );
    // a dtype that is one of Object's keys found Object's function, and the message said "needs NaN bytes"
    expect(() =>
      fromArtifacts(
        broken((m) => {
          m[1]!.dtype = 'constructor' as never;
        }),
      ),
    ).toThrow(
      "fromArtifacts: modelJson: weightsManifest[1] ('conv/bias') has dtype \"constructor\", but only 'float32' and 'float64' are known",
    );
    expect(() =>
      fromArtifacts(
        broken((m) => {
          m[1]!.byteLength = 4;
        }),
      ),
    ).toThrow(
      "fromArtifacts: modelJson: weightsManifest[1] ('conv/bias') is inconsistent: shape [2] of float32 needs 8 bytes, but byteLength is 4",
    );
  });

  it('rejects weights longer than the manifest accounts for', () => {
    const a = model().toArtifacts();
    const longer = new Uint8Array(a.weightData.length + 4);
    longer.set(a.weightData);
    expect(() => fromArtifacts({ ...a, weightData: longer })).toThrow(
      'fromArtifacts: weightData has 268 bytes, but the manifest in modelJson accounts for 264: they do not belong together',
    );
  });

  it('rejects an edit that still tiles the bytes (shape [3,3,1,2] → [3,3,2,1]) by the manifest checksum', () => {
    const a = withJson(model().toArtifacts(), (j) => {
      manifestOf(j)[0]!.shape = [3, 3, 2, 1];
    });
    expect(() => fromArtifacts(a)).toThrow(
      /^fromArtifacts: modelJson: the weights manifest was modified: its CRC-32 is [0-9a-f]{8}, but manifestChecksum records "[0-9a-f]{8}"$/,
    );
  });

  it('loads a file written before manifestChecksum existed (same formatVersion 1)', () => {
    seed(3);
    const m = model();
    const x = randn([2, 5, 5, 1]);
    const a = withJson(m.toArtifacts(), (j) => {
      delete j.manifestChecksum;
    });
    expect(Array.from(fromArtifacts(a).predict(x).data)).toEqual(Array.from(m.predict(x).data));
  });

  it('validates the optimizer manifest too: it continues where the weights end', () => {
    const a = withJson(model().toArtifacts({ optimizer: optimizer() }), (j) => {
      const opt = j.optimizer as { weightsManifest: Record<string, unknown>[] };
      opt.weightsManifest[0]!.byteOffset = 0;
    });
    expect(() => fromArtifacts(a)).toThrow(
      "fromArtifacts: modelJson: optimizer.weightsManifest[0] ('conv/kernel/velocity') starts at byteOffset 0, but the entries must be back to back in order, so it must start at 264",
    );
  });
});

describe('fromArtifacts: the model side (decoded data into a new model, by name)', () => {
  const stored = (m: Sequential) => m.weights.map((p) => ({ name: p.name, tensor: p as Tensor }));

  it('matches weights by name, not position: a manifest in another order loads the same model', () => {
    seed(4);
    const m = model();
    const a = encodeArtifacts({ modelConfig: m.getConfig(), weights: stored(m).reverse() });
    expect(a.modelJson.weightsManifest[0]!.name).toBe('out/bias');
    const x = randn([2, 5, 5, 1]);
    expect(Array.from(fromArtifacts(a).predict(x).data)).toEqual(Array.from(m.predict(x).data));
  });

  it('loads artifacts whose bytes come in shards (cut every 7 bytes, inside tensors)', () => {
    seed(5);
    const m = model();
    const a = m.toArtifacts({ optimizer: optimizer() });
    const again = fromArtifacts({ modelJson: a.modelJson, weightData: splitShards(a.weightData, 7) });
    expect(again.getWeights().map((w) => Array.from(w.data))).toEqual(m.getWeights().map((w) => Array.from(w.data)));
    expect(again.optimizerState!.tensors.map((t) => t.name)).toEqual(['conv/kernel/velocity', 'out/bias/velocity']);
  });

  it('a stored weight of another shape: a ShapeError naming the layer, the weight and both shapes', () => {
    const m = model();
    const weights = stored(m);
    weights[0] = { name: 'conv/kernel', tensor: randn([2, 3, 3, 1]) };
    const a = encodeArtifacts({ modelConfig: m.getConfig(), weights });
    expect(() => fromArtifacts(a)).toThrow(ShapeError);
    expect(() => fromArtifacts(a)).toThrow(
      "fromArtifacts: modelJson: layer 'conv' (Conv2D): its config makes weight conv/kernel of shape [3, 3, 1, 2], " +
        'but weightsManifest[0] stores [2, 3, 3, 1]',
    );
  });

  // Note [Check the config before building]: issue 16's edited LeNet-5, whose first Dense asked for
  // a [400, units] kernel before anything compared it with the 400·120 weights in the file
  it.each([
    [100_000, 'a kernel of 160 MB, which was allocated and initialized before the shapes were compared'],
    [100_000_000, 'a kernel past the typed-array limit'],
  ])('LeNet-5 with fc1 units %i (%s): a ShapeError before any weight is allocated', (units) => {
    const a = lenet5().toArtifacts();
    const edited = withJson(a, (json) => {
      const layers = (json.modelConfig as { layers: { config: Record<string, unknown> }[] }).layers;
      layers[5]!.config.units = units;
    });
    const before = process.memoryUsage().arrayBuffers;
    expect(() => fromArtifacts(edited, { jsonFile: 'model.json' })).toThrow(
      `fromArtifacts: model.json: layer 'fc1' (Dense): its config makes weight fc1/kernel of shape [400, ${units}], ` +
        'but weightsManifest[4] stores [400, 120]',
    );
    // nothing as big as the weights was made: LeNet-5's own weights are 247 KB
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1e6);
  });

  it('an option a layer refuses names the file and the field: the layer, then the option', () => {
    const a = withJson(lenet5().toArtifacts(), (json) => {
      (json.modelConfig as { layers: { config: Record<string, unknown> }[] }).layers[0]!.config.kernelSize = -5;
    });
    expect(() => fromArtifacts(a, { jsonFile: 'model.json' })).toThrow(
      "fromArtifacts: model.json: modelConfig: Conv2D 'conv1': kernelSize must be positive integers, but got -5",
    );
  });

  it('a stored weight of another dtype', () => {
    const m = model();
    const weights = stored(m);
    weights[1] = { name: 'conv/bias', tensor: tensor([1, 2], [2], { dtype: 'float64' }) };
    expect(() => fromArtifacts(encodeArtifacts({ modelConfig: m.getConfig(), weights }))).toThrow(
      'fromArtifacts: modelJson: weight conv/bias is float64 in the file, but float32 in the model',
    );
  });

  it('weights the model lacks, and a model config of no known class', () => {
    const m = model();
    const extra = [...stored(m), { name: 'out/extra', tensor: tensor([1]) }];
    expect(() => fromArtifacts(encodeArtifacts({ modelConfig: m.getConfig(), weights: extra }))).toThrow(
      '(missing: none; not in the model: out/extra)',
    );
    expect(() => fromArtifacts(encodeArtifacts({ modelConfig: { graph: {} }, weights: [] }))).toThrow(
      "fromArtifacts: modelJson: modelConfig is not a model this version knows: expected a Sequential's { name, layers: [...] }",
    );
  });
});
