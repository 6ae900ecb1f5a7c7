/**
 * Reverse-mode automatic differentiation (backpropagation).
 *
 * For a scalar loss L computed through a graph of ops, the chain rule says
 *   dL/dx = Σ over the ops y = f(x, …) that used x of  (dL/dy)·(∂y/∂x).
 * Walking the graph in reverse topological order guarantees that when we reach a tensor, every
 * op that used it has already contributed its share, so its gradient is complete; we then hand
 * that gradient to the tensor's own backward rule, which pushes it one step further back.
 * Leaves (tensors made by the user with `requiresGrad: true`) accumulate into `.grad`.
 */
import { ShapeError, ValueError } from '../errors';
import { formatShape, shapesEqual } from '../shape';
import { Tensor } from '../tensor';
import { checkedBackward, isDetectAnomalyEnabled } from './anomaly';
import { noGrad } from './gradMode';
import type { GradNode } from './gradNode';

/** Options of `tensor.backward(gradient, options)`. */
export interface BackwardOptions {
  /**
   * Keep the graph after this call so `backward()` can go through it again (PyTorch
   * `retain_graph`). Default false: the closures and the tensors they hold are released, so
   * memory does not grow over a training run.
   */
  retainGraph?: boolean;
}

export function runBackward(root: Tensor, upstream: Tensor | undefined, options: BackwardOptions = {}): void {
  if (!root.requiresGrad) {
    throw new ValueError(
      'backward: this tensor does not require a gradient, so there is no graph to go back through. ' +
        'Create the inputs you want gradients for with { requiresGrad: true }, and call backward() outside noGrad().',
    );
  }
  const seed = upstream ?? implicitSeed(root);
  if (!shapesEqual(seed.shape, root.shape)) {
    throw new ShapeError(
      `backward: the upstream gradient must have the output's shape ${formatShape(root.shape)}, but got ${formatShape(seed.shape)}`,
    );
  }
  const order = topologicalOrder(root);
  const anomaly = isDetectAnomalyEnabled();
  // gradients waiting to be propagated, keyed by tensor; freed as soon as they are used
  const pending = new Map<Tensor, Tensor>();
  pending.set(root, seed.dtype === root.dtype ? seed : seed.cast(root.dtype));

  noGrad(() => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i]!;
      const dy = pending.get(t);
      if (dy === undefined) continue;
      pending.delete(t);
      const node = t.gradNode;
      if (node === null) {
        // a leaf: gradients add up across backward() calls, as in PyTorch (zeroGrad() resets them).
        // The first one is copied: the same dy may reach several leaves (add passes it to both
        // inputs) or be the caller's own tensor, and each leaf's .grad must be its own storage.
        t.grad = t.grad === null ? new Tensor(dy.data.slice(), dy.shape) : t.grad.add(dy);
        continue;
      }
      const inputGrads = anomaly ? checkedBackward(node, dy) : node.backward(dy);
      for (let j = 0; j < node.inputs.length; j++) {
        const input = node.inputs[j]!;
        const g = inputGrads[j];
        if (g === null || g === undefined || !input.requiresGrad) continue;
        if (!shapesEqual(g.shape, input.shape)) {
          // a bug in a backward rule, not in user code: say which rule
          throw new ShapeError(
            `backward: the gradient rule of '${node.op}' returned shape ${formatShape(g.shape)} for input ${j}, ` +
              `which has shape ${formatShape(input.shape)}`,
          );
        }
        const gradOfInput = g.dtype === input.dtype ? g : g.cast(input.dtype);
        const previous = pending.get(input);
        pending.set(input, previous === undefined ? gradOfInput : previous.add(gradOfInput));
      }
    }
  });

  if (!options.retainGraph) {
    for (const t of order) if (t.gradNode !== null) t.gradNode = releasedNode(t.gradNode);
  }
}

/** dL/dL = 1, defined only when the output is a single number. */
function implicitSeed(root: Tensor): Tensor {
  if (root.size !== 1) {
    throw new ShapeError(
      `backward: an implicit gradient can only be created for a scalar output, but got shape ${formatShape(root.shape)}. ` +
        'Reduce it first (e.g. sum or mean), or pass the upstream gradient: y.backward(dy).',
    );
  }
  return root.onesLike();
}

/**
 * Every tensor that requires a gradient and leads to `root`, inputs before outputs. Iterative
 * depth-first search, so deep graphs (long training loops unrolled by hand) do not overflow the stack.
 */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: Array<{ t: Tensor; expanded: boolean }> = [{ t: root, expanded: false }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.expanded) {
      order.push(top.t);
      continue;
    }
    if (visited.has(top.t)) continue;
    visited.add(top.t);
    stack.push({ t: top.t, expanded: true });
    const node = top.t.gradNode;
    if (node === null) continue;
    for (const input of node.inputs) {
      if (input.requiresGrad && !visited.has(input)) stack.push({ t: input, expanded: false });
    }
  }
  return order;
}

/** What a non-leaf keeps after its graph is freed: enough to explain the error, nothing more. */
function releasedNode(node: GradNode): GradNode {
  return {
    op: node.op,
    inputs: [],
    backward: () => {
      throw new ValueError(
        `backward: the graph through '${node.op}' was already freed by an earlier backward() call. ` +
          'Pass { retainGraph: true } to the first backward() if you need to go back through it twice.',
      );
    },
  };
}
