/**
 * Loading, the model side. decodeArtifacts (artifacts.ts) checks the bytes and gives back plain
 * data; this turns that data into a model:
 *
 *   { modelConfig, weights: [{ name: 'conv1/kernel', tensor }, ...], optimizer? }
 *     → Sequential.fromConfig(modelConfig)                 a new model, freshly initialized
 *     → each stored tensor into the weight of its name     checked first, then copied in
 *     → model.optimizerState = optimizer                   for the training loop to resume
 *
 * Weights are matched by name, not position (as Keras and TF.js load by name), so what a manifest
 * holds is decided by the names alone, and a mismatch can say which weights are missing or extra.
 */
import { checkWeightValues, type Parameter } from '@sinapse/layers';
import { type Tensor, ValueError } from '@sinapse/tensor';
import { type ArtifactsSource, decodeArtifacts, type NamedTensor, type ShardedArtifacts } from './artifacts';
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
  const data = decodeArtifacts(artifacts, { ...source, op });
  const who = `${op}: ${source.jsonFile ?? 'modelJson'}`;
  const model = modelFromConfig(data.modelConfig, who);
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
 * Puts each stored tensor into the weight of the same name: checks the names match (both ways), the
 * shapes (checkWeightValues, as setWeights does) and the dtypes, all before changing any weight.
 * @throws ValueError listing what is missing or extra, or naming the weight whose dtype differs.
 * @throws ShapeError naming the weight whose shape differs.
 */
function setWeightsByName(who: string, params: readonly Parameter[], stored: readonly NamedTensor[]): void {
  const byName = new Map(stored.map((w) => [w.name, w.tensor]));
  const inModel = new Set(params.map((p) => p.name));
  const missing = params.filter((p) => !byName.has(p.name));
  const extra = stored.filter((w) => !inModel.has(w.name));
  if (missing.length > 0 || extra.length > 0) {
    const list = (named: ReadonlyArray<{ name: string }>) => named.map((w) => w.name).join(', ') || 'none';
    throw new ValueError(
      `${who}: the weights manifest does not match the model: it lists [${list(stored)}], ` +
        `but the model has [${list(params)}] (missing: ${list(missing)}; not in the model: ${list(extra)})`,
    );
  }
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
