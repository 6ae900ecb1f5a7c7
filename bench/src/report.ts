/** Formatting the results: the console/Markdown table, and the JSON file. */
import type { Impl } from './cases';

export interface Cell {
  /** GFLOP/s, or null when the cell was skipped. */
  gflops: number | null;
  medianMs: number | null;
  reps: number;
  /** Threads the cell ran on, when not 1 (Sinapse wasm 2 threads, PyTorch 2 threads). */
  threads?: number;
  note?: string;
}

export interface Row {
  name: string;
  flops: number;
  cells: Partial<Record<Impl, Cell>>;
}

/** A throughput cell: examples per second, or null when the cell was skipped. */
export interface ThroughputCell {
  rate: number | null;
  medianMs: number | null;
  reps: number;
  /** Threads the cell ran on, when not 1. */
  threads?: number;
  note?: string;
}

export interface ThroughputRow {
  name: string;
  /** Examples per timed run. */
  examples: number;
  cells: Partial<Record<Impl, ThroughputCell>>;
}

/** The figure columns of both tables, in order. */
const COLUMNS: ReadonlyArray<readonly [Impl, string]> = [
  ['sinapse', 'Sinapse cpu'],
  ['sinapse-wasm', 'Sinapse wasm 1 thread'],
  ['sinapse-wasm-2t', 'Sinapse wasm 2 threads'],
  ['sinapse-reference', 'Sinapse reference'],
  ['tfjs-cpu', 'TF.js cpu'],
  ['tfjs-wasm', 'TF.js wasm'],
  ['pytorch-1t', 'PyTorch 1 thread'],
  ['pytorch-2t', 'PyTorch 2 threads'],
];

/** The ratio columns (numerator over denominator; above 1 means the numerator is faster). */
const RATIOS: ReadonlyArray<readonly [Impl, Impl]> = [
  ['sinapse', 'tfjs-cpu'],
  ['sinapse', 'tfjs-wasm'],
  ['sinapse-wasm', 'tfjs-wasm'],
  ['sinapse-wasm-2t', 'tfjs-wasm'],
  ['sinapse-wasm', 'pytorch-1t'],
  ['sinapse-wasm-2t', 'pytorch-2t'],
];

const label = (impl: Impl): string => COLUMNS.find(([i]) => i === impl)![1];

function ratio(a: number | null | undefined, b: number | null | undefined): string {
  if (!a || !b) return '–';
  return `${(a / b).toFixed(2)}x`;
}

/**
 * A Markdown table whose columns are padded to a common width, so that it also reads as plain
 * text in a terminal. The first column is left-aligned, the others (numbers) right-aligned.
 */
export function alignedTable(header: string[], body: string[][]): string {
  const widths = header.map((h, j) => Math.max(3, h.length, ...body.map((row) => row[j]!.length)));
  const pad = (cell: string, j: number) => (j === 0 ? cell.padEnd(widths[j]!) : cell.padStart(widths[j]!));
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w, j) => (j === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

/**
 * Two tables for `rows`: the figures of every implementation, then the ratios. Cells without a
 * figure (skipped, unavailable, or not run for that case) show '–'.
 */
function figuresAndRatios<C>(
  title: string,
  rows: { name: string; cells: Partial<Record<Impl, C>> }[],
  value: (cell: C | undefined) => number | null | undefined,
  digits: number,
): string {
  const fmt = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(digits));
  const figures = alignedTable(
    [title, ...COLUMNS.map(([, name]) => name)],
    rows.map((r) => [r.name, ...COLUMNS.map(([impl]) => fmt(value(r.cells[impl])))]),
  );
  const ratios = alignedTable(
    ['ratio (higher: the first is faster)', ...RATIOS.map(([a, b]) => `${label(a)} / ${label(b)}`)],
    rows.map((r) => [r.name, ...RATIOS.map(([a, b]) => ratio(value(r.cells[a]), value(r.cells[b])))]),
  );
  return `${figures}\n\n${ratios}`;
}

/** GFLOP/s per implementation, then the ratios (two Markdown tables, also readable as plain text). */
export function markdownTable(rows: Row[]): string {
  return figuresAndRatios('case (GFLOP/s)', rows, (c) => c?.gflops, 2);
}

/** Examples/s per implementation, then the ratios. */
export function throughputTable(rows: ThroughputRow[]): string {
  return figuresAndRatios('case (examples/s)', rows, (c) => c?.rate, 0);
}

/** The notes of skipped or failed cells, one line each. */
export function notes(rows: { name: string; cells: Partial<Record<Impl, { note?: string }>> }[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    for (const [impl, cell] of Object.entries(r.cells)) {
      if (cell?.note) out.push(`${r.name} / ${impl}: ${cell.note}`);
    }
  }
  return out;
}
