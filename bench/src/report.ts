/** Formatting the results: the console/Markdown table, and the JSON file. */
import type { Impl } from './cases';

export interface Cell {
  /** GFLOP/s, or null when the cell was skipped. */
  gflops: number | null;
  medianMs: number | null;
  reps: number;
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
  note?: string;
}

export interface ThroughputRow {
  name: string;
  /** Examples per timed run. */
  examples: number;
  cells: Partial<Record<Impl, ThroughputCell>>;
}

const fmt = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : x.toFixed(2));

function ratio(a: number | null | undefined, b: number | null | undefined): string {
  if (!a || !b) return '–';
  return `${(a / b).toFixed(2)}x`;
}

/** A Markdown table (also readable as plain text): GFLOP/s per implementation, then the ratios. */
export function markdownTable(rows: Row[]): string {
  const header = [
    'case',
    'Sinapse cpu',
    'Sinapse wasm',
    'Sinapse reference',
    'TF.js cpu',
    'TF.js wasm',
    'Sinapse cpu / TF.js cpu',
    'Sinapse cpu / TF.js wasm',
    'Sinapse wasm / TF.js wasm',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const c = r.cells;
    lines.push(
      `| ${[
        r.name,
        fmt(c.sinapse?.gflops),
        fmt(c['sinapse-wasm']?.gflops),
        fmt(c['sinapse-reference']?.gflops),
        fmt(c['tfjs-cpu']?.gflops),
        fmt(c['tfjs-wasm']?.gflops),
        ratio(c.sinapse?.gflops, c['tfjs-cpu']?.gflops),
        ratio(c.sinapse?.gflops, c['tfjs-wasm']?.gflops),
        ratio(c['sinapse-wasm']?.gflops, c['tfjs-wasm']?.gflops),
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** Examples/s per implementation, then Sinapse over TF.js on the same kind of backend. */
export function throughputTable(rows: ThroughputRow[]): string {
  const header = [
    'case (examples/s)',
    'Sinapse cpu',
    'Sinapse wasm',
    'TF.js cpu',
    'TF.js wasm',
    'Sinapse cpu / TF.js cpu',
    'Sinapse wasm / TF.js wasm',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const rate = (impl: Impl) => r.cells[impl]?.rate;
    const n = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(0));
    lines.push(
      `| ${[
        r.name,
        n(rate('sinapse')),
        n(rate('sinapse-wasm')),
        n(rate('tfjs-cpu')),
        n(rate('tfjs-wasm')),
        ratio(rate('sinapse'), rate('tfjs-cpu')),
        ratio(rate('sinapse-wasm'), rate('tfjs-wasm')),
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
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
