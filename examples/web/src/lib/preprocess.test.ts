import { describe, expect, it } from 'vitest';
import { toMnist } from './preprocess';

/** A width·height canvas with ink 1 in the rectangle [x0, x1) × [y0, y1). */
function rect(width: number, height: number, x0: number, y0: number, x1: number, y1: number): Float32Array {
  const ink = new Float32Array(width * height);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * width + x] = 1;
  return ink;
}

/** The bounding box of the values over 0.5 and the centre of mass of a 28x28 image. */
function measure(image: Float32Array) {
  let [x0, y0, x1, y1] = [28, 28, -1, -1];
  let [mass, cx, cy] = [0, 0, 0];
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = image[y * 28 + x]!;
      mass += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
      if (v > 0.5) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  return { width: x1 - x0 + 1, height: y1 - y0 + 1, cx: cx / mass, cy: cy / mass };
}

describe('toMnist: a drawing as MNIST prepared its digits', () => {
  it('is null for an empty canvas', () => {
    expect(toMnist(new Float32Array(280 * 280), 280, 280)).toBeNull();
  });

  it('scales the bounding box so its longer side is 20 pixels, keeping the aspect ratio', () => {
    // a 40x100 bar in the top-left corner of a 280x280 canvas → 8x20 in the 28x28 frame
    const image = toMnist(rect(280, 280, 10, 5, 50, 105), 280, 280)!;
    expect(image).toHaveLength(784);
    expect(measure(image)).toMatchObject({ width: 8, height: 20 });
    expect(Math.max(...image)).toBeCloseTo(1, 5);
  });

  it('puts the centre of mass at (14, 14) wherever the digit was drawn', () => {
    for (const [x0, y0] of [
      [0, 0],
      [200, 150],
      [120, 30],
    ] as const) {
      const { cx, cy } = measure(toMnist(rect(280, 280, x0, y0, x0 + 60, y0 + 90), 280, 280)!);
      // whole-pixel shifts: within half a pixel of the centre
      expect(Math.abs(cx - 14)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(cy - 14)).toBeLessThanOrEqual(0.5);
    }
  });

  it('averages the area each output pixel covers (a half-covered pixel is 0.5)', () => {
    // a 20x20 box scaled by 1 (already 20 long): each output pixel is one input pixel; the
    // input's left column is half ink, so the output's left column is 0.5
    const ink = rect(40, 40, 10, 10, 30, 30);
    for (let y = 10; y < 30; y++) ink[y * 40 + 10] = 0.5;
    const image = toMnist(ink, 40, 40)!;
    const columns = new Set<number>();
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) if (image[y * 28 + x]! > 0) columns.add(x);
    const left = Math.min(...columns);
    expect(image[14 * 28 + left]).toBeCloseTo(0.5, 6);
    expect(image[14 * 28 + left + 1]).toBeCloseTo(1, 6);
  });
});
