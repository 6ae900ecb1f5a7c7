/**
 * Layers models as files: what tensorflowjs_converter writes (several groups, each cut into shards,
 * optionally quantized) loads into Sinapse with TF.js's predictions, where TF.js itself reads the
 * same files through its http loader (tf.io.http with a fetch that reads the disk).
 */
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Generator, rand, ValueError } from '@sinapse/tensor';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LayersModelArtifacts, LayersModelJson } from '../layersModel/artifacts';
import { decodeGroup, encodeGroup, type Quantization } from '../layersModel/weights';
import { tfSequential } from '../testing/models';
import { expectClose, tfArtifacts, toTf } from '../testing/tfjs';
import { loadLayersModel } from './files';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sinapse-interop-'));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A fetch that serves file:// URLs from the disk, for tf.io.http. */
const fileFetch = async (url: string | URL | Request): Promise<Response> => {
  const path = fileURLToPath(url instanceof Request ? url.url : url);
  return new Response(readFileSync(path));
};

/** TF.js reading model.json and its shards itself. */
export const tfLoad = (path: string): Promise<tfl.LayersModel> =>
  tfl.loadLayersModel(tf.io.http(pathToFileURL(path).href, { fetchFunc: fileFetch }));

/**
 * Writes artifacts as the converter would: the weights in `groups` groups, each cut into shards of
 * at most `shardBytes`, re-encoded with `quantize` (as --quantize_uint8 etc. do).
 */
function writeConverted(
  dir: string,
  a: LayersModelArtifacts,
  {
    groups = 2,
    shardBytes = 300,
    quantize,
  }: { groups?: number; shardBytes?: number; quantize?: Quantization['dtype'] } = {},
): string {
  const decoded = decodeGroup(a.weightSpecs, new Uint8Array(a.weightData as ArrayBuffer));
  const per = Math.ceil(decoded.length / groups);
  const manifest: LayersModelJson['weightsManifest'] = [];
  for (let g = 0; g * per < decoded.length; g++) {
    const { specs, bytes } = encodeGroup(decoded.slice(g * per, (g + 1) * per), quantize);
    const count = Math.max(1, Math.ceil(bytes.byteLength / shardBytes));
    const paths = Array.from({ length: count }, (_, i) => `group${g + 1}-shard${i + 1}of${count}.bin`);
    paths.forEach((p, i) => {
      writeFileSync(join(dir, p), bytes.subarray(i * shardBytes, (i + 1) * shardBytes));
    });
    manifest.push({ paths, weights: specs });
  }
  const json: LayersModelJson = {
    format: 'layers-model',
    generatedBy: 'keras v2.15.0',
    convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: a.modelTopology,
    weightsManifest: manifest,
  };
  const path = join(dir, 'model.json');
  writeFileSync(path, JSON.stringify(json));
  return path;
}

async function trainedTfModel(): Promise<tfl.LayersModel> {
  const m = tfSequential();
  m.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
  const g = new Generator(3);
  await m.trainOnBatch(toTf(rand([8, 9, 9, 2], { generator: g })), toTf(rand([8, 3], { generator: g })));
  return m;
}

describe('loadLayersModel: files', () => {
  it('several groups and shards: the path, its directory, and file:// URLs load the same model', async () => {
    const theirs = await trainedTfModel();
    const dir = tempDir();
    const path = writeConverted(dir, await tfArtifacts(theirs));
    const x = rand([4, 9, 9, 2], { low: -1, high: 1 });
    const want = (theirs.predict(toTf(x)) as tf.Tensor).dataSync();
    for (const source of [path, dir, pathToFileURL(path).href, pathToFileURL(dir)]) {
      const ours = loadLayersModel(source);
      expectClose(`from ${String(source)}`, ours.predict(x).data, want, 1e-5);
    }
    const json = JSON.parse(readFileSync(path, 'utf8')) as LayersModelJson;
    expect(json.weightsManifest.length).toBe(2);
    expect(json.weightsManifest.flatMap((g) => g.paths).length).toBeGreaterThan(4);
  });

  it.each(['uint8', 'uint16', 'float16'] as const)(
    'quantized %s: Sinapse and TF.js dequantize the same files to the same predictions',
    async (quantize) => {
      const original = await trainedTfModel();
      const dir = tempDir();
      const path = writeConverted(dir, await tfArtifacts(original), { quantize });
      const theirs = await tfLoad(path);
      const ours = loadLayersModel(path);
      const x = rand([4, 9, 9, 2], { low: -1, high: 1 });
      const got = ours.predict(x).data;
      expectClose(`${quantize} vs TF.js`, got, (theirs.predict(toTf(x)) as tf.Tensor).dataSync(), 1e-5);
      // and the loss of precision is what the format promises, no more
      const exact = (original.predict(toTf(x)) as tf.Tensor).dataSync();
      expectClose(`${quantize} vs float32`, got, exact, quantize === 'uint8' ? 0.05 : 5e-3);
    },
  );

  it('checks every shard size against the manifest before reading, naming the files', async () => {
    const dir = tempDir();
    const path = writeConverted(dir, await tfArtifacts(tfSequential()), { groups: 1, shardBytes: 200 });
    const json = JSON.parse(readFileSync(path, 'utf8')) as LayersModelJson;
    const last = json.weightsManifest[0]!.paths.at(-1)!;
    truncateSync(join(dir, last), 10);
    expect(() => loadLayersModel(path)).toThrow(ValueError);
    expect(() => loadLayersModel(path)).toThrow(
      new RegExp(
        `^loadLayersModel: ${path}: the \\d+ shards ${join(dir, 'group1-shard1of')}\\d+\\.bin … ${join(dir, last)} is truncated: its 15 manifest entries \\(conv_a/kernel \\[3, 3, 2, 4\\] float32, .*, … 12 more\\) take 3,696 bytes, but it holds \\d+`,
      ),
    );
    rmSync(join(dir, last));
    expect(() => loadLayersModel(path)).toThrow(`loadLayersModel: ${path}: ${join(dir, last)} is missing`);
  });

  it('refuses shard paths outside the model directory, and files that are not a Layers model', async () => {
    const dir = tempDir();
    const path = writeConverted(dir, await tfArtifacts(tfSequential()), { groups: 1 });
    const json = JSON.parse(readFileSync(path, 'utf8')) as LayersModelJson;
    json.weightsManifest[0]!.paths[0] = '../elsewhere.bin';
    writeFileSync(path, JSON.stringify(json));
    expect(() => loadLayersModel(path)).toThrow(
      'weightsManifest path "../elsewhere.bin" must be a file name beside model.json',
    );
    writeFileSync(path, '{ not json');
    expect(() => loadLayersModel(path)).toThrow(new RegExp(`^loadLayersModel: ${path} is not valid JSON`));
    expect(() => loadLayersModel(join(dir, 'nothing'))).toThrow(`loadLayersModel: ${join(dir, 'nothing')} is missing`);
    expect(() => loadLayersModel('https://example.com/model.json')).toThrow(/is a https:\/\/ URL; this reads files/);
  });

  it('names the file in layer errors', async () => {
    const dir = tempDir();
    const m = tfl.sequential({
      layers: [tfl.layers.conv2dTranspose({ inputShape: [4, 4, 1], filters: 2, kernelSize: 2, name: 'up' })],
    });
    const path = writeConverted(dir, await tfArtifacts(m), { groups: 1 });
    expect(() => loadLayersModel(path)).toThrow(
      `loadLayersModel: ${path}: layer 'up' (Conv2DTranspose): Sinapse has no layer for Keras class 'Conv2DTranspose'`,
    );
  });
});
