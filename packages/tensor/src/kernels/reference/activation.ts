/**
 * Note [Fused bias and activation]
 * A conv or dense layer ends with the same two steps, on an output z whose last axis holds the
 * `channels` (filters or units): z is seen as rows of `channels` values, row r = (n, oh, ow) for
 * NHWC [N, OH, OW, C], and
 *
 *     pre[r, c] = z[r, c] + bias[c],      y[r, c] = act(pre[r, c]).
 *
 * As separate ops that is two passes over memory and two tensors (pre and y), plus an index per
 * element if the add broadcasts the general way. Fused, it is one pass, in place on z, and one
 * node on the tape. The backward pass of that node needs, for the upstream gradient dy,
 *
 *     dpre[r, c] = dy[r, c] · act'(pre[r, c]),     dbias[c] = Σ_r dpre[r, c],
 *
 * and then dpre flows into the conv's (or matMul's) own gradient kernels as their dy.
 *
 * Only activations whose derivative can be read from the OUTPUT are fused, so that pre need not
 * be kept: 'linear' (act' = 1) and 'relu', where act'(pre) = [pre > 0] = [y > 0] because
 * relu(pre) = max(pre, 0) is positive exactly when pre is. At pre = 0 the derivative is taken as
 * 0, as in the standalone relu; at NaN both tests are false, so the gradient is 0 there too.
 *
 * These loops are the specification, straight from the formulas; the 'cpu' and 'wasm' kernels
 * must agree with them (exactly for y and dpre, to rounding for dbias).
 */
import type { TypedArray } from '../../dtype';
import type { FusedActivation } from '../backend';

/** Backend.relu: y = max(x, 0) (NaN stays NaN, −0 becomes +0, as Math.max). */
export function relu(x: TypedArray, y: TypedArray): void {
  for (let i = 0; i < x.length; i++) y[i] = Math.max(x[i]!, 0);
}

/** Backend.reluBackward: dx += dy where x > 0 (the gradient at exactly 0 is taken to be 0). */
export function reluBackward(dy: TypedArray, x: TypedArray, dx: TypedArray): void {
  for (let i = 0; i < x.length; i++) if (x[i]! > 0) dx[i]! += dy[i]!;
}

/** Backend.biasActivation: y[r, c] = act(y[r, c] + bias[c]), in place. */
export function biasActivation(
  y: TypedArray,
  bias: TypedArray | null,
  channels: number,
  activation: FusedActivation,
): void {
  const rows = channels === 0 ? 0 : y.length / channels;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++) {
      const i = r * channels + c;
      const pre = bias === null ? y[i]! : y[i]! + bias[c]!;
      y[i] = activation === 'relu' ? Math.max(pre, 0) : pre;
    }
  }
}

/**
 * Backend.biasActivationBackward: dpre[r, c] = dy[r, c] · act'(pre[r, c]) (written), and
 * dbias[c] += Σ_r dpre[r, c] (accumulated in float64, then added once).
 */
export function biasActivationBackward(
  dy: TypedArray,
  y: TypedArray,
  dpre: TypedArray,
  dbias: TypedArray | null,
  channels: number,
  activation: FusedActivation,
): void {
  const rows = channels === 0 ? 0 : dy.length / channels;
  const sums = new Float64Array(channels);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++) {
      const i = r * channels + c;
      // relu'(pre) = 1 if pre > 0, which is y > 0; linear' = 1
      const d = activation === 'relu' && !(y[i]! > 0) ? 0 : dy[i]!;
      dpre[i] = d;
      sums[c]! += d;
    }
  }
  if (dbias !== null) for (let c = 0; c < channels; c++) dbias[c]! += sums[c]!;
}
