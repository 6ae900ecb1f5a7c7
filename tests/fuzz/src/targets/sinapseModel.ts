/**
 * The Sinapse model folder (model.json + weights-<crc32>.bin, or shards), read through the
 * browser-safe bytes API `modelFromFiles` (the checks of loadModel, without a file system). The
 * valid inputs are real saved models: LeNet-5, and a small functional model with a branch, Add and
 * Concatenate merges and BatchNormalization, saved with an optimizer state; each as one weights
 * file or cut into shards. A loaded model must also predict on zeros of its input shape.
 */
import {
  Add,
  BatchNormalization,
  Concatenate,
  Conv2D,
  Dense,
  GlobalAveragePooling2D,
  input,
  ReLU,
} from '@sinapse/layers';
import { crc32, lenet5, type Model, model, modelFromFiles, splitShards } from '@sinapse/models';
import { randn, seed, type Tensor, zeros } from '@sinapse/tensor';
import fc from 'fast-check';
import { unmeasured } from '../allocations';
import { bytesMutations, editJson, type Mutation, mutated } from '../mutate';
import type { FuzzCase, FuzzTarget } from '../target';

const encoder = new TextEncoder();

/** A model folder as save writes it: model.json naming weights files by their CRC-32. */
function folder(
  m: Model<Tensor | Tensor[]>,
  shardBytes: number | null,
  withOptimizer: boolean,
): Record<string, Uint8Array> {
  const optimizer = withOptimizer
    ? {
        config: { className: 'SGD', learningRate: 0.01, momentum: 0.9, step: 3 },
        tensors: m.weights.slice(0, 2).map((p) => ({ name: `${p.name}/velocity`, tensor: randn([...p.shape]) })),
      }
    : undefined;
  const { modelJson, weightData } = m.toArtifacts({ optimizer });
  const shards = shardBytes === null ? [weightData] : splitShards(weightData, shardBytes);
  const names = shards.map((s) => `weights-${crc32(s)}.bin`);
  const json = { ...modelJson, ...(names.length === 1 ? { weightsFile: names[0] } : { weightsFiles: names }) };
  const files: Record<string, Uint8Array> = { 'model.json': encoder.encode(JSON.stringify(json, null, 2)) };
  shards.forEach((s, i) => {
    files[names[i]!] = s.slice();
  });
  return files;
}

/** x [8, 8, 2] → conv → BN → ReLU, + a 1×1 conv branch (Add), ‖ the input (Concatenate) → GAP → Dense 3. */
function functional(): Model<Tensor | Tensor[]> {
  const x = input({ shape: [8, 8, 2], name: 'x' });
  const h = new ReLU({ name: 'relu' }).apply(
    new BatchNormalization({ name: 'bn' }).apply(
      new Conv2D({ name: 'conv', filters: 4, kernelSize: 3, padding: 'same' }).apply(x),
    ),
  );
  const side = new Conv2D({ name: 'side', filters: 4, kernelSize: 1 }).apply(x);
  const sum = new Add({ name: 'add' }).apply([h, side]);
  const cat = new Concatenate({ name: 'cat' }).apply([sum, x]);
  const y = new Dense({ name: 'out', units: 3 }).apply(new GlobalAveragePooling2D({ name: 'gap' }).apply(cat));
  return model({ inputs: x, outputs: y, name: 'branches' }) as Model<Tensor | Tensor[]>;
}

let bases: { description: string; files: Record<string, Uint8Array> }[] | null = null;

/** The valid folders, made once (seeded, so every run fuzzes the same bytes). */
function validFolders() {
  if (bases !== null) return bases;
  seed(16);
  const lenet = lenet5() as Model<Tensor | Tensor[]>;
  const branches = functional();
  bases = [
    { description: 'LeNet-5, one weights file', files: folder(lenet, null, false) },
    { description: 'LeNet-5 with optimizer state, 4 shards', files: folder(lenet, 65536, true) },
    {
      description: 'functional model (Add, Concatenate, BatchNormalization), one weights file',
      files: folder(branches, null, true),
    },
    { description: 'functional model, shards of 100 bytes', files: folder(branches, 100, false) },
  ];
  return bases;
}

const base: fc.Arbitrary<FuzzCase> = fc.integer({ min: 0, max: 3 }).map((i) => {
  const b = validFolders()[i]!;
  return { files: b.files, description: b.description };
});

const MAX_SHARDS = 256;

/** Re-cuts the weights into other shards, renaming them and listing them in model.json: still a valid folder. */
const reshard: Mutation = fc.integer({ min: 1, max: 300_000 }).map((shardBytes) => (c: FuzzCase) => {
  const jsonBytes = c.files['model.json'];
  if (jsonBytes === undefined) return c;
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(new TextDecoder().decode(jsonBytes));
  } catch {
    return c;
  }
  const names: unknown = json.weightsFiles ?? [json.weightsFile];
  // own keys only: a mutated model.json can name '__proto__', which `c.files[n]` finds on Object
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string' && Object.hasOwn(c.files, n))) return c;
  const parts = names.map((n) => c.files[n as string]!);
  const whole = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    whole.set(p, at);
    at += p.length;
  }
  // at most MAX_SHARDS files: many shards are worth a case, but LeNet-5 cut into 7-byte shards was a
  // 35,350-file fixture (140 MB on disk) for a failure that had nothing to do with the shards
  const shards = splitShards(whole, Math.max(shardBytes, Math.ceil(whole.length / MAX_SHARDS)));
  const newNames = shards.map((s) => `weights-${crc32(s)}.bin`);
  const { weightsFile: _, weightsFiles: __, ...rest } = json;
  const files: Record<string, Uint8Array> = {
    'model.json': encoder.encode(
      JSON.stringify({
        ...rest,
        ...(newNames.length === 1 ? { weightsFile: newNames[0] } : { weightsFiles: newNames }),
      }),
    ),
  };
  shards.forEach((s, i) => {
    files[newNames[i]!] = s;
  });
  return { files, description: `${c.description}; re-cut into ${shards.length} shards of ${shardBytes} bytes` };
});

/** The fields worth editing most: the layer configs and the graph, and the manifest. */
const CONFIG = /^modelConfig\.(layers\.\d+\.(config|className|inboundNodes)|inputLayers|outputLayers|inputShape)/;
const MANIFEST = /^(weightsManifest|optimizer)\./;

/** An edited manifest that still tiles trips manifestChecksum first; without it (files from before it), the deeper checks run. */
const dropManifestChecksum = (json: Record<string, unknown>) => {
  delete json.manifestChecksum;
  return JSON.stringify(json);
};

export const sinapseModelTarget: FuzzTarget = {
  name: 'sinapse-model',
  arbitrary: fc.oneof(
    { arbitrary: base, weight: 1 },
    { arbitrary: mutated(base, [reshard]), weight: 1 },
    // the layer configs, mostly: what decides how much building the model allocates
    { arbitrary: mutated(base, [editJson('model.json', CONFIG, dropManifestChecksum, 0.9), reshard]), weight: 8 },
    // manifests that still tile, checked against the config without the manifest's checksum
    { arbitrary: mutated(base, [editJson('model.json', MANIFEST, dropManifestChecksum, 0.9)]), weight: 2 },
    { arbitrary: mutated(base, [...bytesMutations, editJson('model.json', CONFIG, dropManifestChecksum)]), weight: 4 },
  ),
  async run(c) {
    const m = modelFromFiles<Tensor | Tensor[]>(c.files);
    // a loaded model must work: predict on zeros of each input shape (if small; the input is the user's, not the file's)
    const shapes = m.inputShapes.map((s) => s.map((d) => d ?? 1));
    const small = (list: readonly (readonly (number | null)[])[], most: number) =>
      list.every((s) => s.reduce<number>((a, b) => a * (b ?? 1), 1) <= most);
    if (shapes.length > 0 && small(shapes, 1e5) && small(m.outputShapes, 1e6)) {
      unmeasured(() => m.predict(shapes.length === 1 ? zeros(shapes[0]!) : shapes.map((s) => zeros(s))));
    }
  },
};
