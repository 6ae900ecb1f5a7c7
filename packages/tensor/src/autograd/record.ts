import type { Tensor } from '../tensor';
import { checkForward, currentLayer, isDetectAnomalyEnabled } from './anomaly';
import { isGradEnabled } from './gradMode';
import type { BackwardFn } from './gradNode';

/**
 * Attaches a backward rule to `output` if any input requires a gradient (and recording is on),
 * and returns `output`. Every differentiable op ends with `return record('op', [inputs], y, rule)`.
 * When nothing requires a gradient the rule is dropped, so inference builds no graph. In anomaly
 * mode the output is checked for NaN and ±Infinity first, and the node remembers its layer
 * (Note [Anomaly detection]).
 */
export function record(op: string, inputs: readonly Tensor[], output: Tensor, backward: BackwardFn): Tensor {
  const anomaly = isDetectAnomalyEnabled();
  if (anomaly) checkForward(op, inputs, output);
  if (!isGradEnabled()) return output;
  let needed = false;
  for (const t of inputs) if (t.requiresGrad) needed = true;
  if (!needed) return output;
  output.requiresGrad = true;
  output.gradNode = anomaly ? { op, inputs, backward, layer: currentLayer() } : { op, inputs, backward };
  return output;
}
