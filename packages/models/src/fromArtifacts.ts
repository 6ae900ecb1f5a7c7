/**
 * Loading, the model side. checkArtifacts (artifacts.ts) checks the bytes; this checks the config
 * against them and turns both into a model:
 *
 *   checkArtifacts(artifacts)                            format, manifest, lengths, checksums: no copies
 *     → Sequential.fromConfig(modelConfig)               the layers, their shapes: no weights yet
 *     → the config's weights against the manifest        names and shapes, from weightInfo: no weights yet
 *     → unpackArtifacts, model.weights                   only now anything as big as the weights
 *     → each stored tensor into the weight of its name
 *     → model.optimizerState = optimizer                 for the training loop to resume
 *
 * Note [Check the config before building]: a model.json can come from anywhere, and its config
 * decides how much memory building the model takes (`units: 100000000` in a Dense asks for
 * gigabytes), while the weights file decides what the weights are. So the weights the config
 * would create are listed first, by name and shape, the way summary() counts a full-size VGG
 * without allocating it (Note [Shapes before weights] in Sequential.ts), and compared with the
 * manifest, which the checksums already tied to the bytes: a config that does not fit its
 * weights fails naming the layer, the weight and both shapes, having allocated nothing.
 *
 * Weights are matched by name, not position (as Keras and TF.js load by name), so what a manifest
 * holds is decided by the names alone, and a mismatch can say which weights are missing or extra.
 */
import { checkWeightValues, type Parameter, type WeightInfo } from '@sinapse/layers';
import { ConfigError, formatShape, ShapeError, type Tensor, ValueError } from '@sinapse/tensor';
import {
  type ArtifactsSource,
  checkArtifacts,
  type NamedTensor,
  type ShardedArtifacts,
  unpackArtifacts,
  type WeightEntry,
} from './artifacts';
import { Model, type ModelConfig } from './Model';
import { Sequential, type SequentialConfig } from './Sequential';

/**
 * Rebuilds a model from `model.toArtifacts()` output (or from files an adapter read) with the same
 * weights, bit for bit; the optimizer state, if any was saved, is in `model.optimizerState`.
 * The model is a Sequential or a functional Model, as saved; the type says predict returns one tensor,
 * so for a model with several outputs write `fromArtifacts<Tensor[]>(...)`.
 * @param source where the artifacts came from, so messages name the files (loadModel passes its paths).
 * @throws ValueError for a wrong format or version, truncated or corrupt weights, or weights that do not fit the
 * model (ShapeError when only a shape differs).
 * @example
 * const copy = fromArtifacts(model.toArtifacts()); // copy.predict(x) equals model.predict(x)
 */
export function fromArtifacts<Out extends Tensor | Tensor[] = Tensor>(
  artifacts: ShardedArtifacts,
  source: ArtifactsSource = {},
): Model<Out> {
  const op = source.op ?? 'fromArtifacts';
  const checked = checkArtifacts(artifacts, { ...source, op });
  const who = `${op}: ${source.jsonFile ?? 'modelJson'}`;
  const model = naming(`${who}: modelConfig`, () => modelFromConfig(checked.modelConfig, who));
  // Note [Check the config before building]
  const planned = naming(`${who}: modelConfig`, () => plannedWeights(model));
  if (planned !== null) checkAgainstManifest(who, model, planned, checked.weightsManifest);
  const data = unpackArtifacts(checked);
  setWeightsByName(who, model.weights, data.weights);
  if (data.optimizer !== undefined) model.optimizerState = data.optimizer;
  return model as Model<Out>;
}

/**
 * The model a config describes: a functional model's has inputLayers and outputLayers beside its
 * layers (the graph), a Sequential's only the list of layers.
 */
function modelFromConfig(config: unknown, who: string): Model<Tensor | Tensor[]> {
  const c = config !== null && typeof config === 'object' ? (config as Record<string, unknown>) : {};
  if (!Array.isArray(c.layers)) {
    throw new ValueError(
      `${who}: modelConfig is not a model this version knows: expected a Sequential's { name, layers: [...] } ` +
        "or a functional model's { name, layers, inputLayers, outputLayers }",
    );
  }
  if (c.inputLayers !== undefined || c.outputLayers !== undefined) {
    return Model.fromConfig(c as unknown as ModelConfig) as Model<Tensor | Tensor[]>;
  }
  return Sequential.fromConfig(c as unknown as SequentialConfig);
}

/**
 * Runs `f`, putting `where` (the file and the field) in front of the message of a typed error it
 * throws: a layer's own message names the layer and the option ("Dense 'fc1': units must be ..."),
 * and a reader's must also say which file that came from.
 */
function naming<T>(where: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof ShapeError || err instanceof ValueError) {
      if (!err.message.startsWith(where)) err.message = `${where}: ${err.message}`;
    }
    throw err;
  }
}

/**
 * The weights the model will create, as names and shapes, without creating them; null when the
 * config gives no input shape, so the model has no weights until it is called (and nothing to load).
 */
function plannedWeights(model: Model<Tensor | Tensor[]>): WeightInfo[] | null {
  if (model instanceof Sequential && model.inputShape === null) return null;
  return model.weightInfo();
}

/**
 * The manifest must list exactly the weights the config plans (by name, in any order), each with
 * the planned shape (Note [Check the config before building]).
 * @throws ValueError listing what is missing or extra; ShapeError naming the layer, the weight and both shapes.
 */
function checkAgainstManifest(
  who: string,
  model: Model<Tensor | Tensor[]>,
  planned: readonly WeightInfo[],
  manifest: readonly WeightEntry[],
): void {
  checkNames(who, planned, manifest);
  const index = new Map(manifest.map((e, i) => [e.name, i]));
  for (const w of planned) {
    const i = index.get(w.name)!;
    const stored = manifest[i]!.shape;
    if (stored.length !== w.shape.length || stored.some((d, j) => d !== w.shape[j])) {
      const layerName = w.name.slice(0, w.name.lastIndexOf('/'));
      const layer = model.layers.find((l) => l.name === layerName);
      const of = layer === undefined ? '' : `layer '${layer.name}' (${layer.className}): `;
      throw new ShapeError(
        `${who}: ${of}its config makes weight ${w.name} of shape ${formatShape(w.shape)}, but weightsManifest[${i}] ` +
          `stores ${formatShape(stored)}: the config does not fit the weights (was modelConfig edited?)`,
      );
    }
  }
}

/** The names must match both ways. @throws ValueError listing both lists, and what is missing and extra. */
function checkNames(who: string, inModel: readonly { name: string }[], stored: readonly { name: string }[]): void {
  const storedNames = new Set(stored.map((w) => w.name));
  const modelNames = new Set(inModel.map((w) => w.name));
  const missing = inModel.filter((p) => !storedNames.has(p.name));
  const extra = stored.filter((w) => !modelNames.has(w.name));
  if (missing.length > 0 || extra.length > 0) {
    const list = (named: ReadonlyArray<{ name: string }>) => named.map((w) => w.name).join(', ') || 'none';
    throw new ValueError(
      `${who}: the weights manifest does not match the model: it lists [${list(stored)}], ` +
        `but the model has [${list(inModel)}] (missing: ${list(missing)}; not in the model: ${list(extra)})`,
    );
  }
}

/**
 * Puts each stored tensor into the weight of the same name: checks the names match (both ways), the
 * shapes (checkWeightValues, as setWeights does) and the dtypes, all before changing any weight.
 * @throws ValueError listing what is missing or extra, or naming the weight whose dtype differs.
 * @throws ShapeError naming the weight whose shape differs.
 */
function setWeightsByName(who: string, params: readonly Parameter[], stored: readonly NamedTensor[]): void {
  const byName = new Map(stored.map((w) => [w.name, w.tensor]));
  checkNames(who, params, stored);
  const values = params.map((p) => byName.get(p.name)!);
  checkWeightValues(who, params, values);
  params.forEach((p, i) => {
    if (values[i]!.dtype !== p.dtype) {
      throw new ValueError(`${who}: weight ${p.name} is ${values[i]!.dtype} in the file, but ${p.dtype} in the model`);
    }
  });
  params.forEach((p, i) => {
    p.assign(values[i]!.data);
  });
}
