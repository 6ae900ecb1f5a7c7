/**
 * Bilinear resizing of NHWC images, as TensorFlow 2's tf.image.resize computes it (half-pixel
 * centers, no antialiasing): output pixel o along an axis samples the input at
 *   in = (o + 0.5) · inSize / outSize − 0.5,
 * between lower = max(floor(in), 0) and upper = min(ceil(in), inSize − 1), with weight
 * lerp = in − floor(in) on upper. Along both axes:
 *   y[n, oy, ox, c] = (1 − ly)·((1 − lx)·x[y0, x0] + lx·x[y0, x1]) + ly·((1 − lx)·x[y1, x0] + lx·x[y1, x1])
 * The backward pass sends dy back to the same four cells with the same four weights.
 */
import type { TypedArray } from '../../dtype';

/** lower[o], upper[o] and lerp[o] for every output index o of one axis (once per call). */
function axisWeights(inSize: number, outSize: number): { lower: Int32Array; upper: Int32Array; lerp: Float64Array } {
  const lower = new Int32Array(outSize);
  const upper = new Int32Array(outSize);
  const lerp = new Float64Array(outSize);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const at = (o + 0.5) * scale - 0.5;
    const floor = Math.floor(at);
    lower[o] = Math.max(floor, 0);
    upper[o] = Math.min(Math.ceil(at), inSize - 1);
    lerp[o] = at - floor;
  }
  return { lower, upper, lerp };
}

export function resizeBilinear(
  x: TypedArray,
  y: TypedArray,
  batch: number,
  inH: number,
  inW: number,
  channels: number,
  outH: number,
  outW: number,
): void {
  const rows = axisWeights(inH, outH);
  const cols = axisWeights(inW, outW);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const ly = rows.lerp[oy]!;
      const top = (n * inH + rows.lower[oy]!) * inW;
      const bottom = (n * inH + rows.upper[oy]!) * inW;
      for (let ox = 0; ox < outW; ox++) {
        const lx = cols.lerp[ox]!;
        const left = cols.lower[ox]!;
        const right = cols.upper[ox]!;
        const a = (top + left) * channels;
        const b = (top + right) * channels;
        const c = (bottom + left) * channels;
        const d = (bottom + right) * channels;
        for (let k = 0; k < channels; k++, o++) {
          const upperRow = x[a + k]! + (x[b + k]! - x[a + k]!) * lx;
          const lowerRow = x[c + k]! + (x[d + k]! - x[c + k]!) * lx;
          y[o] = upperRow + (lowerRow - upperRow) * ly;
        }
      }
    }
  }
}

/** dx += the four-cell spread of dy (the transpose of resizeBilinear). */
export function resizeBilinearBackward(
  dy: TypedArray,
  dx: TypedArray,
  batch: number,
  inH: number,
  inW: number,
  channels: number,
  outH: number,
  outW: number,
): void {
  const rows = axisWeights(inH, outH);
  const cols = axisWeights(inW, outW);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const ly = rows.lerp[oy]!;
      const top = (n * inH + rows.lower[oy]!) * inW;
      const bottom = (n * inH + rows.upper[oy]!) * inW;
      for (let ox = 0; ox < outW; ox++) {
        const lx = cols.lerp[ox]!;
        const a = (top + cols.lower[ox]!) * channels;
        const b = (top + cols.upper[ox]!) * channels;
        const c = (bottom + cols.lower[ox]!) * channels;
        const d = (bottom + cols.upper[ox]!) * channels;
        for (let k = 0; k < channels; k++, o++) {
          const g = dy[o]!;
          dx[a + k]! += g * (1 - ly) * (1 - lx);
          dx[b + k]! += g * (1 - ly) * lx;
          dx[c + k]! += g * ly * (1 - lx);
          dx[d + k]! += g * ly * lx;
        }
      }
    }
  }
}
