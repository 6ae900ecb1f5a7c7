/**
 * A whole model between Keras's JSON (`modelTopology`) and Sinapse's model configs. The two have the
 * same shape (Sinapse's functional config is Keras's, camelCased: docs/functional.md):
 *
 *   Keras / TF.js                                            Sinapse
 *   { class_name: 'Sequential', config: { name, layers } }   { className: 'Sequential', config: { name, inputShape, layers } }
 *   { class_name: 'Model' | 'Functional', config: {          { className: 'Model', config: {
 *       name, layers: [{ name, class_name, config,               name, layers: [{ name, className, config,
 *                        inbound_nodes }],                                        inboundNodes }],
 *       input_layers, output_layers } }                          inputLayers, outputLayers } }
 *
 * so this walks the layers, converts each with keras.ts, and recurses into models nested as layers.
 * Two Keras versions differ in the details, and both are read:
 *   - Keras 2 and TF.js write a call's inputs as [[layer, node, tensor, kwargs], …]; Keras 3 as
 *     { args: [tensor or list of tensors], kwargs }, each tensor a `__keras_tensor__` with its `keras_history`;
 *   - a Keras 2 Sequential starts with an InputLayer entry, a TF.js one puts batch_input_shape on its
 *     first layer; Sinapse's Sequential keeps the shape as the model's inputShape.
 *
 * Note [A nested model's first node]
 * A reference [layer, node, tensor] picks a call of the layer by its index in the layer's list of calls.
 * Keras 2 and TF.js give a model nested as a layer one call of its own before any in the outer graph:
 * building a model from its inputs records a node on it (for a Sequential, when it knows its input
 * shape). So in their JSON the first call of a nested model is node 1, and `["head", 1, 0]` is the
 * output of that call. Sinapse numbers a layer's calls within the graph from 0, so reading shifts these
 * references down by one and writing shifts them up (checked against TF.js's own save and load).
 * Keras 3's `{ args, kwargs }` form is read unshifted: its keras_history indices were not checked
 * against a Keras 3 file with a nested model.
 */
import type { SerializedLayer } from '@sinapse/layers';
import type { GraphLayerConfig, SequentialConfig, TensorRef } from '@sinapse/models';
import { ConfigError } from '@sinapse/tensor';
import { type KerasLayer, layerFromKeras, layerToKeras } from './keras';

type Json = Record<string, unknown>;

/** `modelTopology` of a Layers model: a Keras model's JSON. */
export interface KerasModelTopology {
  /** 'Sequential', 'Model' or 'Functional' (Keras 2 and 3 names for a functional model). */
  class_name: string;
  /** The model's config: its layers (a list, in old Sequential files) and, for a graph, its inputs and outputs. */
  config: Json | unknown[];
  /** The Keras version that wrote it, e.g. '2.15.0' ('tfjs-layers 4.22.0' from TF.js). */
  keras_version?: string;
  /** 'tensorflow' (ignored: weights are numbers whatever the backend). */
  backend?: string;
  [key: string]: unknown;
}

const MODEL_CLASSES = ['Sequential', 'Model', 'Functional'];

/** How deep models may nest as layers (a real one nests 2 or 3 deep). */
const MAX_NESTING = 32;

/** Keras model JSON as a Sinapse `{ className: 'Sequential' | 'Model', config }`. */
export function modelFromKeras(who: string, topology: KerasModelTopology, depth = 0): SerializedLayer {
  // models nest as layers, and each level is a call deeper here and in @sinapse/models: a file nesting
  // thousands of them must be an error, not a stack overflow
  if (depth > MAX_NESTING) {
    throw new ConfigError(`${who}: models are nested more than ${MAX_NESTING} deep in modelTopology`);
  }
  // a model saved by Keras with its training config has the model under model_config (tensorflowjs_converter
  // writes { keras_version, backend, model_config, training_config }); checked before class_name, which it lacks
  if (
    topology !== null &&
    typeof topology === 'object' &&
    topology.class_name === undefined &&
    (topology as Json).model_config !== undefined
  ) {
    return modelFromKeras(who, (topology as Json).model_config as KerasModelTopology, depth + 1);
  }
  if (topology === null || typeof topology !== 'object' || typeof topology.class_name !== 'string') {
    throw new ConfigError(
      `${who}: modelTopology must be a Keras model's JSON { class_name, config }, but got ${describe(topology)}`,
    );
  }
  if (topology.class_name === 'Sequential') return sequentialFromKeras(who, topology.config, depth);
  if (topology.class_name === 'Model' || topology.class_name === 'Functional') {
    return functionalFromKeras(who, topology.config as Json, depth);
  }
  throw new ConfigError(
    `${who}: modelTopology is a '${topology.class_name}', but a Layers model is a Sequential, Model or Functional`,
  );
}

/** A layer entry: a nested model, or a layer. */
function entryFromKeras(who: string, entry: KerasLayer, index: number, depth: number): SerializedLayer {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry) || typeof entry.class_name !== 'string') {
    throw new ConfigError(`${who}: layer ${index} must be { class_name, config }, but got ${describe(entry)}`);
  }
  if (MODEL_CLASSES.includes(entry.class_name))
    return modelFromKeras(who, entry as unknown as KerasModelTopology, depth + 1);
  return layerFromKeras(who, entry);
}

function sequentialFromKeras(who: string, config: Json | unknown[], depth: number): SerializedLayer {
  // Keras before 2.2 wrote a Sequential's config as the bare list of layers
  const c = Array.isArray(config) ? { layers: config } : config;
  if (c === null || typeof c !== 'object' || !Array.isArray(c.layers)) {
    throw new ConfigError(`${who}: a Sequential's config must list its layers, but got ${describe(c)}`);
  }
  const entries = c.layers as KerasLayer[];
  const out: SequentialConfig = { name: typeof c.name === 'string' ? c.name : 'sequential', layers: [] };
  for (const [i, entry] of entries.entries()) {
    const layer = entryFromKeras(who, entry, i, depth);
    if (layer.className === 'InputLayer') {
      if (i !== 0) throw new ConfigError(`${who}: a Sequential's InputLayer must come first, but it is layer ${i}`);
      out.inputShape = (layer.config.batchInputShape as (number | null)[]).map((d, k) => (k === 0 ? null : d));
      continue;
    }
    out.layers.push(layer);
  }
  // Keras 3 keeps the input shape as build_input_shape when the layers do not declare it
  const built = c.build_input_shape;
  if (out.inputShape === undefined && Array.isArray(built)) out.inputShape = [null, ...built.slice(1)];
  return { className: 'Sequential', config: out };
}

function functionalFromKeras(who: string, c: Json, depth: number): SerializedLayer {
  if (c === null || typeof c !== 'object' || !Array.isArray(c.layers)) {
    throw new ConfigError(`${who}: a functional model's config must list its layers, but got ${describe(c)}`);
  }
  const entries = c.layers as KerasLayer[];
  const converted = entries.map((entry, i) => ({ entry, layer: entryFromKeras(who, entry, i, depth) }));
  for (const { entry, layer } of converted) {
    if (entry.inbound_nodes !== undefined && entry.inbound_nodes !== null && !Array.isArray(entry.inbound_nodes)) {
      throw new ConfigError(
        `${who}: layer '${String(entry.name ?? layer.config.name)}' inbound_nodes must be a list of calls, but got ${describe(entry.inbound_nodes)}`,
      );
    }
  }
  // Note [A nested model's first node]: the nested models whose first node is their own
  const shifted = new Set(
    converted
      .filter(({ layer }) => hasOwnNode(layer))
      .map(({ entry, layer }) => String(entry.name ?? layer.config.name)),
  );
  const keras2 = entries.some((e) => (e.inbound_nodes ?? []).some((n) => Array.isArray(n)));
  const shift = <T extends [string, number, number, ...unknown[]]>(ref: T): T =>
    keras2 && shifted.has(ref[0]) ? ([ref[0], ref[1] - 1, ...ref.slice(2)] as T) : ref;
  const layers: GraphLayerConfig[] = converted.map(({ entry, layer }) => {
    const name = String(entry.name ?? layer.config.name);
    return {
      className: layer.className,
      name,
      config: layer.config,
      inboundNodes: (entry.inbound_nodes ?? []).map((node) =>
        callFromKeras(`${who}: layer '${name}'`, node).map(shift),
      ),
    };
  });
  return {
    className: 'Model',
    config: {
      name: typeof c.name === 'string' ? c.name : 'model',
      layers,
      inputLayers: refsFromKeras(who, 'input_layers', c.input_layers),
      outputLayers: refsFromKeras(who, 'output_layers', c.output_layers).map(shift),
    },
  };
}

/** Whether Keras 2 / TF.js give this nested model a node of its own (Note [A nested model's first node]). */
function hasOwnNode(layer: SerializedLayer): boolean {
  if (layer.className === 'Model') return true;
  if (layer.className !== 'Sequential') return false;
  const c = layer.config as SequentialConfig;
  return c.inputShape !== undefined || c.layers[0]?.config.inputShape !== undefined;
}

type InboundTensor = [string, number, number, Json];

/** One call of a layer: Keras 2's list of [layer, node, tensor, kwargs], or Keras 3's { args, kwargs }. */
function callFromKeras(who: string, node: unknown): InboundTensor[] {
  if (Array.isArray(node)) {
    return node.map((t) => {
      if (!Array.isArray(t) || typeof t[0] !== 'string')
        throw new ConfigError(`${who}: inbound tensor ${describe(t)} is not [layer, node, tensor, kwargs]`);
      return [t[0], index(who, t, t[1]), index(who, t, t[2]), kwargsFromKeras(who, t[3])];
    });
  }
  if (node !== null && typeof node === 'object' && Array.isArray((node as Json).args)) {
    const { args, kwargs } = node as { args: unknown[]; kwargs?: Json };
    const tensors = (Array.isArray(args[0]) ? args[0] : args) as unknown[];
    const options = kwargsFromKeras(who, kwargs);
    return tensors.map((t) => {
      const history = ((t as Json)?.config as Json | undefined)?.keras_history;
      if (!Array.isArray(history)) throw new ConfigError(`${who}: call argument ${describe(t)} is not a Keras tensor`);
      return [String(history[0]), index(who, history, history[1]), index(who, history, history[2]), options];
    });
  }
  throw new ConfigError(`${who}: inbound node ${describe(node)} is neither Keras 2's nor Keras 3's form`);
}

/** A node or tensor index of a reference: an integer ≥ 0 (missing: 0). */
function index(who: string, ref: unknown, v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 2 ** 31 - 1) {
    throw new ConfigError(
      `${who}: reference ${describe(ref)}: node and tensor indices must be integers ≥ 0, but got ${describe(v)}`,
    );
  }
  return v;
}

/** The call's keyword arguments: Sinapse replays `training` only. */
function kwargsFromKeras(who: string, kwargs: unknown): Json {
  if (kwargs === undefined || kwargs === null) return {};
  if (typeof kwargs !== 'object' || Array.isArray(kwargs))
    throw new ConfigError(`${who}: call arguments must be an object, but got ${describe(kwargs)}`);
  const { training, ...rest } = kwargs as Json;
  const other = Object.keys(rest).filter((k) => rest[k] !== null);
  if (other.length > 0)
    throw new ConfigError(`${who}: call arguments ${other.join(', ')} are not supported (only training)`);
  return training === undefined || training === null ? {} : { training: Boolean(training) };
}

/** input_layers / output_layers: a list of [layer, node, tensor] (Keras 3 writes one as the bare triple). */
function refsFromKeras(who: string, what: string, refs: unknown): TensorRef[] {
  if (!Array.isArray(refs))
    throw new ConfigError(`${who}: a functional model needs ${what}, but got ${describe(refs)}`);
  const list = typeof refs[0] === 'string' ? [refs] : refs;
  return list.map((r) => {
    if (!Array.isArray(r) || typeof r[0] !== 'string')
      throw new ConfigError(`${who}: ${what} entry ${describe(r)} is not [layer, node, tensor]`);
    return [r[0], index(who, r, r[1]), index(who, r, r[2])];
  });
}

// ---- Sinapse → Keras ------------------------------------------------------------------------------

/** A Sinapse model's `serializeLayer` form as Keras model JSON (the `modelTopology` TF.js reads). */
export function modelToKeras(who: string, model: SerializedLayer): KerasModelTopology {
  const c = model.config;
  if (model.className === 'Sequential') {
    const sc = c as unknown as SequentialConfig;
    const layers = sc.layers.map((l) => entryToKeras(who, l));
    const first = layers[0];
    if (
      first !== undefined &&
      first.config !== null &&
      typeof first.config === 'object' &&
      !Array.isArray(first.config)
    ) {
      const fc = first.config as Json;
      if (fc.batch_input_shape === undefined && !MODEL_CLASSES.includes(first.class_name)) {
        if (sc.inputShape === undefined) {
          throw new ConfigError(
            `${who}: Sequential '${sc.name}' has no input shape, which the Layers format needs to make its weights; ` +
              'give its first layer inputShape, or run it once',
          );
        }
        fc.batch_input_shape = [null, ...sc.inputShape.slice(1)];
      }
    }
    return { class_name: 'Sequential', config: { name: sc.name, layers } };
  }
  if (model.className === 'Model' && Array.isArray(c.layers)) {
    const graph = c.layers as GraphLayerConfig[];
    // Note [A nested model's first node]: nested models' calls count from 1 in Keras 2 and TF.js
    const shifted = new Set(graph.filter((l) => hasOwnNode(l)).map((l) => l.name));
    const at = (layer: string, node: number) => (shifted.has(layer) ? node + 1 : node);
    const layers = graph.map((l) => {
      const keras = entryToKeras(who, { className: l.className, config: l.config });
      return {
        name: l.name,
        class_name: keras.class_name,
        config: keras.config,
        inbound_nodes: l.inboundNodes.map((call) =>
          call.map(([layer, node, tensor, options]) => [layer, at(layer, node), tensor, { ...options }]),
        ),
      };
    });
    const outputs = (c.outputLayers as TensorRef[]).map(([layer, node, tensor]) => [layer, at(layer, node), tensor]);
    return {
      class_name: 'Model',
      config: { name: c.name, layers, input_layers: c.inputLayers, output_layers: outputs },
    };
  }
  throw new ConfigError(
    `${who}: a ${model.className} has no graph to write; the Layers format holds a Sequential or a functional Model ` +
      '(a subclassed model is code, not a config)',
  );
}

function entryToKeras(who: string, layer: SerializedLayer): KerasModelTopology | { class_name: string; config: Json } {
  if (layer.className === 'Sequential' || layer.className === 'Model') return modelToKeras(who, layer);
  return layerToKeras(who, layer);
}

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
