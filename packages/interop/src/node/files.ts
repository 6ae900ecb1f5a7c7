/**
 * The TF.js Layers format as files (Node only):
 *
 *   dir/model.json                 { format: 'layers-model', modelTopology, weightsManifest }
 *   dir/group1-shard1of2.bin, …    the weights, cut into shards (4 MiB by default)
 *
 * the files tensorflowjs_converter writes and `tf.loadLayersModel('file://…/model.json')` (tfjs-node)
 * or `tf.loadLayersModel('https://…/model.json')` reads. Loading checks every shard's size against the
 * manifest from the file system before reading a byte of it (Note [Check before allocating]).
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Model } from '@sinapse/models';
import { writeFileDurably } from '@sinapse/models/node';
import { checkOptionNames, type Tensor, ValueError } from '@sinapse/tensor';
import {
  checkModelJson,
  describeShards,
  fromLayersArtifacts,
  fromLayersModelJson,
  type LayersModelArtifacts,
  type LayersModelJson,
  type ToLayersModelJsonOptions,
  toLayersModelJson,
} from '../layersModel/artifacts';
import { checkManifest } from '../layersModel/weights';
import { type ToOnnxOptions, toOnnx } from '../onnx/export';
import { type FromOnnxOptions, readOnnx } from '../onnx/import';

/**
 * Loads a TF.js Layers model (TF.js's `model.save`, or a Keras model through tensorflowjs_converter)
 * into a Sinapse Sequential or functional Model. Synchronous; `await` works too.
 * @param source the model.json file, its directory, a file:// URL of either, or artifacts in memory
 *   (TF.js's `{ modelTopology, weightSpecs, weightData }`).
 * @throws ValueError naming the file for a missing or malformed model.json, a missing shard, a
 *   manifest that does not fit the shards' sizes or the model; ConfigError naming the layer and the
 *   file for a layer or option Sinapse does not have.
 * @example
 * const model = loadLayersModel('/models/mnist/model.json');
 * model.predict(images);
 */
export function loadLayersModel<Out extends Tensor | Tensor[] = Tensor>(
  source: string | URL | LayersModelArtifacts,
): Model<Out> {
  const op = 'loadLayersModel';
  if (source !== null && typeof source === 'object' && !(source instanceof URL)) {
    return fromLayersArtifacts<Out>(source, { op });
  }
  let path = toPath(op, source);
  if (isDirectory(path)) path = join(path, 'model.json');
  const json = readJson(op, path);
  const who = `${op}: ${path}`;
  const groups = checkModelJson(who, json);
  const dir = dirname(path);
  const files = groups.map((g) => g.paths.map((p) => join(dir, checkShardPath(who, p))));
  checkManifest(
    groups.map((g) => g.weights),
    files.map((paths) => paths.reduce((n, f) => n + sizeOf(who, f), 0)),
    { who, describeGroup: (g) => describeShards(files[g]!) },
  );
  return fromLayersModelJson<Out>(json, (p) => read(who, join(dir, p)), { op, file: path });
}

/** Options of saveLayersModel. */
export type SaveLayersModelOptions = ToLayersModelJsonOptions;

/**
 * Writes `model` as a TF.js Layers model: `dir/model.json` and its shards, loadable by
 * `tf.loadLayersModel` and by `loadLayersModel`. The shards are written first and model.json last,
 * each through a temp file, an fsync and a rename, so a reader never sees a model.json naming shards
 * not yet written, not even after a power loss.
 * (Unlike `save` in @sinapse/models/node, an interrupted export over an older one is not kept loadable:
 * the shard names are the converter's, not checksums. Keep checkpoints with `save`.)
 * @throws ConfigError for a layer TF.js cannot represent (see toLayersArtifacts).
 * @example
 * saveLayersModel(model, '/tmp/lenet-tfjs'); // then tf.loadLayersModel('file:///tmp/lenet-tfjs/model.json')
 */
export function saveLayersModel(
  model: Model<Tensor | Tensor[]>,
  dir: string | URL,
  options: SaveLayersModelOptions = {},
): void {
  checkOptionNames('saveLayersModel', options, ['quantize', 'shardBytes']);
  const path = toPath('saveLayersModel', dir);
  const { modelJson, files } = toLayersModelJson(model, options);
  mkdirSync(path, { recursive: true });
  // durably (Note [Durable write] in @sinapse/models/node): the shards are on the disk before model.json names them
  for (const f of files) writeFileDurably(join(path, f.path), f.bytes, 'saveLayersModel');
  writeFileDurably(join(path, 'model.json'), JSON.stringify(modelJson), 'saveLayersModel');
}

/** A path from a path or a file:// URL (string or URL). */
function toPath(op: string, source: string | URL): string {
  if (source instanceof URL || (typeof source === 'string' && source.startsWith('file://'))) {
    try {
      return fileURLToPath(source);
    } catch (err) {
      throw new ValueError(`${op}: ${String(source)} is not a valid file:// URL (${(err as Error).message})`);
    }
  }
  if (typeof source !== 'string' || source === '') {
    throw new ValueError(`${op}: expects a path, a file:// URL or artifacts, but got ${JSON.stringify(source)}`);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(source);
  if (scheme !== null) {
    throw new ValueError(
      `${op}: ${source} is a ${scheme[1]}:// URL; this reads files: give a path or a file:// URL ` +
        '(for http, fetch model.json and its shards and use fromLayersModelJson)',
    );
  }
  return source;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A shard path must stay beside model.json: a plain relative name, so a model.json cannot point elsewhere. */
function checkShardPath(who: string, p: string): string {
  if (
    p === '' ||
    p.startsWith('/') ||
    p.includes('\\') ||
    p.split('/').includes('..') ||
    /^[a-z][a-z0-9+.-]*:/i.test(p)
  ) {
    throw new ValueError(`${who}: weightsManifest path ${JSON.stringify(p)} must be a file name beside model.json`);
  }
  return p;
}

function readJson(op: string, path: string): LayersModelJson {
  const bytes = read(op, path);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as LayersModelJson;
  } catch (err) {
    throw new ValueError(`${op}: ${path} is not valid JSON (${(err as Error).message})`);
  }
}

function sizeOf(who: string, path: string): number {
  try {
    return statSync(path).size;
  } catch (err) {
    throw fileError(who, path, err);
  }
}

function read(who: string, path: string): Uint8Array {
  try {
    const b = readFileSync(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (err) {
    throw fileError(who, path, err);
  }
}

function fileError(who: string, path: string, err: unknown): ValueError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new ValueError(`${who}: ${path} is missing`);
  if (code === 'EISDIR') return new ValueError(`${who}: ${path} is a directory, but it must be a file`);
  return new ValueError(`${who}: ${path} cannot be read: ${(err as Error).message}`);
}

/**
 * Writes `toOnnx(model, options)` to `file` (a path or a file:// URL), creating its directory.
 * @throws ConfigError for a layer the ONNX export does not write (see toOnnx).
 * @example
 * saveOnnx(model, '/tmp/lenet.onnx'); // then ort.InferenceSession.create('/tmp/lenet.onnx')
 */
export function saveOnnx(model: Model<Tensor | Tensor[]>, file: string | URL, options: ToOnnxOptions = {}): void {
  const path = toPath('saveOnnx', file);
  const bytes = toOnnx(model, options);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

/**
 * Reads an .onnx file (a path or a file:// URL) into a Sinapse functional model, as fromOnnx does,
 * with the file's path in every message.
 * @throws ValueError naming the file for a missing file or bytes that are not an ONNX model; as fromOnnx.
 * @example
 * const net = loadOnnx('/models/lenet5.onnx'); // exported by torch.onnx.export
 */
export function loadOnnx<Out extends Tensor | Tensor[] = Tensor>(
  file: string | URL,
  options: Omit<FromOnnxOptions, 'file'> = {},
): Model<Out> {
  const op = 'loadOnnx';
  const path = toPath(op, file);
  return readOnnx<Out>(op, read(`${op}: ${path}`, path), { ...options, file: path });
}
