/**
 * Text reports for the terminal: the confusion matrix as a table, the pairs of digits the model
 * mixes up most, and a description of the machine (so a timing in metrics.json means something).
 */
import { cpus, platform, release } from 'node:os';

/**
 * The confusion matrix as a table: row = true digit, column = predicted digit. The diagonal is
 * what the model got right; everything else is a mistake.
 *
 *   true\pred     0     1  ...
 *          0   976     0  ...
 */
export function formatConfusion(matrix: readonly (readonly number[])[]): string {
  const k = matrix.length;
  const width = Math.max(5, ...matrix.flat().map((v) => String(v).length + 1));
  const cell = (v: string | number) => String(v).padStart(width);
  const lines = [`true\\pred ${Array.from({ length: k }, (_, j) => cell(j)).join('')}`];
  matrix.forEach((row, i) => {
    lines.push(`${String(i).padStart(9)} ${row.map(cell).join('')}`);
  });
  return lines.join('\n');
}

/** One off-diagonal cell of the confusion matrix: `count` images of digit `truth` were read as `predicted`. */
export interface Confusion {
  truth: number;
  predicted: number;
  count: number;
}

/** The `top` largest off-diagonal cells, largest first (ties: smaller true digit first). */
export function mostConfused(matrix: readonly (readonly number[])[], top = 5): Confusion[] {
  const pairs: Confusion[] = [];
  matrix.forEach((row, truth) => {
    row.forEach((count, predicted) => {
      if (truth !== predicted && count > 0) pairs.push({ truth, predicted, count });
    });
  });
  pairs.sort((a, b) => b.count - a.count || a.truth - b.truth || a.predicted - b.predicted);
  return pairs.slice(0, top);
}

/** e.g. "4 → 9: 12 times" */
export function formatConfusions(pairs: readonly Confusion[]): string {
  return pairs.map((p) => `  ${p.truth} → ${p.predicted}: ${p.count} time${p.count === 1 ? '' : 's'}`).join('\n');
}

/** What the run was measured on. */
export function machineInfo(): { cpu: string; cores: number; node: string; os: string } {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    node: process.version,
    os: `${platform()} ${release()}`,
  };
}

/** 83.4 → "1m23s" */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m${String(Math.round(seconds - 60 * m)).padStart(2, '0')}s`;
}
