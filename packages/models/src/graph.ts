/**
 * The graph of a functional model (Note [The layer graph] in @sinapse/layers): the nodes between
 * the model's inputs and its outputs, in an order where every node comes after the nodes it takes
 * tensors from. Running them in that order is the forward pass; the same walk over shapes instead
 * of tensors gives the output shapes, and over configs gives Keras's `inbound_nodes` form.
 */
import {
  formatLayerShape,
  InputLayer,
  type Layer,
  type LayerShape,
  type LayerShapes,
  type Node,
  SymbolicTensor,
} from '@sinapse/layers';
import { ConfigError, Tensor } from '@sinapse/tensor';

/** A tensor in a saved graph: [layer name, node index (among this model's nodes of that layer), output index]. */
export type TensorRef = [string, number, number];

/** One layer of a saved functional model: its serialized form plus the calls it takes part in. */
export type GraphLayerConfig = {
  /** The layer's registered class name ('Conv2D'). */
  className: string;
  /** Its name, which inboundNodes and the input/output lists refer to. */
  name: string;
  /** Its `getConfig()`. */
  config: Record<string, unknown>;
  /**
   * One entry per call of the layer inside this model, in order; each lists the tensors the call took
   * as [layer, node, output, options] (Keras's inbound_nodes; options holds `training` when the call fixed it).
   */
  inboundNodes: Array<Array<[string, number, number, Record<string, unknown>]>>;
};

/** The graph part of a functional model's config (Keras's layers / input_layers / output_layers). */
export type GraphConfig = {
  /** Every layer once, in the order of its first call (InputLayers included). */
  layers: GraphLayerConfig[];
  /** The model's inputs, as `[layer, node, output]` references. */
  inputLayers: TensorRef[];
  /** The model's outputs, likewise. */
  outputLayers: TensorRef[];
};

export class Graph {
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  /** Every node the outputs depend on, each after the nodes it reads from; input nodes first. */
  readonly nodes: readonly Node[];
  /** Each layer once, in the order of its first node (InputLayers included, as in Keras's model.layers). */
  readonly layers: readonly Layer[];

  /**
   * @param who how messages name the model ("Model 'resnet'")
   * @throws ConfigError for an input that is not from input(), an output that needs an input not
   *   listed, an input no output uses, or two layers with one name.
   */
  constructor(who: string, inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[]) {
    const describe = (t: SymbolicTensor) => `${t.name} (${t.node.layer.className}, shape ${formatLayerShape(t.shape)})`;
    for (const [what, list] of [
      ['inputs', inputs],
      ['outputs', outputs],
    ] as const) {
      if (list.length === 0) throw new ConfigError(`${who}: ${what} must list at least one symbolic tensor`);
      list.forEach((t, i) => {
        if (!(t instanceof SymbolicTensor)) {
          throw new ConfigError(
            `${who}: ${what}[${i}] must be a symbolic tensor (from input() or layer.apply on one), but got ${describeValue(t)}`,
          );
        }
      });
    }
    inputs.forEach((t, i) => {
      if (!(t.node.layer instanceof InputLayer)) {
        throw new ConfigError(
          `${who}: inputs[${i}] must come straight from input(), but ${describe(t)} is the output of a layer; ` +
            'pass the tensor input() returned',
        );
      }
      if (inputs.indexOf(t) !== i) throw new ConfigError(`${who}: inputs lists ${describe(t)} twice`);
    });
    this.inputs = inputs;
    this.outputs = outputs;

    // depth-first from the outputs: a node is added after every node it reads from (post-order).
    // With an explicit stack, not recursion: a saved graph may be a chain of 20,000 layers, deeper
    // than the call stack (a RangeError, "Maximum call stack size exceeded").
    const order: Node[] = [];
    const done = new Set<Node>();
    for (const output of outputs) {
      // each entry: a node, and how many of its inputs have been pushed so far
      const stack: [Node, number][] = [[output.node, 0]];
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const [node, next] = top;
        if (done.has(node)) {
          stack.pop();
          continue;
        }
        if (node.inputs.length === 0 && !inputs.includes(node.outputs[0]!)) {
          throw new ConfigError(
            `${who}: output ${describe(output)} depends on ${describe(node.outputs[0]!)}, which is not in inputs; ` +
              'add it to inputs, or build the output from the inputs given',
          );
        }
        if (next < node.inputs.length) {
          top[1] = next + 1;
          stack.push([node.inputs[next]!.node, 0]);
        } else {
          stack.pop();
          done.add(node);
          order.push(node);
        }
      }
    }
    for (const t of inputs) {
      if (!done.has(t.node)) {
        throw new ConfigError(`${who}: input ${describe(t)} is not used by any output; remove it from inputs`);
      }
    }
    this.nodes = order;

    const layers: Layer[] = [];
    const byName = new Map<string, Layer>();
    for (const node of order) {
      const other = byName.get(node.layer.name);
      if (other === undefined) {
        byName.set(node.layer.name, node.layer);
        layers.push(node.layer);
      } else if (other !== node.layer) {
        throw new ConfigError(
          `${who}: two layers are named '${node.layer.name}' (${other.className} and ${node.layer.className}); ` +
            'layer names must be unique in a model (they name the weights, e.g. conv1/kernel)',
        );
      }
    }
    this.layers = layers;
  }

  /**
   * The forward pass: each node's layer applied to the tensors its inputs stand for, in order.
   * `values[i]` is the value of `inputs[i]`.
   */
  run(values: readonly Tensor[], training: boolean): Tensor[] {
    const value = new Map<SymbolicTensor, Tensor>();
    this.inputs.forEach((t, i) => {
      value.set(t, values[i]!);
    });
    for (const node of this.nodes) {
      if (node.inputs.length === 0) continue; // an input: already has its value
      const args = node.inputs.map((t) => value.get(t)!);
      const outputs = node.layer.applyAll(node.inputIsList ? args : args[0]!, { training: node.training ?? training });
      node.outputs.forEach((t, i) => {
        value.set(t, outputs[i]!);
      });
    }
    return this.outputs.map((t) => value.get(t)!);
  }

  /** The same walk over shapes: the output shapes for these input shapes (batch axes may be null). */
  outputShapes(inputShapes: readonly LayerShape[]): LayerShape[] {
    const shape = new Map<SymbolicTensor, LayerShape>();
    this.inputs.forEach((t, i) => {
      shape.set(t, inputShapes[i]!);
    });
    for (const node of this.nodes) {
      if (node.inputs.length === 0) continue;
      const args = node.inputs.map((t) => shape.get(t)!);
      const out: LayerShapes = node.layer.computeOutputShape(node.inputIsList ? args : args[0]!);
      const list = node.outputs.length === 1 ? [out as LayerShape] : (out as readonly LayerShape[]);
      node.outputs.forEach((t, i) => {
        shape.set(t, list[i]!);
      });
    }
    return this.outputs.map((t) => shape.get(t)!);
  }

  /** The first node of `layer` in this graph: the call whose input shapes build its weights. */
  firstNodeOf(layer: Layer): Node {
    return this.nodes.find((n) => n.layer === layer)!;
  }

  /** Creates every layer's weights for the shapes recorded in the graph. */
  build(): void {
    for (const layer of this.layers) {
      if (!layer.built && !(layer instanceof InputLayer)) layer.build(this.firstNodeOf(layer).inputShapes());
    }
  }

  // ---- config -----------------------------------------------------------------------------------

  /** A node's index among this graph's nodes of the same layer (a shared layer may also have nodes elsewhere). */
  private localIndex(node: Node): number {
    return this.nodes.filter((n) => n.layer === node.layer).indexOf(node);
  }

  private ref(t: SymbolicTensor): TensorRef {
    return [t.node.layer.name, this.localIndex(t.node), t.outputIndex];
  }

  toConfig(serialize: (layer: Layer) => { className: string; config: Record<string, unknown> }): GraphConfig {
    return {
      layers: this.layers.map((layer) => ({
        ...serialize(layer),
        name: layer.name,
        inboundNodes: this.nodes
          .filter((n) => n.layer === layer && n.inputs.length > 0)
          .map((n) => n.inputs.map((t) => [...this.ref(t), n.training === undefined ? {} : { training: n.training }])),
      })),
      inputLayers: this.inputs.map((t) => this.ref(t)),
      outputLayers: this.outputs.map((t) => this.ref(t)),
    };
  }

  /**
   * Rebuilds the graph a config describes: makes every layer, then replays its calls on symbolic
   * tensors, each as soon as the tensors it takes exist (a layer's later call may need a layer that
   * comes after it in the list, as in a shared layer). Returns the inputs and outputs to build a Model from.
   * @throws ConfigError naming the layer and the tensor for a config whose calls cannot all be replayed.
   */
  static fromConfig(
    who: string,
    config: GraphConfig,
    deserialize: (s: { className: string; config: Record<string, unknown> }) => Layer,
  ): { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } {
    if (
      config === null ||
      typeof config !== 'object' ||
      !Array.isArray(config.layers) ||
      !Array.isArray(config.inputLayers) ||
      !Array.isArray(config.outputLayers)
    ) {
      throw new ConfigError(`${who}: a functional config needs layers, inputLayers and outputLayers arrays`);
    }
    checkGraphConfig(who, config);
    const layers = new Map<string, Layer>();
    /** The symbolic outputs of each layer's calls made so far, by layer name. */
    const made = new Map<string, SymbolicTensor[][]>();
    for (const entry of config.layers) {
      const layer = deserialize({ className: entry.className, config: { ...entry.config, name: entry.name } });
      if (layers.has(layer.name)) throw new ConfigError(`${who}: the config lists layer '${layer.name}' twice`);
      layers.set(layer.name, layer);
      made.set(layer.name, layer instanceof InputLayer ? [[layer.output]] : []);
    }
    const tensorAt = ([name, node, index]: TensorRef): SymbolicTensor | undefined => made.get(name)?.[node]?.[index];
    const pending = config.layers.map((entry) => ({ name: entry.name, calls: [...(entry.inboundNodes ?? [])] }));
    let progress = true;
    while (progress) {
      progress = false;
      for (const p of pending) {
        while (p.calls.length > 0) {
          const call = p.calls[0]!;
          const args = call.map((ref) => tensorAt([ref[0], ref[1], ref[2]]));
          if (args.some((t) => t === undefined)) break; // not yet: replay it once its inputs exist
          const layer = layers.get(p.name)!;
          const training = (call[0]?.[3] as { training?: boolean } | undefined)?.training;
          const symbolic = args as SymbolicTensor[];
          // a call with several tensors took a list (merge layers need at least two)
          const isList = call.length > 1;
          const outputs = layer.applyAll(isList ? symbolic : symbolic[0]!, { training });
          made.get(p.name)!.push(outputs);
          p.calls.shift();
          progress = true;
        }
      }
    }
    const stuck = pending.find((p) => p.calls.length > 0);
    if (stuck !== undefined) throw stuckError(who, config, layers, made, pending, stuck.name);
    const resolve = (refs: TensorRef[], what: string) =>
      refs.map((ref) => {
        const t = tensorAt(ref);
        if (t === undefined)
          throw new ConfigError(`${who}: ${what} names ${ref[0]}[${ref[1]}][${ref[2]}], which does not exist`);
        return t;
      });
    return {
      inputs: resolve(config.inputLayers, 'inputLayers'),
      outputs: resolve(config.outputLayers, 'outputLayers'),
    };
  }
}

/**
 * Why some calls of a saved graph could not be replayed. Starting from a stuck layer, follows the
 * tensor each waits for: to a ref that names no layer, no call or no output (an edited name or
 * index), or back to a layer already on the path (a cycle, which no order of calls can replay).
 */
function stuckError(
  who: string,
  config: GraphConfig,
  layers: ReadonlyMap<string, Layer>,
  made: ReadonlyMap<string, SymbolicTensor[][]>,
  pending: ReadonlyArray<{ name: string; calls: GraphLayerConfig['inboundNodes'] }>,
  start: string,
): ConfigError {
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const path: string[] = [];
  let current = start;
  for (;;) {
    path.push(current);
    const call = pending.find((p) => p.name === current)!.calls[0]!;
    const [name, node, index] = call.find((ref) => made.get(ref[0])?.[ref[1]]?.[ref[2]] === undefined)!;
    const takes = `${who}: layer '${current}' takes ${name}[${node}][${index}]`;
    if (!layers.has(name)) return new ConfigError(`${takes}, which is not a layer of the config`);
    const layer = layers.get(name)!;
    const calls =
      layer instanceof InputLayer ? 1 : (config.layers.find((e) => e.name === name)?.inboundNodes?.length ?? 0);
    if (node >= calls) return new ConfigError(`${takes}, but '${name}' has ${plural(calls, 'call')} (indices from 0)`);
    const outputs = made.get(name)![node];
    if (outputs !== undefined) {
      return new ConfigError(
        `${takes}, but that call of '${name}' has ${plural(outputs.length, 'output')} (indices from 0)`,
      );
    }
    if (path.includes(name)) {
      const cycle = [...path.slice(path.indexOf(name)), name].map((n) => `'${n}'`).join(' → ');
      return new ConfigError(`${takes}, which is never made: the calls wait on each other in a cycle (${cycle})`);
    }
    current = name;
  }
}

/**
 * The shape of a saved graph, checked before anything is built from it: a model.json may have
 * been edited or damaged, and each field below is read as the type written here.
 *   layers[i]          { className: string, name: non-empty string, config: object, inboundNodes }
 *   inboundNodes       [[ref, ...], ...]: one list per call, each of at least one ref
 *   ref                [layer name, node index, tensor index, options?]: a string, two integers ≥ 0, an object
 *   inputLayers, outputLayers   non-empty lists of [layer name, node index, tensor index]
 * That a ref names a layer and a call that exist is checked while the calls are replayed.
 * @throws ConfigError naming the field (layers[2] ('conv1'): inboundNodes[0][1]) and what it holds.
 */
function checkGraphConfig(who: string, config: GraphConfig): void {
  const brief = (v: unknown) => {
    const text = JSON.stringify(v) ?? String(v);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  };
  const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const checkRef = (where: string, ref: unknown, withOptions: boolean) => {
    const ok =
      Array.isArray(ref) &&
      ref.length >= 3 &&
      ref.length <= (withOptions ? 4 : 3) &&
      typeof ref[0] === 'string' &&
      Number.isSafeInteger(ref[1]) &&
      ref[1] >= 0 &&
      Number.isSafeInteger(ref[2]) &&
      ref[2] >= 0 &&
      (ref.length === 3 || isObject(ref[3]));
    if (!ok) {
      const form = withOptions
        ? '[layer name, node index, tensor index, options]'
        : '[layer name, node index, tensor index]';
      throw new ConfigError(`${who}: ${where} must be ${form}, but got ${brief(ref)}`);
    }
  };
  config.layers.forEach((entry, i) => {
    const at = `layers[${i}]`;
    if (!isObject(entry))
      throw new ConfigError(`${who}: ${at} must be { className, name, config, inboundNodes }, but got ${brief(entry)}`);
    const e = entry as Partial<Record<keyof GraphLayerConfig, unknown>>;
    if (typeof e.name !== 'string' || e.name === '') {
      throw new ConfigError(`${who}: ${at}: name must be a non-empty string, but got ${brief(e.name)}`);
    }
    const named = `${at} ('${e.name}')`;
    if (typeof e.className !== 'string') {
      throw new ConfigError(`${who}: ${named}: className must be a layer class name, but got ${brief(e.className)}`);
    }
    if (e.config !== undefined && !isObject(e.config)) {
      throw new ConfigError(`${who}: ${named}: config must be an object, but got ${brief(e.config)}`);
    }
    if (e.inboundNodes === undefined) return;
    if (!Array.isArray(e.inboundNodes)) {
      throw new ConfigError(`${who}: ${named}: inboundNodes must be a list of calls, but got ${brief(e.inboundNodes)}`);
    }
    e.inboundNodes.forEach((call: unknown, c) => {
      if (!Array.isArray(call) || call.length === 0) {
        throw new ConfigError(
          `${who}: ${named}: inboundNodes[${c}] must be a non-empty list of tensors, but got ${brief(call)}`,
        );
      }
      call.forEach((ref, r) => {
        checkRef(`${named}: inboundNodes[${c}][${r}]`, ref, true);
      });
    });
  });
  for (const what of ['inputLayers', 'outputLayers'] as const) {
    const refs = config[what];
    if (refs.length === 0) throw new ConfigError(`${who}: ${what} must list at least one tensor, but it is empty`);
    refs.forEach((ref, i) => {
      checkRef(`${what}[${i}]`, ref, false);
    });
  }
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Tensor) return 'a Tensor, which holds values: a graph is built from symbolic tensors';
  if (typeof v === 'object') return `an object of type ${v.constructor?.name ?? 'Object'}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}
