/**
 * Note [The tape]
 * Sinapse records, for every tensor computed from tensors that require a gradient, a GradNode:
 * the op's name, its inputs, and a closure that maps the gradient of the output (dy, same shape
 * as the output) to the gradients of the inputs. The closure captures exactly what the backward
 * rule needs (the input, the output, an argmax...), which is what PyTorch calls "saved tensors".
 * `Tensor.backward()` walks these nodes from the output back to the leaves (see backward.ts).
 */
import type { Tensor } from '../tensor';

/**
 * Maps dL/d(output) to dL/d(input) for each input, in input order. Entries are null for inputs
 * that need no gradient; a rule should check `input.requiresGrad` before doing the work.
 */
export type BackwardFn = (dy: Tensor) => ReadonlyArray<Tensor | null>;

export interface GradNode {
  /** The op that produced the tensor, for error messages and for printing the graph. */
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly backward: BackwardFn;
  /** The layer that ran the op ('model/conv1'), kept in anomaly mode only (Note [Anomaly detection]). */
  readonly layer?: string | null;
}
