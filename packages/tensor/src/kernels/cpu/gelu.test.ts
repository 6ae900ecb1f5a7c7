import { describe, expect, it } from 'vitest';
import { erf, erfc } from './gelu';

// reference values: CPython's math.erf and math.erfc (the C library's, correctly rounded or nearly)
const ERF: Array<[number, number]> = [
  [0, 0],
  [0.1, 0.1124629160182849],
  [0.5, 0.5204998778130465],
  [1, 0.8427007929497149],
  [1.5, 0.9661051464753108],
  [2, 0.9953222650189527],
  [2.4999, 0.9995928300996666],
  [3, 0.9999779095030014],
];
const ERFC: Array<[number, number]> = [
  [2.5, 4.06952017444959e-4],
  [3, 2.209049699858544e-5],
  [5, 1.537459794428035e-12],
  [10, 2.088487583762545e-45],
  [26, 5.663192408856143e-296],
];

describe('erf and erfc (kernels/cpu/gelu.ts)', () => {
  it.each(ERF)('erf(%d) and erf(−%d) to 1e-15 relative', (z, want) => {
    expect(Math.abs(erf(z) - want)).toBeLessThanOrEqual(1e-15 * Math.max(1, want));
    expect(erf(-z)).toBe(-erf(z));
    expect(Math.abs(erfc(z) - (1 - want))).toBeLessThanOrEqual(4.5e-16);
  });

  it.each(ERFC)('erfc(%d) to 1e-13 relative (where 1 − erf would round away)', (z, want) => {
    expect(Math.abs(erfc(z) - want) / want).toBeLessThanOrEqual(1e-13);
    expect(Math.abs(erfc(-z) - (2 - want))).toBeLessThanOrEqual(4e-16);
  });

  it('is continuous where the series hands over to the continued fraction (|z| = 2.5)', () => {
    const below = erfc(2.5 - 1e-12);
    const at = erfc(2.5);
    expect(Math.abs(below - at) / at).toBeLessThan(1e-10);
  });

  it('keeps NaN and saturates at ±Infinity', () => {
    expect(erf(Number.NaN)).toBeNaN();
    expect(erf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(erf(Number.NEGATIVE_INFINITY)).toBe(-1);
    expect(erfc(Number.POSITIVE_INFINITY)).toBe(0);
  });
});
