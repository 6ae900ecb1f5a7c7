/**
 * Shape arithmetic shared by every op. A shape is a list of non-negative integers; the empty
 * list is a scalar. Storage is row-major (C order): the last axis varies fastest.
 */
import { ShapeError, ValueError } from './errors';

/** A tensor's dimensions, outermost first: `[]` is a scalar, images are NHWC `[batch, height, width, channels]`. */
export type Shape = readonly number[];

/** Number of elements: the product of the dimensions (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/**
 * Row-major strides: how far to move in the flat array for one step along each axis.
 * For shape [N, H, W, C] the strides are [H·W·C, W·C, C, 1].
 */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** `[2, 3]` → `"[2, 3]"`, the way shapes are printed in every error message. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * NumPy broadcasting: align shapes on the right; two dimensions are compatible when they are
 * equal or one of them is 1. [8, 1, 3] and [5, 1] broadcast to [8, 5, 3].
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes must be broadcastable (each dimension, aligned from the right, equal or 1), ` +
          `but got ${formatShape(a)} and ${formatShape(b)}: dimension ${da} vs ${db}`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Resolves a possibly negative axis (-1 is the last) against `rank`, or throws naming the op.
 */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (rank === 0) {
    throw new ValueError(
      `${op}: a rank-0 tensor (a scalar) has no axes, but got axis ${axis}; reshape it first, e.g. x.reshape([1])`,
    );
  }
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ValueError(
      `${op}: axis must be an integer in [${-rank}, ${rank - 1}] for a rank-${rank} tensor, but got ${axis}`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * Resolves `axis` for a reduction: undefined means every axis; duplicates are an error.
 * Returns sorted, non-negative axes.
 */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined, rank: number): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const out = list.map((a) => normalizeAxis(op, a, rank));
  const unique = new Set(out);
  if (unique.size !== out.length) {
    throw new ValueError(`${op}: axes must not repeat, but got [${list.join(', ')}]`);
  }
  return out.sort((x, y) => x - y);
}

/** Checks that every dimension is a non-negative integer. */
export function assertValidShape(op: string, shape: Shape): void {
  if (!Array.isArray(shape)) {
    throw new ValueError(
      `${op}: shape must be an array of non-negative integers, e.g. [2, 3], but got ${JSON.stringify(shape)}`,
    );
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ValueError(`${op}: shape dimensions must be non-negative integers, but got ${formatShape(shape)}`);
    }
  }
}
