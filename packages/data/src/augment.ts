/**
 * Data augmentation for digit images: small shifts and rotations that leave the digit's class
 * unchanged, so the network sees a slightly different picture of each example every epoch.
 *
 * `shiftImages` and `rotateImages` are deterministic: you give the offset or angle of each image.
 * `randomShift` and `randomRotation` wrap them as batch transforms for `Dataset.map`; they draw the
 * parameters from `new Generator(mixSeed(seed, epoch, batchIndex))`, so a run is reproducible from
 * its seed, and a batch gets the same augmentation whatever order the batches are produced in.
 *
 * All images are NHWC float tensors, [N, H, W, C]. Pixels moved in from outside the image get the value
 * `fill`, default 0. 0 is black only for pixels in [0, 1]: for standardized images pass the background's
 * standardized value, (0 − mean) / std (about −0.424 for MNIST), or the border turns mid grey.
 */

import {
  allocate,
  checkOptionNames,
  formatShape,
  Generator,
  getGenerator,
  ShapeError,
  Tensor,
  ValueError,
} from '@sinapse/tensor';
import type { BatchTransform } from './dataset';
import { mixSeed } from './seeds';

/**
 * Moves image n down by shifts[2n] rows and right by shifts[2n+1] columns (negative: up, left),
 * filling the uncovered border with `fill`.
 *
 *   out[n, h, w, c] = x[n, h - dy, w - dx, c]  if that pixel is inside the image, else fill
 *
 * **Shape:** [N, H, W, C] in and out.
 *
 * @param images [N, H, W, C]
 * @param shifts 2N integers: (dy, dx) for each image
 * @param fill the value of uncovered pixels. Default 0 (black for pixels in [0, 1]; for standardized
 *   images pass (0 − mean) / std).
 * @throws ShapeError if images is not rank 4; ValueError if shifts does not hold 2N integers or fill
 *   is not finite.
 * @example
 * // a 1 at (row 1, col 1) of a 3x3 image, shifted down 1 and left 1, lands at (2, 0)
 * const x = tensor([0, 0, 0, 0, 1, 0, 0, 0, 0], [1, 3, 3, 1]);
 * shiftImages(x, [1, -1]).data; // [0, 0, 0, 0, 0, 0, 1, 0, 0]
 */
export function shiftImages(images: Tensor, shifts: ArrayLike<number>, fill = 0): Tensor {
  const [N, H, W, C] = imageShape('shiftImages', images);
  checkFill('shiftImages', fill);
  if (shifts.length !== 2 * N) {
    throw new ValueError(
      `shiftImages: shifts needs 2 numbers (dy, dx) per image, 2 x ${N} = ${2 * N}, but got ${shifts.length}`,
    );
  }
  for (let i = 0; i < shifts.length; i++) {
    if (!Number.isInteger(shifts[i])) {
      throw new ValueError(`shiftImages: shifts must be integers, but got ${shifts[i]} at position ${i}`);
    }
  }
  const x = images.data;
  const out = allocate(images.dtype, images.size);
  if (fill !== 0) out.fill(fill);
  // NHWC flat index: ((n·H + h)·W + w)·C + c. For each output row h we copy the overlapping run of
  // columns from source row h - dy in one go; everything else stays `fill`.
  for (let n = 0; n < N; n++) {
    const dy = shifts[2 * n]!;
    const dx = shifts[2 * n + 1]!;
    const wStart = Math.max(0, dx);
    const wEnd = Math.min(W, W + dx);
    if (wEnd <= wStart) continue;
    for (let h = Math.max(0, dy); h < Math.min(H, H + dy); h++) {
      const src = ((n * H + (h - dy)) * W + (wStart - dx)) * C;
      const dst = ((n * H + h) * W + wStart) * C;
      out.set(x.subarray(src, src + (wEnd - wStart) * C), dst);
    }
  }
  return new Tensor(out, images.shape);
}

/**
 * Rotates image n by degrees[n] around its center (counter-clockwise as displayed, rows going
 * down), with bilinear interpolation and `fill` outside the image.
 *
 * Each output pixel looks up where it came from (the inverse rotation), so no output pixel is
 * left unfilled. With (u, v) the output pixel's offset from the center (cy, cx) = ((H-1)/2, (W-1)/2)
 * in (row, column) and θ the angle:
 *
 *   source column = cx + v·cos θ − u·sin θ,   source row = cy + v·sin θ + u·cos θ
 *
 * and the value there is the bilinear blend of its 4 neighbouring pixels (a neighbour outside the
 * image counts as `fill`).
 *
 * **Shape:** [N, H, W, C] in and out.
 *
 * @param images [N, H, W, C]
 * @param degrees N finite angles in degrees
 * @param fill the value outside the image. Default 0 (black for pixels in [0, 1]; for standardized
 *   images pass (0 − mean) / std).
 * @throws ShapeError if images is not rank 4; ValueError if degrees does not hold N finite numbers or
 *   fill is not finite.
 * @example
 * // 90°: the pixel right of the center moves above it
 * const x = tensor([0, 0, 0, 0, 0, 1, 0, 0, 0], [1, 3, 3, 1]);
 * rotateImages(x, [90]).data; // ≈ [0, 1, 0, 0, 0, 0, 0, 0, 0]
 */
export function rotateImages(images: Tensor, degrees: ArrayLike<number>, fill = 0): Tensor {
  const [N, H, W, C] = imageShape('rotateImages', images);
  checkFill('rotateImages', fill);
  if (degrees.length !== N) {
    throw new ValueError(`rotateImages: degrees needs one angle per image (${N}), but got ${degrees.length}`);
  }
  const x = images.data;
  const out = allocate(images.dtype, images.size);
  const cy = (H - 1) / 2;
  const cx = (W - 1) / 2;
  for (let n = 0; n < N; n++) {
    const angle = degrees[n]!;
    if (!Number.isFinite(angle)) {
      throw new ValueError(`rotateImages: degrees must be finite, but got ${angle} at position ${n}`);
    }
    const cos = Math.cos((angle * Math.PI) / 180);
    const sin = Math.sin((angle * Math.PI) / 180);
    for (let h = 0; h < H; h++) {
      for (let w = 0; w < W; w++) {
        const u = h - cy;
        const v = w - cx;
        const sx = cx + v * cos - u * sin;
        const sy = cy + v * sin + u * cos;
        const y0 = Math.floor(sy);
        const x0 = Math.floor(sx);
        const fy = sy - y0;
        const fx = sx - x0;
        // out[n, h, w, c] = Σ over the 4 neighbours (y0 + i, x0 + j) of weight · x[n, y0 + i, x0 + j, c],
        // where a neighbour outside the image has the value `fill`
        const dst = ((n * H + h) * W + w) * C;
        for (let i = 0; i <= 1; i++) {
          const yy = y0 + i;
          const wy = i === 0 ? 1 - fy : fy;
          for (let j = 0; j <= 1; j++) {
            const xx = x0 + j;
            const weight = wy * (j === 0 ? 1 - fx : fx);
            if (weight === 0) continue;
            if (yy < 0 || yy >= H || xx < 0 || xx >= W) {
              for (let c = 0; c < C; c++) out[dst + c]! += weight * fill;
              continue;
            }
            const src = ((n * H + yy) * W + xx) * C;
            for (let c = 0; c < C; c++) out[dst + c]! += weight * x[src + c]!;
          }
        }
      }
    }
  }
  return new Tensor(out, images.shape);
}

/** Options for {@link randomShift}. */
export interface RandomShiftOptions {
  /** Largest shift in pixels, in each direction. Default 2 (a 28x28 digit has a ~4 px margin). */
  maxShift?: number;
  /**
   * Value of the uncovered border. Default 0, black for pixels in [0, 1]. For standardized images
   * pass the background's standardized value, (0 − mean) / std.
   */
  fill?: number;
  /** Seed of the augmentation stream. Default: a draw from the global generator. */
  seed?: number;
}

/**
 * A batch transform that shifts each image in `x` by a random (dy, dx), each a uniform integer in
 * [-maxShift, maxShift], filling with `fill` (default 0). `y` is passed through.
 *
 * @throws ValueError if maxShift is not a non-negative integer or fill is not finite (when called,
 *   not per batch).
 * @example
 * const augmented = trainSet.batch(64).map(randomShift({ maxShift: 2, seed: 1 }));
 */
export function randomShift(options: RandomShiftOptions = {}): BatchTransform {
  checkOptionNames(
    'randomShift',
    options,
    ['maxShift', 'fill', 'seed'] satisfies (keyof RandomShiftOptions)[],
    ValueError,
  );
  const maxShift = options.maxShift ?? 2;
  if (!Number.isInteger(maxShift) || maxShift < 0) {
    throw new ValueError(`randomShift: maxShift must be a non-negative integer, but got ${maxShift}`);
  }
  const fill = options.fill ?? 0;
  checkFill('randomShift', fill);
  const seed = options.seed ?? getGenerator().nextUint32();
  return ({ x, y }, { epoch, index }) => {
    const n = imageShape('randomShift', x)[0];
    const rng = new Generator(mixSeed(seed, epoch, index));
    const shifts = new Int32Array(2 * n);
    for (let i = 0; i < shifts.length; i++) shifts[i] = rng.int(-maxShift, maxShift + 1);
    return { x: shiftImages(x, shifts, fill), y };
  };
}

/** Options for {@link randomRotation}. */
export interface RandomRotationOptions {
  /** Largest rotation in degrees, either way. Default 10. */
  maxDegrees?: number;
  /**
   * Value outside the image. Default 0, black for pixels in [0, 1]. For standardized images pass
   * the background's standardized value, (0 − mean) / std.
   */
  fill?: number;
  /** Seed of the augmentation stream. Default: a draw from the global generator. */
  seed?: number;
}

/**
 * A batch transform that rotates each image in `x` around its center by an angle drawn uniformly
 * from [-maxDegrees, maxDegrees] (bilinear, `fill` outside, default 0; see {@link rotateImages}). `y` is
 * passed through.
 *
 * @throws ValueError if maxDegrees is negative or not finite, or fill is not finite (when called,
 *   not per batch).
 * @example
 * const augmented = trainSet.batch(64).map(randomRotation({ maxDegrees: 10, seed: 2 }));
 */
export function randomRotation(options: RandomRotationOptions = {}): BatchTransform {
  checkOptionNames(
    'randomRotation',
    options,
    ['maxDegrees', 'fill', 'seed'] satisfies (keyof RandomRotationOptions)[],
    ValueError,
  );
  const maxDegrees = options.maxDegrees ?? 10;
  if (!Number.isFinite(maxDegrees) || maxDegrees < 0) {
    throw new ValueError(`randomRotation: maxDegrees must be a finite number >= 0, but got ${maxDegrees}`);
  }
  const fill = options.fill ?? 0;
  checkFill('randomRotation', fill);
  const seed = options.seed ?? getGenerator().nextUint32();
  return ({ x, y }, { epoch, index }) => {
    const n = imageShape('randomRotation', x)[0];
    const rng = new Generator(mixSeed(seed, epoch, index));
    const degrees = new Float64Array(n);
    for (let i = 0; i < n; i++) degrees[i] = (2 * rng.uniform() - 1) * maxDegrees;
    return { x: rotateImages(x, degrees, fill), y };
  };
}

function imageShape(fn: string, images: Tensor): [number, number, number, number] {
  if (images.rank !== 4) {
    throw new ShapeError(
      `${fn}: images must be rank 4 [N, H, W, C], but got rank ${images.rank}. Input shape ${formatShape(images.shape)}`,
    );
  }
  return images.shape as unknown as [number, number, number, number];
}

function checkFill(fn: string, fill: number): void {
  if (!Number.isFinite(fill)) throw new ValueError(`${fn}: fill must be a finite number, but got ${fill}`);
}
