/**
 * Note [The layer graph]
 * A functional model is a directed acyclic graph whose vertices are *nodes*: one node for each time
 * a layer was applied to symbolic tensors (Keras and TF.js call them inbound nodes).
 *
 *   input_1 ──► conv_a ──► add ──►          conv_a.inboundNodes = [node(inputs: [input_1[0][0]])]
 *         └───────────────┘                add.inboundNodes    = [node(inputs: [conv_a[0][0], input_1[0][0]])]
 *
 * A node knows its layer, the symbolic tensors it takes and the ones it makes. A layer applied
 * twice has two nodes and one set of weights: that is how layers are shared. Walking back from a
 * model's outputs through `node.inputs[i].node` finds every node the outputs depend on; running
 * those nodes in topological order is the forward pass (models/src/graph.ts).
 */
import type { Layer } from '../Layer';
import type { LayerShapes } from './layerShape';
import type { SymbolicTensor } from './SymbolicTensor';

/**
 * One application of a layer to symbolic tensors: the vertex of a functional model's graph (see
 * Note [The layer graph] above). Layers make them in `apply`; a model walks them to run the graph.
 */
export class Node {
  /** The layer that was applied. */
  readonly layer: Layer;
  /** The tensors the layer was applied to, in order ([] for an InputLayer's node). */
  readonly inputs: readonly SymbolicTensor[];
  /** Whether they were passed as a list (`add.apply([a, b])`), so the graph passes a list again. */
  readonly inputIsList: boolean;
  /** `training` fixed at the call (`dropout.apply(x, { training: true })`), or undefined to follow the model's call. */
  readonly training: boolean | undefined;
  /** The tensors the layer makes, set once by the layer right after it creates the node. */
  outputs: readonly SymbolicTensor[] = [];

  constructor(layer: Layer, inputs: readonly SymbolicTensor[], inputIsList: boolean, training?: boolean) {
    this.layer = layer;
    this.inputs = inputs;
    this.inputIsList = inputIsList;
    this.training = training;
  }

  /** The shapes of the inputs: one shape, or a list when the layer took a list (an input node: the shape it feeds). */
  inputShapes(): LayerShapes {
    if (this.inputs.length === 0) return this.outputs[0]!.shape;
    return this.inputIsList ? this.inputs.map((t) => t.shape) : this.inputs[0]!.shape;
  }

  /** The position of this node among its layer's inbound nodes (0 for the first call). */
  get index(): number {
    return this.layer.inboundNodes.indexOf(this);
  }
}
