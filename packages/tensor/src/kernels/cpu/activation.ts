/**
 * The 'cpu' backend's relu and fused bias + activation kernels (Note [Fused bias and activation]
 * in ../reference/activation.ts has the definitions; these compute the same values).
 *
 * Note [Branch-free relu in JavaScript]
 * `x > 0 ? x : 0` (or Math.max(x, 0)) compiles to a compare and a conditional jump. On real
 * activations the sign is close to a coin toss, so the branch predictor misses about half the
 * time: ~7 ns per element, where an add loop takes ~1.3 ns. The fix is to compute the choice as
 * data, on the bits. A float32 read as an int32 v (same bytes, through an Int32Array view) has its
 * sign in bit 31, and for v ≥ 0 the integer order is the float order. So:
 *
 *   forward   keep = ~(v >> 31)                      all ones unless the sign bit is set
 *                  | ((0x7f800000 − |v|) >> 31)      all ones for NaN: |v| = v & 0x7fffffff > 0x7f800000
 *             y = v & keep                           the float itself, or +0.0 (all bits 0)
 *   backward  x > 0  ⇔  1 ≤ v ≤ 0x7f800000           (+0 is 0; NaNs are above +∞ = 0x7f800000)
 *             with t = v − 1:  mask = ~(t >> 31) & ((t − 0x7f800000) >> 31)
 *             dpre = dy & mask                       dy itself, or +0.0
 *
 * Edge cases come out as Math.max and `x > 0` do: NaN of either sign stays NaN, −0 and −∞ give
 * +0, the gradient is 0 at 0 and at NaN. (v − 1 for v = −2³¹, the bits of −0, wraps to 2³¹ − 1,
 * whose second factor is 0.) All the shifts see values inside the int32 range, so JavaScript's
 * `>>` (ToInt32, then shift) is the machine shift.
 *
 * float64 arrays (gradient checks) take plain loops: correct, and not hot.
 */
import type { TypedArray } from '../../dtype';
import type { FusedActivation } from '../backend';
import * as reference from '../reference/activation';

/** An int32 view of a float32 array's bytes. */
function bits(a: Float32Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length);
}

/** y = max(x, 0), in place when y is x: the forward of Note [Branch-free relu in JavaScript]. */
function reluBits(xi: Int32Array, yi: Int32Array): void {
  for (let i = 0; i < xi.length; i++) {
    const v = xi[i]!;
    yi[i] = v & (~(v >> 31) | ((0x7f800000 - (v & 0x7fffffff)) >> 31));
  }
}

/** Backend.relu: y = max(x, 0) (NaN stays NaN, −0 becomes +0). */
export function relu(x: TypedArray, y: TypedArray): void {
  if (x instanceof Float32Array && y instanceof Float32Array) reluBits(bits(x), bits(y));
  else reference.relu(x, y);
}

// Backward adds dy·[x > 0] to dx. The mask gives the selected dy as BITS, and adding needs it as a
// float, so each block of elements goes through this scratch twice: masked bits in, floats out.
// 1024 floats stay in L1 cache between the two passes.
const BLOCK = 1024;
const scratch = new Float32Array(BLOCK);
const scratchBits = bits(scratch);

/** Backend.reluBackward: dx += dy where x > 0 (0 at x = 0 and at NaN). */
export function reluBackward(dy: TypedArray, x: TypedArray, dx: TypedArray): void {
  if (!(dy instanceof Float32Array && x instanceof Float32Array)) {
    reference.reluBackward(dy, x, dx);
    return;
  }
  const xi = bits(x);
  const dyi = bits(dy);
  for (let start = 0; start < xi.length; start += BLOCK) {
    const count = Math.min(BLOCK, xi.length - start);
    for (let k = 0; k < count; k++) {
      const t = (xi[start + k]! - 1) | 0;
      scratchBits[k] = dyi[start + k]! & (~(t >> 31) & ((t - 0x7f800000) >> 31));
    }
    // adds +0 where x ≤ 0: dx is unchanged (a −0 in dx would become +0, which no sum tells apart)
    for (let k = 0; k < count; k++) dx[start + k]! += scratch[k]!;
  }
}

/** Backend.biasActivation: y[r, c] = act(y[r, c] + bias[c]) in place. */
export function biasActivation(
  y: TypedArray,
  bias: TypedArray | null,
  channels: number,
  activation: FusedActivation,
): void {
  const n = y.length;
  if (channels <= 0) return; // then y is empty (rows of 0 values)
  if (bias !== null) {
    // rows of `channels` values, as the 'tiledB' add of ./elementwise.ts; the float32 store rounds
    // the sum exactly as a float32 add would (the double sum of two float32s is exact to 48 bits)
    for (let o = 0; o < n; o += channels) for (let c = 0; c < channels; c++) y[o + c] = y[o + c]! + bias[c]!;
  }
  if (activation === 'relu') relu(y, y);
}

/**
 * Backend.biasActivationBackward: dpre = dy·[y > 0] for relu (dy for linear), written; then
 * dbias[c] += Σ_r dpre[r, c], summed in float64 (one rounding when added to dbias).
 */
export function biasActivationBackward(
  dy: TypedArray,
  y: TypedArray,
  dpre: TypedArray,
  dbias: TypedArray | null,
  channels: number,
  activation: FusedActivation,
): void {
  const n = dy.length;
  if (channels <= 0) return; // then dy is empty (rows of 0 values)
  if (activation === 'linear') {
    if (dpre !== dy) dpre.set(dy);
  } else if (dy instanceof Float32Array && y instanceof Float32Array && dpre instanceof Float32Array) {
    const yi = bits(y);
    const dyi = bits(dy);
    const di = bits(dpre);
    for (let i = 0; i < n; i++) {
      const t = (yi[i]! - 1) | 0;
      di[i] = dyi[i]! & (~(t >> 31) & ((t - 0x7f800000) >> 31));
    }
  } else {
    for (let i = 0; i < n; i++) dpre[i] = y[i]! > 0 ? dy[i]! : 0;
  }
  if (dbias === null) return;
  const sums = new Float64Array(channels);
  for (let o = 0; o < n; o += channels) for (let c = 0; c < channels; c++) sums[c]! += dpre[o + c]!;
  for (let c = 0; c < channels; c++) dbias[c]! += sums[c]!;
}
