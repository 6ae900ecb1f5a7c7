/**
 * Saving a model to a directory, and loading it back:
 *
 *   dir/model.json             the modelJson, plus `weightsFile` naming the file below
 *   dir/weights-<crc32>.bin    the weightData
 *
 * With `save(model, dir, { shardBytes })` the bytes are cut into files of at most that size, and
 * model.json lists them in order as `weightsFiles` instead (for hosts or file systems that limit a
 * file's size, as TF.js's converter writes 4 MB shards). Every weights file is named by the CRC-32
 * of its own bytes, so the single file is named by the weightsChecksum, as before shards existed.
 *
 * Note [Atomic save]: a save can die half way (a crash, Ctrl-C, a full disk, a power cut). Overwriting
 * files in place would then leave a model.json that disagrees with its weights, and lose the previous
 * save too. So no file that a loadable save points to is ever modified:
 *   1. each weights file goes to a temp file, renamed to `weights-<crc32>.bin`: a name fixed by its
 *      content, so new values get a new name, and a file of the same name already holds these bytes;
 *   2. model.json, naming those files, goes to a temp file renamed over the old model.json. A rename
 *      within one directory is atomic on POSIX and NTFS: a reader sees the old json or the new one;
 *   3. only then are the weights files no json points to any more removed.
 * Dying before step 2 leaves the old model.json pointing at the old weights, which are still there.
 * Every file is written by writeFileDurably (Note [Durable write]): fsynced before its rename, and
 * its directory fsynced after, so the weights are on the disk before the model.json that names them
 * is renamed into place, and a power loss too leaves the old save or the new one, complete.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkOptionNames, type Tensor, ValueError } from '@sinapse/tensor';
import { checkModelJson, type ModelJson, type OptimizerState, splitShards } from '../artifacts';
import { crc32 } from '../crc32';
import { fromArtifacts } from '../fromArtifacts';
import type { Model } from '../Model';
import { type FileSystem, makeDirectoryDurably, nodeFileSystem, TEMP_FILE, writeFileDurably } from './durableWrite';

/** Options of {@link save}. */
export interface SaveOptions {
  /** Optimizer state to store with the weights (see OptimizerState); loadModel puts it in `model.optimizerState`. */
  optimizer?: OptimizerState;
  /** Cut the weights into files of at most this many bytes (model.json's `weightsFiles`). Default: one file. */
  shardBytes?: number;
}

const MODEL_JSON = 'model.json';
const WEIGHTS_FILE = /^weights-[0-9a-f]{8}\.bin$/;

/** Step 1 of Note [Atomic save]: writes each shard as `weights-<its crc32>.bin`; returns the names, in order. */
export function writeWeightsFiles(
  dir: string,
  shards: readonly Uint8Array[],
  fs: FileSystem = nodeFileSystem,
): string[] {
  return shards.map((shard) => {
    const name = `weights-${crc32(shard)}.bin`;
    writeFileDurably(join(dir, name), shard, 'save', fs);
    return name;
  });
}

/** Step 2: model.json now names the new weights files (`weightsFile` for one, as before shards existed). */
export function writeModelJson(
  dir: string,
  modelJson: ModelJson,
  files: readonly string[],
  fs: FileSystem = nodeFileSystem,
): void {
  const { weightsFile: _, weightsFiles: __, ...json } = modelJson;
  const names = files.length === 1 ? { weightsFile: files[0] } : { weightsFiles: [...files] };
  writeFileDurably(join(dir, MODEL_JSON), JSON.stringify({ ...json, ...names }, null, 2), 'save', fs);
}

/**
 * Step 3: removes weights files other than `keep`, and temp files left by interrupted saves. No
 * fsync: if a power loss undoes a removal, the next save removes the file again.
 */
export function removeStaleFiles(dir: string, keep: readonly string[], fs: FileSystem = nodeFileSystem): void {
  try {
    for (const f of fs.readdirSync(dir)) {
      if ((WEIGHTS_FILE.test(f) && !keep.includes(f)) || TEMP_FILE.test(f)) fs.rmSync(join(dir, f), { force: true });
    }
  } catch (err) {
    throw new ValueError(
      `save: the model is saved in ${dir}, but removing the stale files of older saves failed (the next save ` +
        `removes them again): ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/**
 * Saves `model` (and optionally an optimizer state) to `dir`, creating it if needed, atomically:
 * if the save is interrupted, even by a power loss, the previous save in `dir` still loads, and once
 * `save` returns the new one is on the disk (Note [Atomic save]). Synchronous; `await save(...)` works too.
 * @throws ValueError for a shardBytes that is not a positive integer, and naming the file and the
 * step for a write that fails (a full disk, no permission).
 * @example
 * save(model, '/tmp/lenet', { optimizer: sgd.getState() });
 * const again = loadModel('/tmp/lenet'); // again.predict(x) equals model.predict(x), bit for bit
 */
export function save(model: Model<Tensor | Tensor[]>, dir: string, options: SaveOptions = {}): void {
  saveWith(nodeFileSystem, model, dir, options);
}

/** `save` through the file system `fs`: the crash-injection tests pass one that fails at a chosen call. */
export function saveWith(
  fs: FileSystem,
  model: Model<Tensor | Tensor[]>,
  dir: string,
  options: SaveOptions = {},
): void {
  checkOptionNames('save', options, ['optimizer', 'shardBytes'] satisfies (keyof SaveOptions)[], ValueError);
  dir = toDirectory('save', dir);
  const { optimizer, shardBytes } = options;
  const artifacts = model.toArtifacts({ optimizer });
  const shards =
    shardBytes === undefined ? [artifacts.weightData] : splitShards(artifacts.weightData, shardBytes, 'save');
  makeDirectoryDurably(dir, 'save', fs);
  const files = writeWeightsFiles(dir, shards, fs);
  writeModelJson(dir, artifacts.modelJson, files, fs);
  removeStaleFiles(dir, files, fs);
}

/**
 * Loads what `save` wrote: the model with its weights, and its optimizer state in `model.optimizerState`
 * (null if none was saved). Synchronous; `await loadModel(dir)` works too.
 * @throws ValueError naming the file and what is wrong: missing or unreadable (a directory…), not
 * JSON, not a Sinapse model, a newer formatVersion, a malformed manifest entry, truncated or
 * corrupt weights (Note [What loading checks] in artifacts.ts), weights that do not fit the model.
 */
export function loadModel<Out extends Tensor | Tensor[] = Tensor>(dir: string): Model<Out> {
  dir = toDirectory('loadModel', dir);
  const jsonPath = join(dir, MODEL_JSON);
  const text = readOrThrow(jsonPath, 'loadModel', `there is no saved model in ${dir}`).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ValueError(`loadModel: ${jsonPath} is not valid JSON (${(err as Error).message})`);
  }
  checkModelJson(json, { op: 'loadModel', jsonFile: jsonPath });
  const paths = weightsFilesOf(json, jsonPath).map((f) => join(dir, f));
  const shards = paths.map((path) => {
    const bytes = readOrThrow(path, 'loadModel', `${jsonPath} names it, but it does not exist`);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  });
  return fromArtifacts<Out>(
    { modelJson: json, weightData: shards },
    { op: 'loadModel', jsonFile: jsonPath, weightsFiles: paths },
  );
}

/**
 * The weights files model.json names: `weightsFile`, or the shards in `weightsFiles`. Only plain
 * names of the `weights-<crc32>.bin` form are accepted, so a model.json cannot point elsewhere.
 */
function weightsFilesOf(json: ModelJson, jsonPath: string): string[] {
  const { weightsFile, weightsFiles } = json;
  if (weightsFiles === undefined) {
    if (typeof weightsFile !== 'string' || !WEIGHTS_FILE.test(weightsFile)) {
      throw new ValueError(
        `loadModel: ${jsonPath} names no weights file: expected weightsFile 'weights-<crc32>.bin', but got ${JSON.stringify(weightsFile)}`,
      );
    }
    return [weightsFile];
  }
  const valid = Array.isArray(weightsFiles) && weightsFiles.length > 0;
  if (
    !valid ||
    weightsFile !== undefined ||
    !weightsFiles.every((f) => typeof f === 'string' && WEIGHTS_FILE.test(f))
  ) {
    throw new ValueError(
      `loadModel: ${jsonPath} names its weights files wrongly: expected either weightsFile or weightsFiles, ` +
        `a non-empty list of 'weights-<crc32>.bin' names, but got weightsFiles ${JSON.stringify(weightsFiles)}` +
        (weightsFile === undefined ? '' : ` and weightsFile ${JSON.stringify(weightsFile)}`),
    );
  }
  return weightsFiles;
}

/** Reads a file, turning the file system's errors (ENOENT, EISDIR, …) into messages naming the path. */
function readOrThrow(path: string, op: string, whyMissing: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ValueError(`${op}: ${path} is missing: ${whyMissing}`);
    if (code === 'EISDIR') throw new ValueError(`${op}: ${path} is a directory, but it must be a file`);
    if (code === 'ENOTDIR') throw new ValueError(`${op}: ${path}: a part of this path is a file, not a directory`);
    if (code === 'EACCES' || code === 'EPERM') throw new ValueError(`${op}: ${path} cannot be read: permission denied`);
    throw new ValueError(`${op}: ${path} cannot be read: ${(err as Error).message}`);
  }
}

/**
 * A directory path from what the user gave: a path, or a `file://` URL as TF.js users write
 * (`save(model, 'file:///tmp/m')`), which would otherwise become a folder named `file:`.
 * @throws ValueError for another URL scheme (http://, indexeddb://...), which this Node adapter does not write.
 */
function toDirectory(op: string, dir: string): string {
  if (typeof dir !== 'string' || dir === '') {
    throw new ValueError(`${op}: the directory must be a non-empty path, but got ${JSON.stringify(dir)}`);
  }
  if (dir.startsWith('file://')) {
    try {
      return fileURLToPath(dir);
    } catch (err) {
      throw new ValueError(`${op}: ${dir} is not a valid file:// URL (${(err as Error).message})`);
    }
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(dir);
  if (scheme !== null) {
    throw new ValueError(
      `${op}: ${dir} is a ${scheme[1]}:// URL; this adapter writes directories: give a path or a file:// URL ` +
        '(in a browser, keep model.toArtifacts() yourself)',
    );
  }
  return dir;
}
