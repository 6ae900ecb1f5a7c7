/**
 * The Gaussian error function and GELU's kernels. JavaScript has no Math.erf, so erf is computed
 * here to double precision (the float64 gradient check compares GELU's derivative, which uses the
 * exact Gaussian density, with finite differences of this erf: an approximation good to 1e-7
 * only, as TF.js's, would fail it).
 *
 * Note [Computing erf]
 *   |z| < 2.5: erf(z) = 2/√π · e^(−z²) · Σₙ (2z²)ⁿ · z / (1·3·5···(2n+1)), a series of positive
 *              terms (no cancellation), each the previous times 2z²/(2n+1); it stops once a term
 *              no longer changes the sum (about 50 terms at |z| = 2.5, fewer below).
 *   z ≥ 2.5:   erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + ...))))),
 *              the continued fraction (Abramowitz & Stegun 7.1.14), evaluated from its 60th level
 *              up; erfc keeps its relative precision where erf(z) = 1 − erfc(z) rounds to 1.
 *   z ≤ −2.5:  erfc(z) = 2 − erfc(−z).
 */
import type { TypedArray } from '../../dtype';

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);
const SERIES_LIMIT = 2.5;
const FRACTION_DEPTH = 60;

/** erf(z) by the series of Note [Computing erf], for |z| < 2.5. */
function erfSeries(z: number): number {
  const z2 = 2 * z * z;
  let term = z;
  let sum = z;
  for (let n = 1; n < 200; n++) {
    term *= z2 / (2 * n + 1);
    const next = sum + term;
    if (next === sum) break;
    sum = next;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-z * z) * sum;
}

/** erfc(z) by the continued fraction of Note [Computing erf], for z ≥ 2.5. */
function erfcFraction(z: number): number {
  let k = z;
  for (let level = FRACTION_DEPTH; level >= 1; level--) k = z + level / 2 / k;
  return (ONE_OVER_SQRT_PI * Math.exp(-z * z)) / k;
}

/** The complementary error function erfc(z) = 1 − erf(z), to double precision. */
export function erfc(z: number): number {
  if (Number.isNaN(z)) return z;
  if (z >= SERIES_LIMIT) return erfcFraction(z);
  if (z <= -SERIES_LIMIT) return 2 - erfcFraction(-z);
  return 1 - erfSeries(z);
}

/** The error function erf(z) = 2/√π ∫₀ᶻ e^(−t²) dt, to double precision. */
export function erf(z: number): number {
  if (Number.isNaN(z)) return z;
  if (z >= SERIES_LIMIT) return 1 - erfcFraction(z);
  if (z <= -SERIES_LIMIT) return erfcFraction(-z) - 1;
  return erfSeries(z);
}

const SQRT1_2 = Math.SQRT1_2;
const ONE_OVER_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
/** √(2/π) and the cubic coefficient of GELU's tanh approximation (Hendrycks & Gimpel 2016). */
const TANH_SCALE = Math.sqrt(2 / Math.PI);
const TANH_CUBIC = 0.044715;

/** y = x·Φ(x) = x · erfc(−x/√2) / 2, Φ the standard normal CDF (erfc keeps Φ's tail for x ≪ 0). */
export function gelu(x: TypedArray, y: TypedArray): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    y[i] = 0.5 * v * erfc(-v * SQRT1_2);
  }
}

/** dx += dy · (Φ(x) + x·φ(x)), φ(x) = e^(−x²/2)/√(2π) the standard normal density */
export function geluBackward(dy: TypedArray, x: TypedArray, dx: TypedArray): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const cdf = 0.5 * erfc(-v * SQRT1_2);
    const pdf = ONE_OVER_SQRT_2PI * Math.exp(-0.5 * v * v);
    dx[i]! += dy[i]! * (cdf + v * pdf);
  }
}

/** y = x · (1 + tanh u) / 2 with u = √(2/π)·(x + 0.044715·x³) */
export function geluTanh(x: TypedArray, y: TypedArray): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    y[i] = 0.5 * v * (1 + Math.tanh(TANH_SCALE * (v + TANH_CUBIC * v * v * v)));
  }
}

/** dx += dy · ((1 + t)/2 + x·(1 − t²)/2 · √(2/π)·(1 + 3·0.044715·x²)), t = tanh u */
export function geluTanhBackward(dy: TypedArray, x: TypedArray, dx: TypedArray): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const t = Math.tanh(TANH_SCALE * (v + TANH_CUBIC * v * v * v));
    const du = TANH_SCALE * (1 + 3 * TANH_CUBIC * v * v);
    dx[i]! += dy[i]! * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * du);
  }
}
