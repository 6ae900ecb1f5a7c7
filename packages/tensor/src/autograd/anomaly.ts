/**
 * Note [Anomaly detection]
 * A NaN spreads: once one op makes it, every op after it (and every gradient before it, in the
 * backward pass) carries it, so the loss says only "somewhere". In anomaly mode every op checks its
 * own output as it is made, and every backward rule the gradients it returns, and the first one to
 * produce a NaN or ±Infinity from finite inputs throws a ValueError naming the op, the layer that
 * ran it, where the value sits and what went in (PyTorch `torch.autograd.detect_anomaly`).
 *
 * The hooks sit where every differentiable op passes anyway: `record` (forward, see record.ts) and
 * the loop of `runBackward` (backward.ts). Layers name themselves by running `call` inside
 * `inLayer(name, ...)`, so an op can say which layer called it ('model/block1/conv'). Off (the
 * default) all of this is one boolean test per op and per layer call: no pass over the data.
 */
import { ValueError } from '../errors';
import { formatShape } from '../shape';
import type { Tensor } from '../tensor';
import type { GradNode } from './gradNode';

let enabled = false;
// true while a backward rule runs: its own ops (div, mul...) are checked as the rule's result instead
let inBackwardRule = false;
// the names of the layers whose `call` is running, outermost first (only kept in anomaly mode)
const layers: string[] = [];

/** Whether anomaly detection is on (see {@link detectAnomaly}). */
export function isDetectAnomalyEnabled(): boolean {
  return enabled;
}

/** Turns anomaly detection on or off for everything that follows (PyTorch `set_detect_anomaly`). */
export function setDetectAnomaly(on: boolean): void {
  enabled = on;
}

/**
 * Runs `fn` with anomaly detection on and returns its result; the previous mode comes back when
 * `fn` returns or throws, or, for an async `fn` (such as a `fit`), when its promise settles. In
 * this mode the first op whose forward output, or whose backward gradients, hold a NaN or
 * ±Infinity computed from finite values throws a ValueError naming the op and its layer. It is
 * slower (one extra pass over every op's output): a debugging tool, not a training setting.
 *
 * @example
 * detectAnomaly(() => model.apply(x).log().sum().backward());
 * // ValueError: detectAnomaly: 'log' in layer 'dense_1' produced -Infinity from finite inputs, ...
 */
export function detectAnomaly<T>(fn: () => T): T {
  const previous = enabled;
  enabled = true;
  let result: T;
  try {
    result = fn();
  } catch (err) {
    enabled = previous;
    throw err;
  }
  if (result instanceof Promise) {
    return result.finally(() => {
      enabled = previous;
    }) as T;
  }
  enabled = previous;
  return result;
}

/** @internal Runs a layer's `call` with its name on the scope stack (Layer.applyAll, anomaly mode only). */
export function inLayer<T>(name: string, fn: () => T): T {
  layers.push(name);
  try {
    return fn();
  } finally {
    layers.pop();
  }
}

/** @internal The calling layers as a path, 'model/block1/conv', or null outside any layer. */
export function currentLayer(): string | null {
  return layers.length === 0 ? null : layers.join('/');
}

/** The flat index of the first NaN or ±Infinity in `t`, or -1 (v − v is 0 exactly when v is finite). */
function firstNonFinite(t: Tensor): number {
  const data = t.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0) return i;
  }
  return -1;
}

function where(op: string, layer: string | null | undefined): string {
  return layer ? `'${op}' in layer '${layer}'` : `'${op}' (outside any layer)`;
}

function at(t: Tensor, i: number): string {
  return `${t.data[i]} at flat index ${i} of shape ${formatShape(t.shape)}`;
}

/** @internal The forward check, called by `record` in anomaly mode. */
export function checkForward(op: string, inputs: readonly Tensor[], output: Tensor): void {
  if (inBackwardRule) return;
  const i = firstNonFinite(output);
  if (i < 0) return;
  for (let j = 0; j < inputs.length; j++) {
    const k = firstNonFinite(inputs[j]!);
    if (k < 0) continue;
    // the value came in from outside the ops checked so far: data, a weight, or an op run before
    throw new ValueError(
      `detectAnomaly: input ${j} of ${where(op, currentLayer())} already holds ${at(inputs[j]!, k)}; ` +
        `it was not made by an op checked in this mode (the data, a weight, or a tensor computed before ` +
        `anomaly detection was turned on)`,
    );
  }
  throw new ValueError(
    `detectAnomaly: ${where(op, currentLayer())} produced ${at(output, i)} from finite inputs ` +
      `(shapes ${inputs.map((t) => formatShape(t.shape)).join(', ')}) in the forward pass`,
  );
}

/**
 * @internal Runs `node.backward(dy)` and checks what it returns (runBackward, anomaly mode only).
 * The ops inside the rule are not checked one by one: the rule as a whole is the op at fault.
 */
export function checkedBackward(node: GradNode, dy: Tensor): ReadonlyArray<Tensor | null> {
  const { op, layer } = node;
  const u = firstNonFinite(dy);
  if (u >= 0) {
    throw new ValueError(
      `detectAnomaly: the gradient reaching the backward of ${where(op, layer)} already holds ${at(dy, u)} ` +
        `(the upstream gradient passed to backward(), or a sum of gradients that overflowed)`,
    );
  }
  const previous = inBackwardRule;
  inBackwardRule = true;
  let grads: ReadonlyArray<Tensor | null>;
  try {
    grads = node.backward(dy);
  } finally {
    inBackwardRule = previous;
  }
  for (let j = 0; j < grads.length; j++) {
    const g = grads[j];
    if (g === null || g === undefined) continue;
    const i = firstNonFinite(g);
    if (i < 0) continue;
    throw new ValueError(
      `detectAnomaly: the backward of ${where(op, layer)} produced ${at(g, i)} in the gradient of input ${j}, ` +
        `from a finite upstream gradient (at a point where the derivative is infinite, such as sqrt or log at 0?)`,
    );
  }
  return grads;
}
