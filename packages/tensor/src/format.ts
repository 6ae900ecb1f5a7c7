/**
 * NumPy-style printing. `String(x)` of a float tensor looks like `print(np_array)`:
 *   [[4.25 4.25]
 *    [4.25 3.5 ]]
 * Values share one layout: integers print with a trailing dot (`9.`), decimals are aligned on
 * the point, and very large or small magnitudes switch to scientific notation. Tensors with more
 * than 1000 elements are summarised with `...`, showing 3 items at each edge (NumPy's defaults).
 */
import type { Shape } from './shape';
import type { Tensor } from './tensor';

const PRECISION = 8;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;

export function formatTensor(t: Tensor): string {
  const summarise = t.size > THRESHOLD;
  const cells = formatValues(collectShown(t.data, t.shape, summarise));
  let next = 0;
  const take = (): string => cells[next++]!;
  return formatAxis(t.shape, 0, summarise, take, t.shape.length === 0);
}

/** Values in print order (only the shown ones when summarising). */
function collectShown(data: ArrayLike<number>, shape: Shape, summarise: boolean): number[] {
  const out: number[] = [];
  const visit = (axis: number, offset: number, stride: number): void => {
    if (axis === shape.length) {
      out.push(data[offset]!);
      return;
    }
    const n = shape[axis]!;
    const inner = stride / n;
    for (const i of shownIndices(n, summarise)) visit(axis + 1, offset + i * inner, inner);
  };
  let size = 1;
  for (const d of shape) size *= d;
  visit(0, 0, size);
  return out;
}

function shownIndices(n: number, summarise: boolean): number[] {
  if (!summarise || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
  return [0, 1, 2, n - 3, n - 2, n - 1];
}

function formatAxis(shape: Shape, axis: number, summarise: boolean, take: () => string, scalar: boolean): string {
  if (scalar) return take();
  const n = shape[axis]!;
  const indices = shownIndices(n, summarise);
  const parts: string[] = [];
  const last = axis === shape.length - 1;
  for (let k = 0; k < indices.length; k++) {
    if (summarise && n > 2 * EDGE_ITEMS && k === EDGE_ITEMS) parts.push('...');
    parts.push(last ? take() : formatAxis(shape, axis + 1, summarise, take, false));
  }
  if (last) return `[${parts.join(' ')}]`;
  // rows of a matrix go on new lines, aligned under the first bracket; blocks of higher axes get blank lines
  const blank = '\n'.repeat(shape.length - axis - 1);
  const indent = ' '.repeat(axis + 1);
  return `[${parts.join(`${blank}${indent}`)}]`;
}

/** Formats all values with one shared layout, as NumPy's FloatingFormat does. */
function formatValues(values: number[]): string[] {
  const finite = values.filter(Number.isFinite);
  const maxAbs = finite.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const minAbs = finite.reduce((m, v) => (v !== 0 ? Math.min(m, Math.abs(v)) : m), Number.POSITIVE_INFINITY);
  const scientific =
    maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs !== Number.POSITIVE_INFINITY) || maxAbs / minAbs > 1e3 * 1e8;
  if (scientific) {
    const strs = values.map((v) => (Number.isFinite(v) ? trimExponential(v.toExponential(PRECISION)) : special(v)));
    return padLeft(strs);
  }
  // fixed point: integer part and fraction part aligned separately
  const split = values.map((v) => {
    if (!Number.isFinite(v)) return [special(v), ''] as const;
    const s = trimFixed(v);
    const dot = s.indexOf('.');
    return [s.slice(0, dot + 1), s.slice(dot + 1)] as const;
  });
  const intWidth = Math.max(...split.map(([i]) => i.length));
  const fracWidth = Math.max(...split.map(([, f]) => f.length));
  return split.map(([i, f]) => i.padStart(intWidth) + f.padEnd(fracWidth));
}

/** 4.25 → "4.25", 9 → "9.", 0.1 + 0.2 → "0.3" (at most 8 decimals, trailing zeros dropped). */
function trimFixed(v: number): string {
  let s = Math.abs(v) < 1e16 ? v.toFixed(PRECISION) : String(v);
  if (!s.includes('.')) s += '.';
  s = s.replace(/0+$/, '');
  if (s === '-0.') s = '-0.';
  return s;
}

/** 1.50000000e+10 → "1.5e+10" */
function trimExponential(s: string): string {
  return s.replace(/\.?0+e/, 'e');
}

function special(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  return v > 0 ? 'inf' : '-inf';
}

function padLeft(strs: string[]): string[] {
  const width = Math.max(...strs.map((s) => s.length));
  return strs.map((s) => s.padStart(width));
}
