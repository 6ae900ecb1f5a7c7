/**
 * Sinapse against TF.js, side by side, in one run:
 *   Sinapse ('cpu' backend, 'wasm' where WebAssembly SIMD exists, and 'reference' too for matMul
 *   256), TF.js 'cpu' and TF.js 'wasm'.
 * Prints a table of GFLOP/s with the ratios, and writes results/latest.json and results/latest.md.
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
import { cases, type Impl } from './cases';
import { type Cell, markdownTable, notes, type Row } from './report';
import { time } from './timing';

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

async function measure(impl: Impl, prepare: (impl: Impl) => { run: () => void; dispose: () => void }, flops: number) {
  if (impl === 'tfjs-cpu') await tf.setBackend('cpu');
  if (impl === 'tfjs-wasm') await tf.setBackend('wasm');
  let prepared: ReturnType<typeof prepare> | null = null;
  try {
    prepared = prepare(impl);
    const { medianMs, reps } = time(prepared.run);
    return { gflops: flops / medianMs / 1e6, medianMs, reps } satisfies Cell;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    let note = `failed: ${message}`;
    if (/not implemented yet/.test(message)) note = 'skipped: the Sinapse op is not implemented yet';
    const missing = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec(message);
    if (missing) note = `skipped: TF.js ${missing[2]} has no ${missing[1]} kernel`;
    return { gflops: null, medianMs: null, reps: 0, note } satisfies Cell;
  } finally {
    prepared?.dispose();
  }
}

async function main(): Promise<void> {
  const wasm = await initWasm();
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
      const cell = await measure(impl, c.prepare, c.flops);
      row.cells[impl] = cell;
      const shown = cell.gflops === null ? cell.note : `${cell.gflops.toFixed(2)} GFLOP/s (${cell.reps} reps)`;
      console.log(`  ${c.name.padEnd(48)} ${impl.padEnd(18)} ${shown}`);
    }
    rows.push(row);
  }
  const seconds = (performance.now() - started) / 1000;

  const table = markdownTable(rows);
  const noteLines = notes(rows);
  console.log(`\n${table}\n`);
  for (const line of noteLines) console.log(`note: ${line}`);
  console.log(`(${seconds.toFixed(0)} s)`);

  const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify({ machine, seconds, rows }, null, 2)}\n`);
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
    ...noteLines.map((l) => `- ${l}`),
    '',
  ].join('\n');
  writeFileSync(join(resultsDir, 'latest.md'), md);
}

await main();
