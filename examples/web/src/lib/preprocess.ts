/**
 * A drawing → the 28x28 input MNIST's digits were made as (LeCun et al.: "the images were centered
 * in a 28x28 image by computing the center of mass of the pixels"):
 *   1. the bounding box of the ink;
 *   2. scaled, keeping its aspect ratio, so its longer side is 20 pixels (area averaging: each
 *      output pixel is the mean of the part of the drawing it covers);
 *   3. placed in a 28x28 frame so that its centre of mass is at the centre, (14, 14).
 * Values are ink in [0, 1], white digit on black as in MNIST.
 */

/** `ink` is a width·height array of values in [0, 1]; returns 784 values, or null when there is no ink. */
export function toMnist(ink: Float32Array, width: number, height: number): Float32Array | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x]! > 0.05) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return null;
  const boxW = x1 - x0 + 1;
  const boxH = y1 - y0 + 1;
  const scale = 20 / Math.max(boxW, boxH);
  const outW = Math.max(1, Math.round(boxW * scale));
  const outH = Math.max(1, Math.round(boxH * scale));
  // 2. area averaging: output pixel (i, j) covers source [x0 + j/scale, x0 + (j+1)/scale) × ...
  const small = new Float32Array(outW * outH);
  const sx = boxW / outW;
  const sy = boxH / outH;
  for (let i = 0; i < outH; i++) {
    const ya = y0 + i * sy;
    const yb = ya + sy;
    for (let j = 0; j < outW; j++) {
      const xa = x0 + j * sx;
      const xb = xa + sx;
      let total = 0;
      for (let y = Math.floor(ya); y < Math.ceil(yb); y++) {
        const wy = Math.min(yb, y + 1) - Math.max(ya, y);
        for (let x = Math.floor(xa); x < Math.ceil(xb); x++) {
          const wx = Math.min(xb, x + 1) - Math.max(xa, x);
          total += wx * wy * (ink[y * width + x] ?? 0);
        }
      }
      small[i * outW + j] = total / (sx * sy);
    }
  }
  // 3. centre of mass of the small image, moved to (14, 14)
  let mass = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < outH; i++) {
    for (let j = 0; j < outW; j++) {
      const v = small[i * outW + j]!;
      mass += v;
      cx += v * (j + 0.5);
      cy += v * (i + 0.5);
    }
  }
  cx /= mass;
  cy /= mass;
  const dx = Math.round(14 - cx);
  const dy = Math.round(14 - cy);
  const out = new Float32Array(28 * 28);
  for (let i = 0; i < outH; i++) {
    for (let j = 0; j < outW; j++) {
      const y = i + dy;
      const x = j + dx;
      if (y >= 0 && y < 28 && x >= 0 && x < 28) out[y * 28 + x] = Math.min(1, small[i * outW + j]!);
    }
  }
  return out;
}
