/**
 * Models in the page: the one shipped with the demo (public/model/, as `pnpm mnist` saves it:
 * model.json + weights-<crc>.bin + preprocessing.json), and one-file downloads of the page's own.
 *
 * The one file (`*.sinapse.json`) holds what the two-file form holds: the model's JSON, its weight
 * bytes as base64, and the pixel standardization the model was trained with.
 */
import { fromArtifacts, type Model, type ModelArtifacts, type ModelJson } from 'sinapse';

export interface Normalization {
  mean: number;
  std: number;
}

export interface LoadedModel {
  model: Model;
  normalization: Normalization;
}

/** The standardization of every model trained on MNIST here (the training set's mean and std). */
export const MNIST_NORMALIZATION: Normalization = { mean: 0.1306604762738429, std: 0.3081078038564627 };
const FILE_FORMAT = 'sinapse-model-file';

export async function loadShipped(base: string): Promise<LoadedModel> {
  const json = (await (await fetch(new URL('model.json', base))).json()) as ModelJson;
  const weights = await fetch(new URL(json.weightsFile ?? 'weights.bin', base));
  const pre = (await (await fetch(new URL('preprocessing.json', base))).json()) as Normalization;
  const artifacts: ModelArtifacts = { modelJson: json, weightData: new Uint8Array(await weights.arrayBuffer()) };
  return { model: fromArtifacts(artifacts), normalization: { mean: pre.mean, std: pre.std } };
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(text: string): Uint8Array {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** The one-file form of a model, as the text of a JSON file. */
export function toFile(artifacts: ModelArtifacts, normalization: Normalization): string {
  return JSON.stringify({
    format: FILE_FORMAT,
    formatVersion: 1,
    normalization,
    modelJson: artifacts.modelJson,
    weightData: toBase64(artifacts.weightData),
  });
}

/** Offers `text` as a download named `name`. */
export function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * A model from files the user picked: one `*.sinapse.json`, or `model.json` + its weights `.bin`
 * (+ `preprocessing.json`, else MNIST's standardization is assumed).
 * @throws Error naming what is missing or wrong
 */
export async function fromFiles(files: readonly File[]): Promise<LoadedModel> {
  const jsons = files.filter((f) => f.name.endsWith('.json'));
  const bins = files.filter((f) => f.name.endsWith('.bin'));
  let modelJson: ModelJson | null = null;
  let normalization: Normalization | null = null;
  for (const file of jsons) {
    const value = JSON.parse(await file.text()) as Record<string, unknown>;
    if (value.format === FILE_FORMAT) {
      const artifacts = { modelJson: value.modelJson as ModelJson, weightData: fromBase64(value.weightData as string) };
      return { model: fromArtifacts(artifacts), normalization: value.normalization as Normalization };
    }
    if (value.format === 'sinapse-model') modelJson = value as unknown as ModelJson;
    else if (typeof value.mean === 'number' && typeof value.std === 'number') {
      normalization = { mean: value.mean, std: value.std };
    }
  }
  if (modelJson === null) {
    throw new Error('no model among the files: pick a .sinapse.json saved here, or a model.json with its weights .bin');
  }
  const bin = bins.find((f) => f.name === modelJson.weightsFile) ?? (bins.length === 1 ? bins[0] : undefined);
  if (bin === undefined)
    throw new Error(`model.json needs its weights file ${modelJson.weightsFile ?? '(.bin)'}: pick both`);
  const weightData = new Uint8Array(await bin.arrayBuffer());
  return { model: fromArtifacts({ modelJson, weightData }), normalization: normalization ?? MNIST_NORMALIZATION };
}
