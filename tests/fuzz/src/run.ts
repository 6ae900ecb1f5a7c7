/** A run over many cases of one target: the figures, and the failing cases themselves. */
import { addResult, caseAt, emptyFigures, type Figures, runCase } from './harness';
import type { FuzzCase, FuzzTarget } from './target';

export interface RunResult {
  figures: Figures;
  failures: { c: FuzzCase; why: string; index: number }[];
}

/**
 * Runs cases `from` to `from + cases - 1` of a seed (each made from its own seed, see caseAt).
 * @param onProgress called after each case, for a long run's progress line.
 */
export async function runTarget(
  target: FuzzTarget,
  seed: number,
  cases: number,
  onProgress?: (done: number, figures: Figures) => void,
): Promise<RunResult> {
  const figures = emptyFigures();
  const failures: RunResult['failures'] = [];
  for (let i = 0; i < cases; i++) {
    const c = caseAt(target, seed, i);
    const r = await runCase(target, c);
    addResult(figures, c, r);
    if (r.verdict.kind === 'failure') failures.push({ c, why: r.verdict.why, index: i });
    onProgress?.(i + 1, figures);
  }
  return { figures, failures };
}

/** One line of figures: cases, loaded, clean errors, failures, the largest allocation ratio. */
export function formatFigures(name: string, f: Figures): string {
  return (
    `${name.padEnd(14)} cases ${String(f.cases).padStart(7)}  loaded ${String(f.loaded).padStart(6)}  ` +
    `clean errors ${String(f.clean).padStart(7)}  failures ${String(f.failures).padStart(4)}  ` +
    `largest allocation ${f.largestRatio.toFixed(2)}× input  slowest ${Math.round(f.slowestMs)} ms`
  );
}
