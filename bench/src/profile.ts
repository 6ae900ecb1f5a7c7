/**
 * Where a LeNet-5 step spends its time: records a CPU profile of the bench's LeNet-5 training step
 * (batch 64) and predict (512 examples, batch 256) on Sinapse's wasm backend, one thread, and prints
 * the self time grouped by what the code does (GEMM, im2col/col2im, direct convolution, pools, copies between JS arrays
 * and wasm memory, allocation and GC, the autograd tape, the optimizer, elementwise JS, ...).
 *
 *   pnpm --filter @sinapse/bench run profile                      # record both, print both tables
 *   pnpm --filter @sinapse/bench run profile lenetTrain           # only one of lenetTrain, lenetPredict
 *   pnpm --filter @sinapse/bench run profile some.cpuprofile      # summarize a `node --cpu-prof` file
 *
 * Recording uses the inspector's sampling profiler (the one `node --cpu-prof` uses, every 100 µs)
 * around the timed runs only, after the same warm-up as the bench, and writes
 * results/profile-<case>.cpuprofile (not committed; open it in Chrome's DevTools for the tree).
 * A profile's shape does not depend on the machine's load, unlike wall-clock figures.
 *
 * Grouping: each sample is charged to the function on top of the stack (its self time). Bundled
 * JS frames are mapped back to their source file with the dist/ source maps, and wasm frames are
 * named by the module's name section (assembly/*.ts), so the groups follow the source tree
 * (GROUPS below). Builtins such as TypedArray.prototype.set (the copies into and out of wasm
 * memory) and the zero-filling of a new Float32Array have no frame of their own: V8 charges them
 * to the JS function that called them, which is why the kernels' JS sides (kernels/wasm/*.ts) are
 * the "copies" group.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { SourceMap } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { throughputCases } from './lenet';
import { time } from './timing';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * The groups, first match wins: a test on the wasm function name (wasm frames) or on the source
 * path (JS frames, after the source map). Order matters: kernels/wasm/*.ts before the generic ops.
 */
const GROUPS: ReadonlyArray<readonly [string, (name: string, source: string, wasm: boolean) => boolean]> = [
  ['GEMM (wasm: sgemm, packing, 4x8 micro-kernel)', (n, _s, w) => w && /assembly\/gemm\//.test(n)],
  ['im2col / col2im (wasm, with the conv task loops)', (n, _s, w) => w && /assembly\/conv2d\//.test(n)],
  ['direct convolution (wasm)', (n, _s, w) => w && /assembly\/directConv\//.test(n)],
  ['pools (wasm)', (n, _s, w) => w && /assembly\/pool2d\//.test(n)],
  ['bias + relu (wasm)', (n, _s, w) => w && /assembly\/activation\//.test(n)],
  ['other wasm', (_n, _s, w) => w],
  ['copies JS ⇄ wasm memory (kernels/wasm/*.ts JS sides)', (_n, s) => /kernels\/wasm\//.test(s)],
  ['GC', (n) => n === '(garbage collector)'],
  ['allocation (allocate, new typed arrays, Tensor)', (_n, s) => /src\/(dtype|tensor)\.ts$/.test(s)],
  ['autograd tape (record, backward, unbroadcast)', (_n, s) => /src\/autograd\//.test(s)],
  ['optimizer', (_n, s) => /train\/src\/optimizers\//.test(s)],
  ['loss', (_n, s) => /train\/src\/losses\//.test(s)],
  ['elementwise / reductions / softmax (JS kernels)', (_n, s) => /kernels\/(cpu|reference)\//.test(s)],
  ['ops (validation, shapes, backward rules)', (_n, s) => /tensor\/src\/ops\//.test(s)],
  ['layers / model / trainStep', (_n, s) => /(layers|models|train)\/src\//.test(s)],
  ['bench harness', (_n, s) => /bench\/src\//.test(s)],
  ['engine (program, builtins, js-to-wasm calls)', (n, s) => n.startsWith('(') || s === ''],
  ['other JS', () => true],
];

const sourceMaps = new Map<string, SourceMap | null>();

/** The original source file of a bundled frame (via `<file>.map`), or the url itself. */
function sourceOf(url: string, line: number, column: number): string {
  if (!url.startsWith('file://')) return url;
  const path = fileURLToPath(url);
  if (!sourceMaps.has(path)) {
    let map: SourceMap | null = null;
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')));
    } catch {
      // no map: the path itself (tsx-compiled bench files, node_modules)
    }
    sourceMaps.set(path, map);
  }
  const map = sourceMaps.get(path);
  const entry = map?.findEntry(line, column) as { originalSource?: string } | undefined;
  // sources are relative to the bundle (../src/ops/conv2d.ts) or file: URLs
  const original = entry?.originalSource;
  if (original === undefined) return path;
  return original.startsWith('file://') ? fileURLToPath(original) : resolve(dirname(path), original);
}

export interface ProfileSummary {
  totalMs: number;
  groups: Array<{ group: string; ms: number }>;
  top: Array<{ name: string; source: string; group: string; ms: number }>;
}

/** Self time per function and per group, from the samples and their time deltas. */
export function summarize(profile: CpuProfile, topN = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    // the delta before sample i+1 is the time sample i stood for
    const dt = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  }
  const perFunction = new Map<string, { name: string; source: string; group: string; ms: number }>();
  const perGroup = new Map<string, number>();
  let totalMs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber, columnNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const wasm = url.startsWith('wasm://');
    const source = wasm ? 'wasm' : sourceOf(url, lineNumber, columnNumber).replace(/^.*?\/(packages|bench)\//, '$1/');
    const name = functionName || '(anonymous)';
    const group = GROUPS.find(([, test]) => test(name, source, wasm))![0];
    const ms = us / 1000;
    totalMs += ms;
    perGroup.set(group, (perGroup.get(group) ?? 0) + ms);
    const key = `${name} ${source}`;
    const entry = perFunction.get(key) ?? { name, source, group, ms: 0 };
    entry.ms += ms;
    perFunction.set(key, entry);
  }
  const groups = [...perGroup].map(([group, ms]) => ({ group, ms })).sort((a, b) => b.ms - a.ms);
  const top = [...perFunction.values()].sort((a, b) => b.ms - a.ms).slice(0, topN);
  return { totalMs, groups, top };
}

const pct = (ms: number, total: number): string => `${((100 * ms) / total).toFixed(1)}%`;

/** The two Markdown tables: groups, then the top functions. */
export function markdown(s: ProfileSummary, runs?: number): string {
  const per = runs ? ` (÷ ${runs} runs: ms per run)` : '';
  const lines = [`| group | self time | ms${per} |`, '|---|---:|---:|'];
  for (const g of s.groups) lines.push(`| ${g.group} | ${pct(g.ms, s.totalMs)} | ${(g.ms / (runs ?? 1)).toFixed(2)} |`);
  lines.push('', '| function | where | group | self time |', '|---|---|---|---:|');
  for (const f of s.top)
    lines.push(`| \`${f.name}\` | ${f.source} | ${f.group.split(' (')[0]} | ${pct(f.ms, s.totalMs)} |`);
  return lines.join('\n');
}

const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** Warms up like the bench, then profiles `runs` runs of the case on wasm, one thread. */
async function record(key: string, runs: number): Promise<{ profile: CpuProfile; runs: number; msPerRun: number }> {
  const c = throughputCases.find((t) => t.pytorch === key);
  if (c === undefined) throw new Error(`profile: no case '${key}' (lenetTrain, lenetPredict)`);
  const prepared = c.prepare('sinapse-wasm');
  time(prepared.run, { ...c.timing, maxReps: 10, budgetMs: 2000 });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) prepared.run();
  const msPerRun = (performance.now() - t0) / runs;
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
  session.disconnect();
  prepared.dispose();
  return { profile, runs, msPerRun };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const files = args.filter((a) => a.endsWith('.cpuprofile'));
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    console.log(`## ${file}\n\n${markdown(summarize(profile))}\n`);
  }
  if (files.length > 0) return;
  const keys = args.length > 0 ? args : ['lenetTrain', 'lenetPredict'];
  for (const key of keys) {
    const runs = key === 'lenetTrain' ? 200 : 60;
    const { profile, msPerRun } = await record(key, runs);
    const file = join(RESULTS, `profile-${key}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    const summary = summarize(profile);
    console.log(
      `## ${key}: ${runs} runs, ${msPerRun.toFixed(2)} ms per run under the profiler ` +
        `(${pathToFileURL(file).pathname.replace(/^.*\/bench\//, 'bench/')})\n\n${markdown(summary, runs)}\n`,
    );
  }
}

await main();
