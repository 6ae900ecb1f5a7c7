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
  // NumPy prints a 0-d array like the Python float it holds: 3.0, 2.5, 1e-05
  if (t.rank === 0) return formatScalar(t.data[0]!, t.dtype === 'float32');
  // and any array with no elements as [], whatever its shape
  if (t.size === 0) return '[]';
  const summarise = t.size > THRESHOLD;
  const cells = formatValues(collectShown(t.data, t.shape, summarise), t.dtype === 'float32');
  let next = 0;
  const take = (): string => cells[next++]!;
  return formatAxis(t.shape, 0, summarise, take);
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

function formatAxis(shape: Shape, axis: number, summarise: boolean, take: () => string): string {
  const n = shape[axis]!;
  const indices = shownIndices(n, summarise);
  const parts: string[] = [];
  const last = axis === shape.length - 1;
  for (let k = 0; k < indices.length; k++) {
    if (summarise && n > 2 * EDGE_ITEMS && k === EDGE_ITEMS) parts.push('...');
    parts.push(last ? take() : formatAxis(shape, axis + 1, summarise, take));
  }
  if (last) return `[${parts.join(' ')}]`;
  // rows of a matrix go on new lines, aligned under the first bracket; blocks of higher axes get blank lines
  const blank = '\n'.repeat(shape.length - axis - 1);
  const indent = ' '.repeat(axis + 1);
  return `[${parts.join(`${blank}${indent}`)}]`;
}

/**
 * Formats all values with one shared layout, as NumPy's FloatingFormat does (floatmode 'maxprec'):
 * scientific notation when the largest magnitude is ≥ 1e8, the smallest non-zero one < 1e-4, or
 * their ratio > 1000; otherwise fixed point with the integer parts right-aligned and the fractions
 * left-aligned. Each value uses the fewest digits that identify it (at most 8 after the point).
 */
function formatValues(values: number[], float32: boolean): string[] {
  const finite = values.filter(Number.isFinite);
  const nonZero = finite.filter((v) => v !== 0).map(Math.abs);
  const maxAbs = nonZero.reduce((m, v) => Math.max(m, v), 0);
  const minAbs = nonZero.reduce((m, v) => Math.min(m, v), Number.POSITIVE_INFINITY);
  const scientific = nonZero.length > 0 && (maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs / minAbs > 1e3);
  // [integer part with its sign, fraction digits, exponent] of each finite value
  const parts = values.map((v) => {
    if (!Number.isFinite(v)) return null;
    return scientific ? splitScientific(v, float32) : splitFixed(v, float32);
  });
  const present = parts.filter((p) => p !== null);
  const fracWidth = Math.max(0, ...present.map((p) => p.frac.length));
  const expWidth = Math.max(2, ...present.map((p) => p.exp.length - 1));
  // everything right of the integer part: the point, the fraction and 'e+XX'
  const right = 1 + fracWidth + (scientific ? expWidth + 2 : 0);
  // 'nan', 'inf' and '-inf' must fit in the column too: widen the integer part if needed
  const specials = values.filter((v) => !Number.isFinite(v)).map((v) => special(v).length);
  const intWidth = Math.max(0, ...present.map((p) => p.int.length), ...specials.map((n) => n - right));
  const width = intWidth + right;
  return values.map((v, k) => {
    const p = parts[k];
    if (p === null || p === undefined) return special(v).padStart(width);
    const int = p.int.padStart(intWidth);
    if (!scientific) return `${int}.${p.frac.padEnd(fracWidth)}`;
    // in scientific notation every mantissa shows the same number of digits (zeros appended)
    const exp = `${p.exp[0]}${p.exp.slice(1).padStart(expWidth, '0')}`;
    return `${int}.${p.frac.padEnd(fracWidth, '0')}e${exp}`;
  });
}

interface Split {
  int: string;
  frac: string;
  exp: string;
}

/** 4.25 → {int: '4', frac: '25'}; 9 → {int: '9', frac: ''}. At most PRECISION fraction digits. */
function splitFixed(v: number, float32: boolean): Split {
  let s = shortest(v, float32);
  let [int = '', frac = ''] = s.split('.');
  if (frac.length > PRECISION) {
    s = v.toFixed(PRECISION).replace(/0+$/, '');
    [int = '', frac = ''] = s.split('.');
  }
  return { int, frac, exp: '' };
}

/** 1999 → {int: '1', frac: '999', exp: '+3'}. At most PRECISION fraction digits. */
function splitScientific(v: number, float32: boolean): Split {
  let s = shortestExponential(v, float32);
  if ((s.split('e')[0]!.split('.')[1] ?? '').length > PRECISION) {
    s = v.toExponential(PRECISION).replace(/\.?0+e/, 'e');
  }
  const [mantissa = '', exp = ''] = s.split('e');
  const [int = '', frac = ''] = mantissa.split('.');
  return { int, frac, exp };
}

/**
 * The fewest significant digits that read back as the same number, in positional notation when
 * JavaScript gives it (|v| in [1e-6, 1e21)). For float32 data "the same number" means the same
 * float32, so Math.fround(2/3) prints 0.6666667, as NumPy prints it, not 0.6666666865348816.
 */
function shortest(v: number, float32: boolean): string {
  if (!float32) return String(v);
  for (let p = 1; p < 9; p++) {
    const candidate = Number(v.toPrecision(p));
    if (Math.fround(candidate) === v) return String(candidate);
  }
  return String(Number(v.toPrecision(9)));
}

/** Like {@link shortest}, always in JavaScript's exponential form: 1999 → '1.999e+3'. */
function shortestExponential(v: number, float32: boolean): string {
  if (!float32) return v.toExponential();
  for (let p = 1; p < 9; p++) {
    const candidate = v.toExponential(p - 1);
    if (Math.fround(Number(candidate)) === v) return candidate;
  }
  return v.toExponential(8);
}

/**
 * A single number the way Python prints a float (and NumPy a 0-d array): '3.0', '2.5', '1e-05',
 * '1.5e+16'; positional for magnitudes in [1e-4, 1e16), scientific otherwise.
 */
function formatScalar(v: number, float32: boolean): string {
  if (!Number.isFinite(v)) return special(v);
  const a = Math.abs(v);
  if (a === 0 || (a >= 1e-4 && a < 1e16)) {
    const s = shortest(v, float32);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa = '', exp = ''] = shortestExponential(v, float32).split('e');
  return `${mantissa}e${exp[0]}${exp.slice(1).padStart(2, '0')}`;
}

function special(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  return v > 0 ? 'inf' : '-inf';
}
