/**
 * Runs fuzz cases and judges them. The rule (issue 16, "untrusted input is the normal case"):
 * every case either loads, or throws a typed error (err.name ConfigError, ValueError or ShapeError)
 * whose message names one of its files or one of the fields of its JSON; it never throws anything
 * else (TypeError, RangeError, a plain Error), never takes longer than the time limit, and never
 * allocates more than a small multiple of its input's size (MAX_RATIO × the bytes of its files,
 * plus ALLOWANCE for the smallest inputs; see allocations.ts for how it is measured).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { type Allocation, installAllocationTracker, lastAllocation, measure } from './allocations';
import { deletedFiles } from './mutate';
import type { FuzzCase, FuzzTarget } from './target';

/** The allocation limit: this many times the input's size... */
export const MAX_RATIO = 16;
/** ...plus this much, so a 20-byte file may still become a 1 MiB buffer (a gzip file's floor, see gunzipIdx). */
export const ALLOWANCE = 2 * 2 ** 20;
/** A case taking longer than this (ms) is a failure. */
export const TIME_LIMIT = 5000;

const TYPED = new Set(['ConfigError', 'ValueError', 'ShapeError']);

export type Verdict = { kind: 'loaded' } | { kind: 'clean'; error: string } | { kind: 'failure'; why: string };

export interface CaseResult {
  verdict: Verdict;
  allocation: Allocation;
  inputBytes: number;
  ms: number;
}

/** The bytes of a case's files. */
export function inputSize(c: FuzzCase): number {
  return Object.values(c.files).reduce((n, f) => n + f.length, 0);
}

/**
 * What a message may name to count as naming "the file or field": the case's file names (and
 * those its mutations deleted, see deletedFiles), and the
 * keys and short string values (layer names, class names) of its JSON files. Names are matched as
 * words, so a message that names 'units' or "Dense 'fc1'" counts, one that only says "invalid" does not.
 */
function namesOf(c: FuzzCase): string[] {
  const names = new Set([...Object.keys(c.files), ...deletedFiles(c)]);
  // an explicit stack, not recursion: a mutated model.json can nest 5,000 models deep, and a stack
  // overflow here would hide every name after the deep part (weight names, say) from the check
  const walk = (root: unknown) => {
    const stack = [root];
    while (stack.length > 0) {
      const v = stack.pop();
      if (Array.isArray(v)) for (const x of v) stack.push(x);
      else if (v !== null && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k.length >= 2) names.add(k);
          stack.push(x);
        }
      } else if (typeof v === 'string' && v.length >= 2 && v.length <= 64) names.add(v);
    }
  };
  for (const [name, bytes] of Object.entries(c.files)) {
    if (!name.endsWith('.json')) continue;
    try {
      walk(JSON.parse(new TextDecoder().decode(bytes)));
    } catch {
      // not JSON: only the file name counts
    }
  }
  return [...names];
}

/** The verdict on what `run` threw. */
export function classify(c: FuzzCase, err: unknown): Verdict {
  if (!(err instanceof Error)) return { kind: 'failure', why: `threw a non-Error: ${String(err)}` };
  const text = `${err.name}: ${err.message}`;
  if (!TYPED.has(err.name)) return { kind: 'failure', why: `untyped error ${text.slice(0, 300)}` };
  const names = namesOf(c);
  if (!names.some((n) => err.message.includes(n))) {
    return { kind: 'failure', why: `the message names no file or field: ${text.slice(0, 300)}` };
  }
  return { kind: 'clean', error: text };
}

/** Runs one case through a target and judges it (time and memory included). */
export async function runCase(target: FuzzTarget, c: FuzzCase): Promise<CaseResult> {
  installAllocationTracker();
  const inputBytes = inputSize(c);
  const start = performance.now();
  let verdict: Verdict;
  try {
    await measure(() => target.run(c));
    verdict = { kind: 'loaded' };
  } catch (err) {
    verdict = classify(c, err);
  }
  const ms = performance.now() - start;
  const allocation = lastAllocation();
  const limit = MAX_RATIO * inputBytes + ALLOWANCE;
  const worst = Math.max(allocation.largest, allocation.growth);
  if (verdict.kind !== 'failure' && worst > limit) {
    verdict = {
      kind: 'failure',
      why: `allocated ${worst.toLocaleString('en-US')} bytes for ${inputBytes.toLocaleString('en-US')} bytes of input (limit ${limit.toLocaleString('en-US')})`,
    };
  }
  if (verdict.kind !== 'failure' && ms > TIME_LIMIT) {
    verdict = { kind: 'failure', why: `took ${Math.round(ms)} ms (limit ${TIME_LIMIT} ms)` };
  }
  return { verdict, allocation, inputBytes, ms };
}

/** Case `i` of a run with this seed: its own seed, so any case can be made again alone. */
export function caseAt(target: FuzzTarget, seed: number, i: number): FuzzCase {
  return fc.sample(target.arbitrary, { seed: (seed ^ Math.imul(i + 1, 0x9e3779b1)) | 0, numRuns: 1 })[0]!;
}

// ---- figures ------------------------------------------------------------------------------------

export interface Figures {
  cases: number;
  loaded: number;
  clean: number;
  failures: number;
  /** The largest allocation over all cases, relative to that case's input size. */
  largestRatio: number;
  /** The case it was seen on, for the report. */
  largestRatioCase: string;
  slowestMs: number;
}

export function emptyFigures(): Figures {
  return { cases: 0, loaded: 0, clean: 0, failures: 0, largestRatio: 0, largestRatioCase: '', slowestMs: 0 };
}

export function addResult(f: Figures, c: FuzzCase, r: CaseResult): void {
  f.cases++;
  if (r.verdict.kind === 'loaded') f.loaded++;
  else if (r.verdict.kind === 'clean') f.clean++;
  else f.failures++;
  const ratio = Math.max(r.allocation.largest, r.allocation.growth) / Math.max(1, r.inputBytes);
  if (ratio > f.largestRatio) {
    f.largestRatio = ratio;
    f.largestRatioCase = `${c.description} (${r.verdict.kind})`;
  }
  f.slowestMs = Math.max(f.slowestMs, r.ms);
}

// ---- fixtures -------------------------------------------------------------------------------------

/** tests/fuzz/fixtures: one folder per format, one per failing input, named by its hash. */
export const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

/** The hash a fixture is named by: of its file names and bytes. */
export function hashOf(c: FuzzCase): string {
  const h = createHash('sha256');
  for (const name of Object.keys(c.files).sort()) {
    h.update(name);
    h.update('\0');
    h.update(c.files[name]!);
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Saves a failing case as tests/fuzz/fixtures/<format>/<hash>/: its files under files/, and
 * case.json with the description and the verdict. The vitest test replays every fixture.
 */
export function saveFixture(format: string, c: FuzzCase, why: string): string {
  const dir = join(FIXTURES, format, hashOf(c));
  mkdirSync(join(dir, 'files'), { recursive: true });
  for (const [name, bytes] of Object.entries(c.files))
    writeFileSync(join(dir, 'files', encodeURIComponent(name)), bytes);
  writeFileSync(join(dir, 'case.json'), `${JSON.stringify({ description: c.description, failure: why }, null, 2)}\n`);
  return dir;
}

/** Every saved fixture of a format, as cases. */
export function loadFixtures(format: string): { dir: string; c: FuzzCase }[] {
  const root = join(FIXTURES, format);
  if (!existsSync(root)) return [];
  return readdirSync(root).map((hash) => {
    const dir = join(root, hash);
    const { description } = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as { description: string };
    const files: Record<string, Uint8Array> = {};
    const filesDir = join(dir, 'files');
    if (existsSync(filesDir)) {
      for (const name of readdirSync(filesDir))
        files[decodeURIComponent(name)] = new Uint8Array(readFileSync(join(filesDir, name)));
    }
    return { dir, c: { files, description } };
  });
}
