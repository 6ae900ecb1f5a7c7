/**
 * A saved model folder as bytes: what a web page's file input (or a zip, or IndexedDB) gives, with
 * no file system behind it. The same folder `save` writes:
 *
 *   model.json                 the modelJson, naming its weights file(s)
 *   weights-<crc32>.bin        the weightData (or several files, listed in order as weightsFiles)
 *
 * Everything read from the bytes is untrusted: model.json must be JSON, a Sinapse model, and name
 * weights files that are among the files given, by plain names of the weights-<crc32>.bin form;
 * then fromArtifacts checks the rest (Note [What loading checks], Note [Check the config before
 * building]). Every failure is a ValueError (or ConfigError / ShapeError) naming the file.
 */
import { type Tensor, ValueError } from '@sinapse/tensor';
import { type ArtifactsSource, checkModelJson, type ModelJson, type ShardedArtifacts } from './artifacts';
import { fromArtifacts } from './fromArtifacts';
import type { Model } from './Model';

/** The name of the json in a model folder. */
export const MODEL_JSON_FILE = 'model.json';

/** How model.json names weights files: the CRC-32 of their bytes, so a name cannot point elsewhere. */
const WEIGHTS_FILE = /^weights-[0-9a-f]{8}\.bin$/;

/**
 * The artifacts in a model folder's files (name → bytes), and where they came from for messages.
 * @param files the folder's files by name: 'model.json' and the weights files it names (others are ignored).
 * @param op how messages start. Default 'artifactsFromFiles'.
 * @throws ValueError naming the file: model.json missing, not UTF-8 JSON, not a Sinapse model, or
 *   naming weights files wrongly or files that are not given.
 * @example
 * const { artifacts, source } = artifactsFromFiles({ 'model.json': jsonBytes, 'weights-1a2b3c4d.bin': bin });
 * const model = fromArtifacts(artifacts, source);
 */
export function artifactsFromFiles(
  files: Readonly<Record<string, Uint8Array>>,
  op = 'artifactsFromFiles',
): {
  /** model.json's parsed JSON and the weights files' bytes, in the order model.json lists them. */
  artifacts: ShardedArtifacts;
  /** The file names, for fromArtifacts' messages. */
  source: ArtifactsSource;
} {
  const bytes = own(files, MODEL_JSON_FILE);
  if (bytes === undefined) {
    const given = Object.keys(files);
    throw new ValueError(
      `${op}: ${MODEL_JSON_FILE} is missing: a model folder needs it (got ${given.length === 0 ? 'no files' : given.join(', ')})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw new ValueError(`${op}: ${MODEL_JSON_FILE} is not valid JSON (${(err as Error).message})`);
  }
  const source: ArtifactsSource = { op, jsonFile: MODEL_JSON_FILE };
  checkModelJson(json, source);
  const names = weightsFilesOf(op, json);
  const shards = names.map((name) => {
    const shard = own(files, name);
    if (shard === undefined) throw new ValueError(`${op}: ${name} is missing: ${MODEL_JSON_FILE} names it`);
    return shard;
  });
  return { artifacts: { modelJson: json, weightData: shards }, source: { ...source, weightsFiles: names } };
}

/**
 * The model in a model folder's files: artifactsFromFiles, then fromArtifacts. Browser-safe: the
 * way to load a model a user picked with `<input type="file" multiple>`.
 * @throws ValueError / ConfigError / ShapeError naming the file and the field (see fromArtifacts).
 * @example
 * const model = modelFromFiles({ 'model.json': jsonBytes, 'weights-1a2b3c4d.bin': bin });
 */
export function modelFromFiles<Out extends Tensor | Tensor[] = Tensor>(
  files: Readonly<Record<string, Uint8Array>>,
  op = 'modelFromFiles',
): Model<Out> {
  const { artifacts, source } = artifactsFromFiles(files, op);
  return fromArtifacts<Out>(artifacts, source);
}

/** A file of the folder, not something inherited ('constructor', '__proto__'). */
function own(files: Readonly<Record<string, Uint8Array>>, name: string): Uint8Array | undefined {
  if (files === null || typeof files !== 'object' || !Object.hasOwn(files, name)) return undefined;
  const f = files[name];
  return f instanceof Uint8Array ? f : undefined;
}

/** `weightsFile`, or the shards in `weightsFiles`: plain names of the weights-<crc32>.bin form, one field or the other. */
function weightsFilesOf(op: string, json: ModelJson): string[] {
  const { weightsFile, weightsFiles } = json;
  if (weightsFiles === undefined) {
    if (typeof weightsFile !== 'string' || !WEIGHTS_FILE.test(weightsFile)) {
      throw new ValueError(
        `${op}: ${MODEL_JSON_FILE} names no weights file: expected weightsFile 'weights-<crc32>.bin', but got ${brief(weightsFile)}`,
      );
    }
    return [weightsFile];
  }
  if (
    !Array.isArray(weightsFiles) ||
    weightsFiles.length === 0 ||
    weightsFile !== undefined ||
    !weightsFiles.every((f) => typeof f === 'string' && WEIGHTS_FILE.test(f))
  ) {
    throw new ValueError(
      `${op}: ${MODEL_JSON_FILE} names its weights files wrongly: expected either weightsFile or weightsFiles, ` +
        `a non-empty list of 'weights-<crc32>.bin' names, but got weightsFiles ${brief(weightsFiles)}` +
        (weightsFile === undefined ? '' : ` and weightsFile ${brief(weightsFile)}`),
    );
  }
  return weightsFiles;
}

function brief(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
