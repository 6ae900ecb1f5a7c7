/**
 * Elementwise kernels: one loop each over flat typed arrays. They are memory-bound (one or two
 * reads and a write per element), so they stay plain loops with no index arithmetic in the
 * common cases; see {@link BinaryLayout} for how broadcasting reaches them.
 *
 * Conventions (as in ../backend.ts): outputs are allocated by the caller with the exact size;
 * forward kernels write `y`, backward kernels accumulate into `dx` (+=).
 */
import type { TypedArray } from '../../dtype';
import type { BinaryLayout } from './broadcast';

// ---- binary, with broadcasting -----------------------------------------------------------------
// Every binary kernel has the same six loops, one per layout (see broadcast.ts). They are written
// out rather than shared through a callback, because a function call per element would cost more
// than the arithmetic it wraps. The tiled ones are two loops: o over the repeats of the tiled
// input's block (in steps of its size len), j within the block, so y[o + j] reads it at j.

/** y = a + b */
export function add(a: TypedArray, b: TypedArray, y: TypedArray, layout: BinaryLayout): void {
  const n = y.length;
  if (layout.kind === 'same') for (let i = 0; i < n; i++) y[i] = a[i]! + b[i]!;
  else if (layout.kind === 'scalarA') for (let i = 0, s = a[0]!; i < n; i++) y[i] = s + b[i]!;
  else if (layout.kind === 'scalarB') for (let i = 0, s = b[0]!; i < n; i++) y[i] = a[i]! + s;
  else if (layout.kind === 'tiledA')
    for (let o = 0, len = layout.len; o < n; o += len) for (let j = 0; j < len; j++) y[o + j] = a[j]! + b[o + j]!;
  else if (layout.kind === 'tiledB')
    for (let o = 0, len = layout.len; o < n; o += len) for (let j = 0; j < len; j++) y[o + j] = a[o + j]! + b[j]!;
  else for (let i = 0, ia = layout.aIndex, ib = layout.bIndex; i < n; i++) y[i] = a[ia[i]!]! + b[ib[i]!]!;
}

/** y = a − b */
export function sub(a: TypedArray, b: TypedArray, y: TypedArray, layout: BinaryLayout): void {
  const n = y.length;
  if (layout.kind === 'same') for (let i = 0; i < n; i++) y[i] = a[i]! - b[i]!;
  else if (layout.kind === 'scalarA') for (let i = 0, s = a[0]!; i < n; i++) y[i] = s - b[i]!;
  else if (layout.kind === 'scalarB') for (let i = 0, s = b[0]!; i < n; i++) y[i] = a[i]! - s;
  else if (layout.kind === 'tiledA')
    for (let o = 0, len = layout.len; o < n; o += len) for (let j = 0; j < len; j++) y[o + j] = a[j]! - b[o + j]!;
  else if (layout.kind === 'tiledB')
    for (let o = 0, len = layout.len; o < n; o += len) for (let j = 0; j < len; j++) y[o + j] = a[o + j]! - b[j]!;
  else for (let i = 0, ia = layout.aIndex, ib = layout.bIndex; i < n; i++) y[i] = a[ia[i]!]! - b[ib[i]!]!;
}

/** y = a · b */
export function mul(a: TypedArray, b: TypedArray, y: TypedArray, layout: BinaryLayout): void {
  const n = y.length;
  if (layout.kind === 'same') for (let i = 0; i < n; i++) y[i] = a[i]! * b[i]!;
  else if (layout.kind === 'scalarA') for (let i = 0, s = a[0]!; i < n; i++) y[i] = s * b[i]!;
  else if (layout.kind === 'scalarB') for (let i = 0, s = b[0]!; i < n; i++) y[i] = a[i]! * s;
  else if (layout.kind === 'tiledA')
    for (let o = 0, len = layout.len; o < n; o += len) for (let j = 0; j < len; j++) y[o + j] = a[j]! * b[o + j]!;
  else if (layout.kind === 'tiledB')
    for (let o = 0, len = layout.len; o < n; o += len) for (let j = 0; j < len; j++) y[o + j] = a[o + j]! * b[j]!;
  else for (let i = 0, ia = layout.aIndex, ib = layout.bIndex; i < n; i++) y[i] = a[ia[i]!]! * b[ib[i]!]!;
}

/** y = a / b (IEEE: x/0 is ±Infinity, 0/0 is NaN) */
export function div(a: TypedArray, b: TypedArray, y: TypedArray, layout: BinaryLayout): void {
  const n = y.length;
  if (layout.kind === 'same') for (let i = 0; i < n; i++) y[i] = a[i]! / b[i]!;
  else if (layout.kind === 'scalarA') for (let i = 0, s = a[0]!; i < n; i++) y[i] = s / b[i]!;
  else if (layout.kind === 'scalarB') for (let i = 0, s = b[0]!; i < n; i++) y[i] = a[i]! / s;
  else if (layout.kind === 'tiledA')
    for (let o = 0, len = layout.len; o < n; o += len) for (let j = 0; j < len; j++) y[o + j] = a[j]! / b[o + j]!;
  else if (layout.kind === 'tiledB')
    for (let o = 0, len = layout.len; o < n; o += len) for (let j = 0; j < len; j++) y[o + j] = a[o + j]! / b[j]!;
  else for (let i = 0, ia = layout.aIndex, ib = layout.bIndex; i < n; i++) y[i] = a[ia[i]!]! / b[ib[i]!]!;
}

/** y = a ^ b (NaN for a negative base with a non-integer exponent, as Math.pow) */
export function pow(a: TypedArray, b: TypedArray, y: TypedArray, layout: BinaryLayout): void {
  const n = y.length;
  if (layout.kind === 'same') for (let i = 0; i < n; i++) y[i] = Math.pow(a[i]!, b[i]!);
  else if (layout.kind === 'scalarA') for (let i = 0, s = a[0]!; i < n; i++) y[i] = Math.pow(s, b[i]!);
  else if (layout.kind === 'scalarB') for (let i = 0, s = b[0]!; i < n; i++) y[i] = Math.pow(a[i]!, s);
  else if (layout.kind === 'tiledA')
    for (let o = 0, len = layout.len; o < n; o += len)
      for (let j = 0; j < len; j++) y[o + j] = Math.pow(a[j]!, b[o + j]!);
  else if (layout.kind === 'tiledB')
    for (let o = 0, len = layout.len; o < n; o += len)
      for (let j = 0; j < len; j++) y[o + j] = Math.pow(a[o + j]!, b[j]!);
  else for (let i = 0, ia = layout.aIndex, ib = layout.bIndex; i < n; i++) y[i] = Math.pow(a[ia[i]!]!, b[ib[i]!]!);
}

/** y = max(a, b) (NaN if either is NaN, as Math.max) */
export function maximum(a: TypedArray, b: TypedArray, y: TypedArray, layout: BinaryLayout): void {
  const n = y.length;
  if (layout.kind === 'same') for (let i = 0; i < n; i++) y[i] = Math.max(a[i]!, b[i]!);
  else if (layout.kind === 'scalarA') for (let i = 0, s = a[0]!; i < n; i++) y[i] = Math.max(s, b[i]!);
  else if (layout.kind === 'scalarB') for (let i = 0, s = b[0]!; i < n; i++) y[i] = Math.max(a[i]!, s);
  else if (layout.kind === 'tiledA')
    for (let o = 0, len = layout.len; o < n; o += len)
      for (let j = 0; j < len; j++) y[o + j] = Math.max(a[j]!, b[o + j]!);
  else if (layout.kind === 'tiledB')
    for (let o = 0, len = layout.len; o < n; o += len)
      for (let j = 0; j < len; j++) y[o + j] = Math.max(a[o + j]!, b[j]!);
  else for (let i = 0, ia = layout.aIndex, ib = layout.bIndex; i < n; i++) y[i] = Math.max(a[ia[i]!]!, b[ib[i]!]!);
}

/** y = min(a, b) (NaN if either is NaN, as Math.min) */
export function minimum(a: TypedArray, b: TypedArray, y: TypedArray, layout: BinaryLayout): void {
  const n = y.length;
  if (layout.kind === 'same') for (let i = 0; i < n; i++) y[i] = Math.min(a[i]!, b[i]!);
  else if (layout.kind === 'scalarA') for (let i = 0, s = a[0]!; i < n; i++) y[i] = Math.min(s, b[i]!);
  else if (layout.kind === 'scalarB') for (let i = 0, s = b[0]!; i < n; i++) y[i] = Math.min(a[i]!, s);
  else if (layout.kind === 'tiledA')
    for (let o = 0, len = layout.len; o < n; o += len)
      for (let j = 0; j < len; j++) y[o + j] = Math.min(a[j]!, b[o + j]!);
  else if (layout.kind === 'tiledB')
    for (let o = 0, len = layout.len; o < n; o += len)
      for (let j = 0; j < len; j++) y[o + j] = Math.min(a[o + j]!, b[j]!);
  else for (let i = 0, ia = layout.aIndex, ib = layout.bIndex; i < n; i++) y[i] = Math.min(a[ia[i]!]!, b[ib[i]!]!);
}

/** y = 1 where a ≥ b, else 0: which side maximum's gradient goes to (ties go to a). */
export function greaterEqualMask(a: TypedArray, b: TypedArray, y: TypedArray, layout: BinaryLayout): void {
  const n = y.length;
  if (layout.kind === 'same') for (let i = 0; i < n; i++) y[i] = a[i]! >= b[i]! ? 1 : 0;
  else if (layout.kind === 'scalarA') for (let i = 0, s = a[0]!; i < n; i++) y[i] = s >= b[i]! ? 1 : 0;
  else if (layout.kind === 'scalarB') for (let i = 0, s = b[0]!; i < n; i++) y[i] = a[i]! >= s ? 1 : 0;
  else if (layout.kind === 'tiledA')
    for (let o = 0, len = layout.len; o < n; o += len)
      for (let j = 0; j < len; j++) y[o + j] = a[j]! >= b[o + j]! ? 1 : 0;
  else if (layout.kind === 'tiledB')
    for (let o = 0, len = layout.len; o < n; o += len)
      for (let j = 0; j < len; j++) y[o + j] = a[o + j]! >= b[j]! ? 1 : 0;
  else for (let i = 0, ia = layout.aIndex, ib = layout.bIndex; i < n; i++) y[i] = a[ia[i]!]! >= b[ib[i]!]! ? 1 : 0;
}

/** y = 1 where a ≤ b, else 0: which side minimum's gradient goes to (ties go to a). */
export function lessEqualMask(a: TypedArray, b: TypedArray, y: TypedArray, layout: BinaryLayout): void {
  const n = y.length;
  if (layout.kind === 'same') for (let i = 0; i < n; i++) y[i] = a[i]! <= b[i]! ? 1 : 0;
  else if (layout.kind === 'scalarA') for (let i = 0, s = a[0]!; i < n; i++) y[i] = s <= b[i]! ? 1 : 0;
  else if (layout.kind === 'scalarB') for (let i = 0, s = b[0]!; i < n; i++) y[i] = a[i]! <= s ? 1 : 0;
  else if (layout.kind === 'tiledA')
    for (let o = 0, len = layout.len; o < n; o += len)
      for (let j = 0; j < len; j++) y[o + j] = a[j]! <= b[o + j]! ? 1 : 0;
  else if (layout.kind === 'tiledB')
    for (let o = 0, len = layout.len; o < n; o += len)
      for (let j = 0; j < len; j++) y[o + j] = a[o + j]! <= b[j]! ? 1 : 0;
  else for (let i = 0, ia = layout.aIndex, ib = layout.bIndex; i < n; i++) y[i] = a[ia[i]!]! <= b[ib[i]!]! ? 1 : 0;
}

/**
 * y = ∂(a^b)/∂a = b · a^(b−1), and 0 where b = 0 (a^0 = 1 is constant in a; without the mask,
 * a = 0 would give 0 · 0^(−1) = 0 · ∞ = NaN).
 */
export function powGradBase(a: TypedArray, b: TypedArray, y: TypedArray, layout: BinaryLayout): void {
  const n = y.length;
  if (layout.kind === 'same') for (let i = 0; i < n; i++) y[i] = dPowDBase(a[i]!, b[i]!);
  else if (layout.kind === 'scalarA') for (let i = 0, s = a[0]!; i < n; i++) y[i] = dPowDBase(s, b[i]!);
  else if (layout.kind === 'scalarB') for (let i = 0, s = b[0]!; i < n; i++) y[i] = dPowDBase(a[i]!, s);
  else if (layout.kind === 'tiledA')
    for (let o = 0, len = layout.len; o < n; o += len)
      for (let j = 0; j < len; j++) y[o + j] = dPowDBase(a[j]!, b[o + j]!);
  else if (layout.kind === 'tiledB')
    for (let o = 0, len = layout.len; o < n; o += len)
      for (let j = 0; j < len; j++) y[o + j] = dPowDBase(a[o + j]!, b[j]!);
  else for (let i = 0, ia = layout.aIndex, ib = layout.bIndex; i < n; i++) y[i] = dPowDBase(a[ia[i]!]!, b[ib[i]!]!);
}

/**
 * y = ∂(a^b)/∂b = a^b · ln a, and 0 where a ≤ 0: there ln a is not real, and TensorFlow makes
 * the same choice (PyTorch gives NaN for a < 0).
 */
export function powGradExponent(a: TypedArray, b: TypedArray, y: TypedArray, layout: BinaryLayout): void {
  const n = y.length;
  if (layout.kind === 'same') for (let i = 0; i < n; i++) y[i] = dPowDExponent(a[i]!, b[i]!);
  else if (layout.kind === 'scalarA') for (let i = 0, s = a[0]!; i < n; i++) y[i] = dPowDExponent(s, b[i]!);
  else if (layout.kind === 'scalarB') for (let i = 0, s = b[0]!; i < n; i++) y[i] = dPowDExponent(a[i]!, s);
  else if (layout.kind === 'tiledA')
    for (let o = 0, len = layout.len; o < n; o += len)
      for (let j = 0; j < len; j++) y[o + j] = dPowDExponent(a[j]!, b[o + j]!);
  else if (layout.kind === 'tiledB')
    for (let o = 0, len = layout.len; o < n; o += len)
      for (let j = 0; j < len; j++) y[o + j] = dPowDExponent(a[o + j]!, b[j]!);
  else for (let i = 0, ia = layout.aIndex, ib = layout.bIndex; i < n; i++) y[i] = dPowDExponent(a[ia[i]!]!, b[ib[i]!]!);
}

// small enough that V8 inlines them into the loops above
function dPowDBase(a: number, b: number): number {
  return b === 0 ? 0 : b * Math.pow(a, b - 1);
}
function dPowDExponent(a: number, b: number): number {
  return a > 0 ? Math.pow(a, b) * Math.log(a) : 0;
}

/**
 * y = condition ≠ 0 ? a : b, each input read through its broadcast index, or, when that is
 * `null`, at i mod its length: the input is repeated whole (`tiles` in ./broadcast.ts), which
 * covers an input of the output's size (read at i), a scalar (at 0) and a bias-like block.
 * The positions i mod len are kept as counters that wrap, so there is no division per element.
 */
export function where(
  condition: TypedArray,
  a: TypedArray,
  b: TypedArray,
  y: TypedArray,
  cIndex: Int32Array | null,
  aIndex: Int32Array | null,
  bIndex: Int32Array | null,
): void {
  const cLen = condition.length;
  const aLen = a.length;
  const bLen = b.length;
  for (let i = 0, ic = 0, ia = 0, ib = 0; i < y.length; i++) {
    const c = cIndex === null ? condition[ic]! : condition[cIndex[i]!]!;
    y[i] = c !== 0 ? (aIndex === null ? a[ia]! : a[aIndex[i]!]!) : bIndex === null ? b[ib]! : b[bIndex[i]!]!;
    if (++ic === cLen) ic = 0;
    if (++ia === aLen) ia = 0;
    if (++ib === bLen) ib = 0;
  }
}

// ---- unary -------------------------------------------------------------------------------------

/** y = −x */
export function neg(x: TypedArray, y: TypedArray): void {
  for (let i = 0; i < x.length; i++) y[i] = -x[i]!;
}

/** y = eˣ */
export function exp(x: TypedArray, y: TypedArray): void {
  for (let i = 0; i < x.length; i++) y[i] = Math.exp(x[i]!);
}

/** y = ln x (−Infinity at 0, NaN below) */
export function log(x: TypedArray, y: TypedArray): void {
  for (let i = 0; i < x.length; i++) y[i] = Math.log(x[i]!);
}

/** y = √x (NaN below 0) */
export function sqrt(x: TypedArray, y: TypedArray): void {
  for (let i = 0; i < x.length; i++) y[i] = Math.sqrt(x[i]!);
}

/** y = x² */
export function square(x: TypedArray, y: TypedArray): void {
  for (let i = 0; i < x.length; i++) y[i] = x[i]! * x[i]!;
}

/** y = |x| */
export function abs(x: TypedArray, y: TypedArray): void {
  for (let i = 0; i < x.length; i++) y[i] = Math.abs(x[i]!);
}

/** dx += dy · sign(x), with sign(0) = 0 */
export function absBackward(dy: TypedArray, x: TypedArray, dx: TypedArray): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    dx[i]! += v > 0 ? dy[i]! : v < 0 ? -dy[i]! : 0;
  }
}

/** y = min(max(x, lo), hi) (NaN stays NaN) */
export function clip(x: TypedArray, y: TypedArray, lo: number, hi: number): void {
  for (let i = 0; i < x.length; i++) y[i] = Math.min(Math.max(x[i]!, lo), hi);
}

/** dx += dy where lo ≤ x ≤ hi (the identity part), 0 where x was clipped */
export function clipBackward(dy: TypedArray, x: TypedArray, dx: TypedArray, lo: number, hi: number): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v >= lo && v <= hi) dx[i]! += dy[i]!;
  }
}

// relu and its backward are Backend kernels (../reference/activation.ts, ./activation.ts, the
// wasm backend's SIMD version): they run on every conv and dense layer.

/** y = x for x > 0, α·x otherwise */
export function leakyRelu(x: TypedArray, y: TypedArray, alpha: number): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    y[i] = v > 0 ? v : alpha * v;
  }
}

/** dx += dy for x > 0, α·dy otherwise */
export function leakyReluBackward(dy: TypedArray, x: TypedArray, dx: TypedArray, alpha: number): void {
  for (let i = 0; i < x.length; i++) dx[i]! += x[i]! > 0 ? dy[i]! : alpha * dy[i]!;
}

/**
 * y = 1 / (1 + e^(−x)), written so the exponential never overflows: for x ≥ 0 we use it as is
 * (e^(−x) ≤ 1), for x < 0 the equal form eˣ / (1 + eˣ) (eˣ < 1). The naive form computes
 * e^(1000) = Infinity for x = −1000 and only gets 0 back by luck of 1 / Infinity.
 */
export function sigmoid(x: TypedArray, y: TypedArray): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v >= 0) {
      y[i] = 1 / (1 + Math.exp(-v));
    } else {
      const e = Math.exp(v);
      y[i] = e / (1 + e);
    }
  }
}

/** y = tanh x = (eˣ − e^(−x)) / (eˣ + e^(−x)) */
export function tanh(x: TypedArray, y: TypedArray): void {
  for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]!);
}

/**
 * y = softplus(x) = ln(1 + eˣ), written as max(x, 0) + ln(1 + e^(−|x|)): the exponential is at
 * most 1, so nothing overflows (the naive form gives Infinity from x = 710 on), and log1p keeps
 * the tail e^(−|x|) for large |x|, where 1 + e^(−|x|) rounds to 1.
 */
export function softplus(x: TypedArray, y: TypedArray): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    y[i] = Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
  }
}
