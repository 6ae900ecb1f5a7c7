/**
 * Running part of the bench, to iterate on one case: BENCH_CASES picks the cases and BENCH_IMPLS
 * the implementations, each a comma-separated list (unset or empty: all of them).
 *
 *   BENCH_CASES=lenetTrain,lenetPredict BENCH_IMPLS=sinapse-1t,tfjs-wasm pnpm bench
 *
 * A case is named by its key, the one bench/pytorch/lenet.py uses (matMul256, matMul512,
 * matMul1024, conv1Fwd, conv1FwdBwd, conv2Fwd, conv2FwdBwd, lenetTrain, lenetPredict), matched
 * without regard to case. An implementation by one of the names in IMPL_NAMES. A name that matches
 * nothing is an error listing the valid ones, so a typo never silently runs an empty bench.
 * A selected run writes results/selected.{json,md} instead of results/latest.{json,md}, which
 * stay the record of the last full run.
 */
import type { Impl } from './cases';

/** What BENCH_IMPLS accepts, and the cells each name selects. */
export const IMPL_NAMES: Readonly<Record<string, readonly Impl[]>> = {
  'sinapse-cpu': ['sinapse'],
  'sinapse-1t': ['sinapse-wasm'],
  'sinapse-wasm': ['sinapse-wasm'],
  'sinapse-2t': ['sinapse-wasm-2t'],
  'sinapse-wasm-2t': ['sinapse-wasm-2t'],
  'sinapse-reference': ['sinapse-reference'],
  'tfjs-cpu': ['tfjs-cpu'],
  'tfjs-wasm': ['tfjs-wasm'],
  pytorch: ['pytorch-1t', 'pytorch-2t'],
  'pytorch-1t': ['pytorch-1t'],
  'pytorch-2t': ['pytorch-2t'],
};

export interface Selection {
  /** Case keys (lower case) to run, or null for all. */
  cases: Set<string> | null;
  /** Implementations to run, or null for all. */
  impls: Set<Impl> | null;
}

/** The items of a comma-separated environment variable (empty when unset). */
function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Reads BENCH_CASES and BENCH_IMPLS. `caseKeys` are the keys that exist (to check the names).
 * @throws Error naming the unknown entry and the valid names.
 */
export function readSelection(caseKeys: readonly string[], env = process.env): Selection {
  const wantedCases = list(env.BENCH_CASES).map((s) => s.toLowerCase());
  const known = new Set(caseKeys.map((k) => k.toLowerCase()));
  for (const c of wantedCases) {
    if (!known.has(c)) throw new Error(`BENCH_CASES: no case '${c}'; the cases are ${caseKeys.join(', ')}`);
  }
  const impls = new Set<Impl>();
  for (const name of list(env.BENCH_IMPLS)) {
    const cells = IMPL_NAMES[name.toLowerCase()];
    if (cells === undefined) {
      throw new Error(`BENCH_IMPLS: no implementation '${name}'; the names are ${Object.keys(IMPL_NAMES).join(', ')}`);
    }
    for (const impl of cells) impls.add(impl);
  }
  return {
    cases: wantedCases.length === 0 ? null : new Set(wantedCases),
    impls: impls.size === 0 ? null : impls,
  };
}

/** Whether the selection runs everything (then the results go to latest.*). */
export function isFullRun(s: Selection): boolean {
  return s.cases === null && s.impls === null;
}

export function caseSelected(s: Selection, key: string): boolean {
  return s.cases === null || s.cases.has(key.toLowerCase());
}

export function implSelected(s: Selection, impl: Impl): boolean {
  return s.impls === null || s.impls.has(impl);
}

/** The PyTorch thread counts to run ([] when no PyTorch cell is selected). */
export function pytorchThreads(s: Selection): number[] {
  return [1, 2].filter((t) => implSelected(s, t === 1 ? 'pytorch-1t' : 'pytorch-2t'));
}
