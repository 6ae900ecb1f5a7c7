import type { Tensor } from '../tensor';
import { isGradEnabled } from './gradMode';
import type { BackwardFn } from './gradNode';

/**
 * Attaches a backward rule to `output` if any input requires a gradient (and recording is on),
 * and returns `output`. Every differentiable op ends with `return record('op', [inputs], y, rule)`.
 * When nothing requires a gradient the rule is dropped, so inference builds no graph.
 */
export function record(op: string, inputs: readonly Tensor[], output: Tensor, backward: BackwardFn): Tensor {
  if (!isGradEnabled()) return output;
  let needed = false;
  for (const t of inputs) if (t.requiresGrad) needed = true;
  if (!needed) return output;
  output.requiresGrad = true;
  output.gradNode = { op, inputs, backward };
  return output;
}
