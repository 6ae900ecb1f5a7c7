/**
 * A SymbolicTensor stands for a tensor that does not exist yet: the input of a functional model, or
 * the output of a layer applied to such an input. It has a shape (batch axis null), a dtype, and
 * the Node that will compute it, nothing else: no values (Keras `KerasTensor`, TF.js `SymbolicTensor`).
 *
 *   const x = input({ shape: [28, 28, 1] });          // SymbolicTensor [null, 28, 28, 1]
 *   const y = new Conv2D({ filters: 8, kernelSize: 3 }).apply(x);  // SymbolicTensor [null, 26, 26, 8]
 *
 * Applying layers to symbolic tensors runs no op and allocates no weight: it only records which
 * layer takes which tensors (Note [The layer graph] in Node.ts), so `model({ inputs, outputs })` can
 * later run the graph on real data.
 */
import type { DType } from '@sinapse/tensor';
import { formatLayerShape, type LayerShape } from './layerShape';
import type { Node } from './Node';

let nextId = 0;

/**
 * A tensor that does not exist yet, with a shape (batch axis null), a dtype and the node that will
 * compute it: what `input()` returns and what `layer.apply` returns for one (see the file's
 * comment). No values, no op run, no weight allocated.
 *
 * @example
 * const x = input({ shape: [28, 28, 1] });                          // [null, 28, 28, 1]
 * new Conv2D({ filters: 8, kernelSize: 3 }).apply(x).shape;         // [null, 26, 26, 8]
 */
export class SymbolicTensor {
  /** Unique, increasing: models key their tensors by it. */
  readonly id = nextId++;
  /** The shape, batch axis first and null when it is not fixed: [null, 28, 28, 1]. */
  readonly shape: LayerShape;
  /** The dtype the real tensor will have (the input's, or the layer's weights'). */
  readonly dtype: DType;
  /** The node that computes it, and which of that node's outputs it is (0 for single-output layers). */
  readonly node: Node;
  /** Which of the node's outputs this is (0 for single-output layers). */
  readonly outputIndex: number;

  constructor(shape: LayerShape, dtype: DType, node: Node, outputIndex: number) {
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.node = node;
    this.outputIndex = outputIndex;
  }

  /** Number of axes, batch included: 4 for NHWC images. */
  get rank(): number {
    return this.shape.length;
  }

  /** 'conv2d_1[0][0]': the layer, its node and the output index, as Keras's summary names a tensor. */
  get name(): string {
    return `${this.node.layer.name}[${this.node.index}][${this.outputIndex}]`;
  }

  /** `SymbolicTensor conv2d_1[0][0] [null, 26, 26, 8] float32`: name, shape and dtype. */
  toString(): string {
    return `SymbolicTensor ${this.name} ${formatLayerShape(this.shape)} ${this.dtype}`;
  }
}

/** Whether `x` is a symbolic tensor or a non-empty list of them (what `apply` records instead of running). */
export function isSymbolic(x: unknown): x is SymbolicTensor | readonly SymbolicTensor[] {
  if (x instanceof SymbolicTensor) return true;
  return Array.isArray(x) && x.length > 0 && x.every((t) => t instanceof SymbolicTensor);
}
