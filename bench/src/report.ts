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

const fmt = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : x.toFixed(2));

function ratio(a: Cell | undefined, b: Cell | undefined): string {
  if (!a?.gflops || !b?.gflops) return '–';
  return `${(a.gflops / b.gflops).toFixed(2)}x`;
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
        ratio(c.sinapse, c['tfjs-cpu']),
        ratio(c.sinapse, c['tfjs-wasm']),
        ratio(c['sinapse-wasm'], c['tfjs-wasm']),
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** The notes of skipped or failed cells, one line each. */
export function notes(rows: Row[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    for (const [impl, cell] of Object.entries(r.cells)) {
      if (cell?.note) out.push(`${r.name} / ${impl}: ${cell.note}`);
    }
  }
  return out;
}
