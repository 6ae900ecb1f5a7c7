/**
 * Sinapse against TF.js and PyTorch, side by side, in one run on one machine:
 *   Sinapse ('cpu' backend; 'wasm' where WebAssembly SIMD exists, on 1 thread and on 2 when
 *   '@sinapse/tensor/node' has useThreads; 'reference' for matMul 256 and LeNet-5), TF.js 'cpu' and
 *   TF.js 'wasm' (single-threaded), and PyTorch on 1 and 2 threads when a Python with torch is
 *   found (bench/pytorch/lenet.py, run in a child process; optional).
 * Prints tables of GFLOP/s with the ratios, then LeNet-5 training and inference throughput in
 * examples/s (src/lenet.ts), and writes results/latest.json and results/latest.md.
 *
 * Run `pnpm bench` from the repository root (it builds the packages first: the bench imports their
 * dist/). A case whose Sinapse op is still a stub ('not implemented yet') is skipped with a note.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '@tensorflow/tfjs-backend-cpu';
import * as sn from '@sinapse/tensor';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { cases, type Impl, type Prepared } from './cases';
import { HELP, parseCommandLine } from './cli';
import { registerWasmConv2DBackpropFilter, throughputCases } from './lenet';
import { findPython, onReferenceBlas, PYTORCH_INSTALL_HINT, type PyTorchResults, runPyTorch } from './pytorch';
import {
  type Cell,
  markdownTable,
  notes,
  type Row,
  type ThroughputCell,
  type ThroughputRow,
  throughputTable,
} from './report';
import { caseSelected, implSelected, isFullRun, pytorchThreads, readSelection } from './select';
import { loadSinapseThreads, type SinapseThreads, sinapseNumThreads } from './threads';
import { type TimingOptions, time } from './timing';

const require = createRequire(import.meta.url);
// TF.js registers its gradient rules in a side-effect module that the package entry does not load;
// it is required (not imported) because Node's ESM loader rejects its directory imports. The kernel
// and gradient registries are global, so this reaches the `tf` imported above.
require('@tensorflow/tfjs-core/dist/register_all_gradients');

/** TF.js's wasm backend loads its .wasm binaries from a path; in Node, the package's own dist/. */
async function initWasm(): Promise<{ simd: boolean; threads: boolean; threadCount: number }> {
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  setWasmPaths(`${wasmDir}/`);
  await tf.setBackend('wasm');
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  const threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) as boolean;
  return { simd, threads, threadCount: threads ? getThreadsCount() : 1 };
}

/** Sinapse's threads for the 'sinapse-wasm-2t' cells: the API when two threads really run, else why not. */
interface ThreadState {
  api: SinapseThreads | null;
  /** What useThreads(2) gave (1 where threads are unavailable), or 0 without the API. */
  twoThreads: number;
  reason: string;
}

async function sinapseThreads(): Promise<ThreadState> {
  const { threads, reason } = await loadSinapseThreads();
  if (threads === null) return { api: null, twoThreads: 0, reason };
  const twoThreads = await threads.useThreads(2);
  await threads.useThreads(1);
  if (twoThreads < 2) {
    return {
      api: null,
      twoThreads,
      reason: `useThreads(2) gave ${twoThreads} thread (no SharedArrayBuffer or WebAssembly threads here)`,
    };
  }
  return { api: threads, twoThreads, reason: '' };
}

/**
 * Times one cell; `work` is the flops (or examples) of one run, so the rate is work per second.
 * A 'sinapse-wasm-2t' cell runs between useThreads(2) and useThreads(1), so every other cell runs
 * on one thread.
 */
async function measure(
  impl: Impl,
  prepare: (impl: Impl) => Prepared,
  work: number,
  threads: ThreadState,
  timing?: TimingOptions,
): Promise<ThroughputCell> {
  if (impl === 'tfjs-cpu') await tf.setBackend('cpu');
  if (impl === 'tfjs-wasm') await tf.setBackend('wasm');
  let inUse = 1;
  if (impl === 'sinapse-wasm-2t') inUse = await threads.api!.useThreads(2);
  let prepared: Prepared | null = null;
  try {
    if (impl === 'sinapse-wasm-2t' && inUse < 2) {
      return { rate: null, medianMs: null, reps: 0, note: `skipped: useThreads(2) gave ${inUse} thread` };
    }
    prepared = prepare(impl);
    const { medianMs, reps } = time(prepared.run, timing);
    return { rate: (work / medianMs) * 1000, medianMs, reps, ...(inUse > 1 && { threads: inUse }) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    let note = `failed: ${message}`;
    if (/not implemented yet/.test(message)) note = 'skipped: the Sinapse op is not implemented yet';
    const missing = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec(message);
    if (missing) note = `skipped: TF.js ${missing[2]} has no ${missing[1]} kernel`;
    return { rate: null, medianMs: null, reps: 0, note };
  } finally {
    prepared?.dispose();
    if (impl === 'sinapse-wasm-2t') await threads.api!.useThreads(1);
  }
}

/** The PyTorch cells of one case, from lenet.py's output ('pytorch-1t' and 'pytorch-2t'). */
function pytorchCells(results: PyTorchResults, key: string, unit: 'gflops' | 'examplesPerSecond') {
  const cells: Partial<Record<Impl, ThroughputCell>> = {};
  for (const [threads, impl] of [
    ['1', 'pytorch-1t'],
    ['2', 'pytorch-2t'],
  ] as const) {
    const cell = results.results[threads]?.cells[key];
    const rate = cell?.[unit];
    if (cell === undefined || rate === undefined) continue;
    cells[impl] = { rate, medianMs: cell.medianMs, reps: cell.reps, ...(threads === '2' && { threads: 2 }) };
  }
  return cells;
}

/** The commit the packages were built from, with '+' when the tree differs from it (read-only git), or null. */
function gitCommit(): string | null {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  if (head.status !== 0) return null;
  const clean = spawnSync('git', ['diff-index', '--quiet', 'HEAD', '--'], { stdio: 'ignore' }).status === 0;
  return `${head.stdout.trim()}${clean ? '' : '+'}`;
}

const WASM_BACKPROP_NOTE =
  "TF.js wasm has no Conv2DBackpropFilter kernel; the bench registers one (src/lenet.ts) built from the wasm backend's own Transpose and Conv2D kernels, so TF.js wasm conv fwd+bwd and training run on wasm kernels.";
const TFJS_WASM_THREADS_NOTE =
  "TF.js wasm runs single-threaded here: its multithreaded build needs SharedArrayBuffer with WebAssembly threads, i.e. a cross-origin-isolated browser page, or its own worker setup in Node, which the bench does not do. Compare it with the 'Sinapse wasm 1 thread' column.";

/** A case's key for BENCH_CASES: the one bench/pytorch/lenet.py uses. */
const keyOf = (c: { name: string; pytorch?: string }): string => c.pytorch ?? c.name;

async function main(): Promise<void> {
  const selection = readSelection([...cases, ...throughputCases].map(keyOf));
  const full = isFullRun(selection);
  const ptThreads = pytorchThreads(selection);
  const wasm = await initWasm();
  registerWasmConv2DBackpropFilter();
  const threads = await sinapseThreads();
  const python = ptThreads.length > 0 ? findPython() : null;
  const cpus = os.cpus();
  const machine = {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    date: new Date().toISOString(),
    loadAverageAtStart: os.loadavg().map((x) => Number(x.toFixed(2))),
    sinapse: {
      commit: gitCommit(),
      backends: sn.listBackends(),
      threads: { available: threads.api !== null, useThreads2: threads.twoThreads, reason: threads.reason || null },
    },
    tfjs: tf.version_core,
    tfjsWasm: wasm,
    // filled in after the PyTorch run: torch and Python versions, the BLAS library
    pytorch: null as (Omit<PyTorchResults, 'results'> & { numThreads: Record<string, number> }) | null,
  };
  console.log(
    `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB, Node ${machine.node}, Sinapse ${machine.sinapse.commit ?? '?'}, ` +
      `TF.js ${machine.tfjs} (wasm: SIMD ${wasm.simd ? 'on' : 'off'}, threads ${wasm.threads ? wasm.threadCount : 'off'}), ` +
      `load average ${machine.loadAverageAtStart.join(' ')}`,
  );
  console.log(
    threads.api !== null
      ? `Sinapse threads: useThreads(2) runs ${threads.twoThreads} threads`
      : `Sinapse threads: not available (${threads.reason}); the 'Sinapse wasm 2 threads' cells are skipped`,
  );
  console.log(
    python !== null
      ? `PyTorch: ${python} can import torch; it runs after the other cells`
      : process.env.BENCH_PYTHON === 'none' || ptThreads.length === 0
        ? `PyTorch: skipped (${ptThreads.length === 0 ? 'not in BENCH_IMPLS' : 'BENCH_PYTHON=none'})`
        : `PyTorch: not found (no python3 here can import torch), so no PyTorch columns; to add them: ${PYTORCH_INSTALL_HINT}`,
  );

  // 2-thread cells only where two threads really run
  // and only the implementations BENCH_IMPLS selects (src/select.ts)
  const implsOf = (impls: Impl[]) =>
    impls.filter((i) => (i !== 'sinapse-wasm-2t' || threads.api !== null) && implSelected(selection, i));
  if (!full) {
    console.log(
      `Selected: cases ${selection.cases === null ? 'all' : [...selection.cases].join(', ')}; ` +
        `implementations ${selection.impls === null ? 'all' : [...selection.impls].join(', ')} (results go to results/selected.*)`,
    );
  }
  const rows: Row[] = [];
  const started = performance.now();
  for (const c of cases.filter((c) => caseSelected(selection, keyOf(c)))) {
    const row: Row = { name: c.name, flops: c.flops, cells: {} };
    for (const impl of implsOf(c.impls)) {
      const { rate, ...rest } = await measure(impl, c.prepare, c.flops, threads);
      const cell: Cell = { gflops: rate === null ? null : rate / 1e9, ...rest };
      row.cells[impl] = cell;
      const shown = cell.gflops === null ? cell.note : `${cell.gflops.toFixed(2)} GFLOP/s (${cell.reps} reps)`;
      console.log(`  ${c.name.padEnd(48)} ${impl.padEnd(18)} ${shown}`);
    }
    rows.push(row);
  }
  const throughput: ThroughputRow[] = [];
  for (const c of throughputCases.filter((c) => caseSelected(selection, keyOf(c)))) {
    const row: ThroughputRow = { name: c.name, examples: c.examples, cells: {} };
    for (const impl of implsOf(c.impls)) {
      const cell = await measure(impl, c.prepare, c.examples, threads, c.timingFor?.[impl] ?? c.timing);
      row.cells[impl] = cell;
      const shown = cell.rate === null ? cell.note : `${cell.rate.toFixed(0)} examples/s (${cell.reps} reps)`;
      console.log(`  ${c.name.padEnd(48)} ${impl.padEnd(18)} ${shown}`);
    }
    throughput.push(row);
  }

  const pytorchNotes: string[] = [];
  if (python !== null) {
    try {
      const pt = runPyTorch(python, ptThreads);
      const { results, ...info } = pt;
      machine.pytorch = {
        ...info,
        numThreads: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.numThreads])),
      };
      for (const row of rows) {
        const key = cases.find((c) => c.name === row.name)?.pytorch;
        if (key === undefined) continue;
        for (const [impl, { rate, ...rest }] of Object.entries(pytorchCells(pt, key, 'gflops'))) {
          row.cells[impl as Impl] = { gflops: rate, ...rest };
        }
      }
      for (const row of throughput) {
        const key = throughputCases.find((c) => c.name === row.name)!.pytorch;
        Object.assign(row.cells, pytorchCells(pt, key, 'examplesPerSecond'));
      }
      pytorchNotes.push(
        `PyTorch ${pt.torch} ran in ${pt.executable} with OMP_WAIT_POLICY=${pt.ompWaitPolicy}` +
          (pt.ompWaitPolicy === 'PASSIVE'
            ? " (its threads sleep between parallel regions, as Sinapse's do; with libgomp's default spinning its 2-thread figures collapse whenever another process holds a core, see bench/pytorch/lenet.py)."
            : '.'),
      );
      if (onReferenceBlas(pt)) {
        pytorchNotes.push(
          `PyTorch's torch.mm (and its Linear layers) ran on the netlib reference BLAS (${pt.blas}), which is not what PyTorch normally uses: its matMul figures understate it. apt-get install libopenblas0-openmp gives it OpenBLAS.`,
        );
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      console.log(`PyTorch: the run failed (${message}); no PyTorch columns`);
      pytorchNotes.push(`PyTorch: the run failed (${message}).`);
    }
  } else if (ptThreads.length > 0) {
    pytorchNotes.push(`PyTorch not found, so no PyTorch columns (to add them: ${PYTORCH_INSTALL_HINT}).`);
  }
  const seconds = (performance.now() - started) / 1000;

  const table = markdownTable(rows);
  const table2 = throughputTable(throughput);
  const threadNote =
    threads.api !== null
      ? `Sinapse wasm 2 threads: useThreads(2) from @sinapse/tensor/node (the main thread and ${threads.twoThreads - 1} worker), then useThreads(1) (getNumThreads() ${sinapseNumThreads()}) for every other cell: Sinapse cpu, wasm 1 thread and reference run on 1 thread.`
      : `Sinapse threads: not available (${threads.reason}), so the 'Sinapse wasm 2 threads' cells are empty.`;
  const noteLines = [
    ...notes(rows),
    ...notes(throughput),
    threadNote,
    ...(wasm.threads ? [] : [TFJS_WASM_THREADS_NOTE]),
    WASM_BACKPROP_NOTE,
    ...pytorchNotes,
  ];
  // a selected run may have no GFLOP/s rows or no LeNet rows: print only the tables it has
  console.log(
    `\n${[rows.length > 0 ? table : '', throughput.length > 0 ? table2 : ''].filter(Boolean).join('\n\n')}\n`,
  );
  for (const line of noteLines) console.log(`note: ${line}`);
  console.log(`(${seconds.toFixed(0)} s)`);

  const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
  mkdirSync(resultsDir, { recursive: true });
  // a selected run leaves latest.* (the last full run) alone
  const outName = full ? 'latest' : 'selected';
  writeFileSync(
    join(resultsDir, `${outName}.json`),
    `${JSON.stringify({ machine, seconds, rows, throughput, notes: noteLines }, null, 2)}\n`,
  );
  const pt = machine.pytorch;
  const md = [
    '# Benchmark: Sinapse vs TF.js and PyTorch (GFLOP/s, higher is better)',
    '',
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB, ${machine.platform}; Node ${machine.node}; ${machine.date}`,
    `- Load average at start: ${machine.loadAverageAtStart.join(', ')} (other processes make the figures noisy)`,
    `- Sinapse ${machine.sinapse.commit ?? '(no git commit)'} ('+': with uncommitted changes); backends ${machine.sinapse.backends.join(', ')}; threads: ${threads.api !== null ? `useThreads(2) → ${threads.twoThreads}` : `not available (${threads.reason})`}`,
    `- TF.js ${machine.tfjs}; wasm backend: SIMD ${wasm.simd ? 'on' : 'off'}, multithreading ${wasm.threads ? `on (${wasm.threadCount} threads)` : 'off'}`,
    pt !== null
      ? `- PyTorch ${pt.torch} (Python ${pt.python}, ${pt.executable}); BLAS ${pt.blas ?? 'unknown'}; oneDNN ${pt.mkldnn ? 'on' : 'off'}; torch.set_num_threads 1 and 2; OMP_WAIT_POLICY=${pt.ompWaitPolicy}`
      : `- PyTorch: not run (${python === null ? 'not found' : 'failed'})`,
    '- Median of several runs after warm-up; matMul counts 2·n³ flops, conv2d 2·N·oh·ow·kh·kw·C·F per pass (3 passes for fwd+bwd).',
    '',
    table,
    '',
    '## LeNet-5 throughput (examples/s, higher is better)',
    '',
    '- Synthetic MNIST-shaped inputs [N, 28, 28, 1], random labels. Train: one SGD step (lr 0.01, sparse softmax cross-entropy) on a batch of 64, median over up to 30 steps after 3 warm-up steps (Sinapse reference: 3 to 5 steps after 1). Predict: 512 examples with batchSize 256, no gradients. TF.js runs the same network in tfjs-layers, PyTorch in torch.nn (NCHW).',
    '',
    table2,
    '',
    ...noteLines.map((l) => `- ${l}`),
    '',
  ].join('\n');
  writeFileSync(join(resultsDir, `${outName}.md`), md);
}

const USAGE = `Sinapse against TF.js (cpu, wasm) and PyTorch: GFLOP/s of matMul and conv2d, and LeNet-5's
training and inference examples/s; writes bench/results/latest.json and latest.md (about 3 minutes).

Usage: pnpm bench                    (from the repository root: builds the packages first)
       pnpm run bench                (in bench/, without building)

Options:
  -h, --help   print this and exit (there are no other options)

Environment:
  BENCH_PYTHON   the Python with torch for the PyTorch columns, or 'none' to skip them
                 (default: the first of python3 and /usr/bin/python3 that can import torch)`;

parseCommandLine('bench', USAGE, process.argv.slice(2), { help: HELP });
await main();
