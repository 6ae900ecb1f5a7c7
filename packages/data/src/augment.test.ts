import { ShapeError, Tensor, tensor } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { randomRotation, randomShift, rotateImages, shiftImages } from './augment';
import { Dataset } from './dataset';

/** N images of H x W x 1, zero except one 1 at (row, col) in each. */
function dots(N: number, H: number, W: number, row: number, col: number): Tensor {
  const data = new Float32Array(N * H * W);
  for (let n = 0; n < N; n++) data[(n * H + row) * W + col] = 1;
  return new Tensor(data, [N, H, W, 1]);
}

/** Where the single bright pixel of image n is, as [row, col]. */
function brightest(t: Tensor, n: number): [number, number] {
  const [, H, W] = t.shape as [number, number, number, number];
  let best = 0;
  for (let i = 1; i < H * W; i++) if (t.data[n * H * W + i]! > t.data[n * H * W + best]!) best = i;
  return [Math.floor(best / W), best % W];
}

const context = { epoch: 0, index: 0 };

describe('shiftImages', () => {
  it('moves a single bright pixel by (dy, dx): (10, 10) + (2, -3) → (12, 7)', () => {
    const out = shiftImages(dots(1, 28, 28, 10, 10), [2, -3]);
    expect(out.shape).toEqual([1, 28, 28, 1]);
    expect(brightest(out, 0)).toEqual([12, 7]);
    expect(Array.from(out.data).reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('fills with 0 and drops what moves out: 3x3 arange shifted (1, 1)', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    expect(Array.from(shiftImages(x, [1, 1]).data)).toEqual([0, 0, 0, 0, 1, 2, 0, 4, 5]);
    expect(Array.from(shiftImages(x, [-1, 0]).data)).toEqual([4, 5, 6, 7, 8, 9, 0, 0, 0]);
    expect(Array.from(shiftImages(x, [0, 5]).data)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('moves every channel together: 2 channels', () => {
    const x = tensor([1, 10, 2, 20], [1, 1, 2, 2]);
    expect(Array.from(shiftImages(x, [0, 1]).data)).toEqual([0, 0, 1, 10]);
  });

  it('rejects a rank-3 input and a wrong number of shifts', () => {
    expect(() => shiftImages(tensor([1, 2, 3, 4], [1, 2, 2]), [0, 0])).toThrow(ShapeError);
    expect(() => shiftImages(tensor([1, 2, 3, 4], [1, 2, 2]), [0, 0])).toThrow(
      'shiftImages: images must be rank 4 [N, H, W, C], but got rank 3. Input shape [1, 2, 2]',
    );
    expect(() => shiftImages(dots(2, 3, 3, 1, 1), [0, 0])).toThrow(/2 x 2 = 4, but got 2/);
  });
});

describe('rotateImages', () => {
  it('90° moves the pixel right of the center to above it (counter-clockwise)', () => {
    const out = rotateImages(dots(1, 5, 5, 2, 4), [90]);
    expect(brightest(out, 0)).toEqual([0, 2]);
    expect(out.data[2]).toBeCloseTo(1, 6);
    expect(Array.from(out.data).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('0° is the identity and 180° flips both axes', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    expect(Array.from(rotateImages(x, [0]).data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const flipped = Array.from(rotateImages(x, [180]).data);
    for (let i = 0; i < 9; i++) expect(flipped[i]).toBeCloseTo(9 - i, 5);
  });

  it('45° on a constant 5x5 image: the center stays 1, a corner blends with the zero fill', () => {
    const x = new Tensor(new Float32Array(25).fill(1), [1, 5, 5, 1]);
    const out = rotateImages(x, [45]);
    expect(out.data[12]).toBeCloseTo(1, 6); // center
    // corner (0, 0) is 2√2 from the center; it comes from source (row 2 − 2√2 ≈ −0.83, col 2): rows −1 (outside, 0)
    // and 0 (value 1) blended with weights 2√2 − 2 and 3 − 2√2
    expect(out.data[0]).toBeCloseTo(3 - 2 * Math.SQRT2, 6);
    expect(rotateImages(new Tensor(new Float32Array(49).fill(1), [1, 7, 7, 1]), [45]).data[0]).toBe(0);
  });

  it('rejects a wrong number of angles and non-finite angles', () => {
    expect(() => rotateImages(dots(2, 3, 3, 1, 1), [10])).toThrow(
      'rotateImages: degrees needs one angle per image (2), but got 1',
    );
    expect(() => rotateImages(dots(1, 3, 3, 1, 1), [Number.NaN])).toThrow(/degrees must be finite, but got NaN/);
  });
});

describe('randomShift and randomRotation as batch transforms', () => {
  const x = dots(32, 28, 28, 14, 14);
  const y = tensor(Array.from({ length: 32 }, (_, i) => i));

  it('randomShift moves each dot by at most maxShift, keeps shapes and y, and uses several offsets', () => {
    const out = randomShift({ maxShift: 2, seed: 5 })({ x, y }, context);
    expect(out.x.shape).toEqual([32, 28, 28, 1]);
    expect(out.y).toBe(y);
    const offsets = new Set<string>();
    for (let n = 0; n < 32; n++) {
      const [row, col] = brightest(out.x, n);
      expect(Math.abs(row - 14)).toBeLessThanOrEqual(2);
      expect(Math.abs(col - 14)).toBeLessThanOrEqual(2);
      offsets.add(`${row},${col}`);
    }
    expect(offsets.size).toBeGreaterThan(5);
  });

  it('the same seed, epoch and batch give the same images; another epoch or batch does not', () => {
    const a = randomShift({ seed: 5 });
    const b = randomShift({ seed: 5 });
    expect(a({ x, y }, context).x.data).toEqual(b({ x, y }, context).x.data);
    expect(a({ x, y }, context).x.data).not.toEqual(a({ x, y }, { epoch: 1, index: 0 }).x.data);
    expect(a({ x, y }, context).x.data).not.toEqual(a({ x, y }, { epoch: 0, index: 1 }).x.data);
    const r = randomRotation({ seed: 9 });
    expect(r({ x, y }, context).x.data).toEqual(randomRotation({ seed: 9 })({ x, y }, context).x.data);
    expect(r({ x, y }, context).x.data).not.toEqual(r({ x, y }, { epoch: 2, index: 0 }).x.data);
  });

  it('randomRotation keeps shapes and rotates by at most maxDegrees (a dot 10 px from the center moves < 2 px)', () => {
    const offCenter = dots(16, 28, 28, 14, 24); // center is (13.5, 13.5)
    const out = randomRotation({ maxDegrees: 10, seed: 3 })(
      { x: offCenter, y: tensor(new Array(16).fill(0)) },
      context,
    );
    expect(out.x.shape).toEqual([16, 28, 28, 1]);
    for (let n = 0; n < 16; n++) {
      const [row, col] = brightest(out.x, n);
      // a 10° turn at radius 10.5 moves a point by 2·10.5·sin(5°) ≈ 1.8 px
      expect(Math.hypot(row - 14, col - 24)).toBeLessThan(2.3);
    }
  });

  it('maxShift: 0 and maxDegrees: 0 leave images unchanged', () => {
    expect(randomShift({ maxShift: 0, seed: 1 })({ x, y }, context).x.data).toEqual(x.data);
    expect(randomRotation({ maxDegrees: 0, seed: 1 })({ x, y }, context).x.data).toEqual(x.data);
  });

  it('bad options are rejected when the transform is made', () => {
    expect(() => randomShift({ maxShift: -1 })).toThrow(
      'randomShift: maxShift must be a non-negative integer, but got -1',
    );
    expect(() => randomRotation({ maxDegrees: Number.POSITIVE_INFINITY })).toThrow(
      'randomRotation: maxDegrees must be a finite number >= 0, but got Infinity',
    );
  });

  it('plugs into Dataset.map: two runs of the same pipeline give identical epochs', () => {
    const pipeline = () =>
      Dataset.fromTensors({ x, y })
        .shuffle({ seed: 1 })
        .batch(8)
        .map(randomShift({ seed: 2 }))
        .map(randomRotation({ seed: 3 }));
    const run = (ds: Dataset) => [...ds.epoch(1)].map((b) => Array.from(b.x.data));
    expect(run(pipeline())).toEqual(run(pipeline()));
  });
});

describe('fill: the value of pixels moved in from outside the image', () => {
  it('shiftImages fills the uncovered border with fill = -0.5 and keeps the rest', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    expect(Array.from(shiftImages(x, [1, 1], -0.5).data)).toEqual([-0.5, -0.5, -0.5, -0.5, 1, 2, -0.5, 4, 5]);
  });

  it('rotateImages blends outside neighbours as fill: a constant image equal to fill stays constant', () => {
    const x = new Tensor(new Float32Array(25).fill(-0.5), [1, 5, 5, 1]);
    for (const v of rotateImages(x, [45], -0.5).data) expect(v).toBeCloseTo(-0.5, 6);
    // corner (0, 0) of a constant-1 image: weights 2√2 − 2 on the fill, 3 − 2√2 on the 1
    const ones = new Tensor(new Float32Array(25).fill(1), [1, 5, 5, 1]);
    expect(rotateImages(ones, [45], -0.5).data[0]).toBeCloseTo(3 - 2 * Math.SQRT2 - 0.5 * (2 * Math.SQRT2 - 2), 6);
  });

  it('randomShift and randomRotation pass fill on: a standardized black image stays at its background value', () => {
    const background = (0 - 0.1307) / 0.3081;
    const black = new Tensor(new Float32Array(4 * 28 * 28).fill(background), [4, 28, 28, 1]);
    const y = tensor([0, 1, 2, 3]);
    const shifted = randomShift({ maxShift: 2, seed: 1, fill: background })({ x: black, y }, context).x;
    for (const v of shifted.data) expect(v).toBeCloseTo(background, 6);
    const rotated = randomRotation({ maxDegrees: 10, seed: 1, fill: background })({ x: black, y }, context).x;
    for (const v of rotated.data) expect(v).toBeCloseTo(background, 5);
  });

  it('rejects a non-finite fill', () => {
    expect(() => shiftImages(dots(1, 3, 3, 1, 1), [0, 0], Number.NaN)).toThrow(
      'shiftImages: fill must be a finite number, but got NaN',
    );
    expect(() => rotateImages(dots(1, 3, 3, 1, 1), [0], Number.POSITIVE_INFINITY)).toThrow(
      'rotateImages: fill must be a finite number, but got Infinity',
    );
    expect(() => randomShift({ fill: Number.NaN })).toThrow('randomShift: fill must be a finite number, but got NaN');
    expect(() => randomRotation({ fill: Number.NaN })).toThrow(
      'randomRotation: fill must be a finite number, but got NaN',
    );
  });
});
