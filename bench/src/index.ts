/**
 * Sinapse against TF.js, side by side, in one run:
 *   Sinapse ('cpu' backend, 'wasm' where WebAssembly SIMD exists, and 'reference' too for matMul
 *   256), TF.js 'cpu' and TF.js 'wasm'.
 * Prints a table of GFLOP/s with the ratios, then LeNet-5 training and inference throughput in
 * examples/s (src/lenet.ts), and writes results/latest.json and results/latest.md.
 *
 * Run from the repository root after building the tensor package (the bench imports its dist):
 *   cd packages/tensor && npx tsup && cd ../../bench && pnpm bench
 * A case whose Sinapse op is still a stub ('not implemented yet') is skipped with a note.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { cases, type Impl, type Prepared } from './cases';
import { registerWasmConv2DBackpropFilter, throughputCases } from './lenet';
import { type Cell, markdownTable, notes, type Row, type ThroughputRow, throughputTable } from './report';
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

/** Times one cell; `work` is the flops (or examples) of one run, so the rate is work per second. */
async function measure(impl: Impl, prepare: (impl: Impl) => Prepared, work: number, timing?: TimingOptions) {
  if (impl === 'tfjs-cpu') await tf.setBackend('cpu');
  if (impl === 'tfjs-wasm') await tf.setBackend('wasm');
  let prepared: Prepared | null = null;
  try {
    prepared = prepare(impl);
    const { medianMs, reps } = time(prepared.run, timing);
    return { rate: (work / medianMs) * 1000, medianMs, reps };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    let note = `failed: ${message}`;
    if (/not implemented yet/.test(message)) note = 'skipped: the Sinapse op is not implemented yet';
    const missing = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec(message);
    if (missing) note = `skipped: TF.js ${missing[2]} has no ${missing[1]} kernel`;
    return { rate: null, medianMs: null, reps: 0, note };
  } finally {
    prepared?.dispose();
  }
}

const WASM_BACKPROP_NOTE =
  "TF.js wasm has no Conv2DBackpropFilter kernel; the bench registers one (src/lenet.ts) built from the wasm backend's own Transpose and Conv2D kernels, so TF.js wasm conv fwd+bwd and training run on wasm kernels.";

async function main(): Promise<void> {
  const wasm = await initWasm();
  registerWasmConv2DBackpropFilter();
  const cpus = os.cpus();
  const machine = {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    date: new Date().toISOString(),
    loadAverageAtStart: os.loadavg().map((x) => Number(x.toFixed(2))),
    tfjs: tf.version_core,
    tfjsWasm: wasm,
  };
  console.log(
    `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, TF.js ${machine.tfjs} ` +
      `(wasm: SIMD ${wasm.simd ? 'on' : 'off'}, threads ${wasm.threads ? wasm.threadCount : 'off'}), ` +
      `load average ${machine.loadAverageAtStart.join(' ')}`,
  );

  const rows: Row[] = [];
  const started = performance.now();
  for (const c of cases) {
    const row: Row = { name: c.name, flops: c.flops, cells: {} };
    for (const impl of c.impls) {
      const { rate, ...rest } = await measure(impl, c.prepare, c.flops);
      const cell: Cell = { gflops: rate === null ? null : rate / 1e9, ...rest };
      row.cells[impl] = cell;
      const shown = cell.gflops === null ? cell.note : `${cell.gflops.toFixed(2)} GFLOP/s (${cell.reps} reps)`;
      console.log(`  ${c.name.padEnd(48)} ${impl.padEnd(18)} ${shown}`);
    }
    rows.push(row);
  }
  const throughput: ThroughputRow[] = [];
  for (const c of throughputCases) {
    const row: ThroughputRow = { name: c.name, examples: c.examples, cells: {} };
    for (const impl of c.impls) {
      const cell = await measure(impl, c.prepare, c.examples, c.timing);
      row.cells[impl] = cell;
      const shown = cell.rate === null ? cell.note : `${cell.rate.toFixed(0)} examples/s (${cell.reps} reps)`;
      console.log(`  ${c.name.padEnd(48)} ${impl.padEnd(18)} ${shown}`);
    }
    throughput.push(row);
  }
  const seconds = (performance.now() - started) / 1000;

  const table = markdownTable(rows);
  const table2 = throughputTable(throughput);
  const noteLines = [...notes(rows), ...notes(throughput), WASM_BACKPROP_NOTE];
  console.log(`\n${table}\n\n${table2}\n`);
  for (const line of noteLines) console.log(`note: ${line}`);
  console.log(`(${seconds.toFixed(0)} s)`);

  const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    join(resultsDir, 'latest.json'),
    `${JSON.stringify({ machine, seconds, rows, throughput }, null, 2)}\n`,
  );
  const md = [
    '# Benchmark: Sinapse vs TF.js (GFLOP/s, higher is better)',
    '',
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.platform}; Node ${machine.node}; ${machine.date}`,
    `- Load average at start: ${machine.loadAverageAtStart.join(', ')} (other processes make the figures noisy)`,
    `- TF.js ${machine.tfjs}; wasm backend: SIMD ${wasm.simd ? 'on' : 'off'}, multithreading ${wasm.threads ? `on (${wasm.threadCount} threads)` : 'off'}`,
    '- Median of several runs after warm-up; matMul counts 2·n³ flops, conv2d 2·N·oh·ow·kh·kw·C·F per pass (3 passes for fwd+bwd).',
    '',
    table,
    '',
    '## LeNet-5 throughput (examples/s, higher is better)',
    '',
    '- Synthetic MNIST-shaped inputs [N, 28, 28, 1], random labels. Train: one SGD step (lr 0.01, sparse softmax cross-entropy) on a batch of 64, median over up to 30 steps after 3 warm-up steps. Predict: 512 examples with batchSize 256, no gradients. TF.js runs the same network in tfjs-layers.',
    '',
    table2,
    '',
    ...noteLines.map((l) => `- ${l}`),
    '',
  ].join('\n');
  writeFileSync(join(resultsDir, 'latest.md'), md);
}

await main();
