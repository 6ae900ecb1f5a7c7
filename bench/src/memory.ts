/**
 * Memory stays flat while training: no graph or allocation growth from one epoch to the next.
 *
 * Trains LeNet-5 (`lenet5()` with `fit` from @sinapse/train, SGD with momentum, shuffling, a
 * validation pass each epoch) on synthetic MNIST-shaped data for 10 short epochs (40 batches of 64
 * by default), prints process.memoryUsage() after every epoch, and ends with a verdict comparing
 * the last epochs with the first (Note [Tolerances]). Exits with 1 when memory grows.
 *
 *   pnpm bench:memory                  both runs below, each in its own process
 *   pnpm bench:memory --threads 1      the default backend ('wasm' where it exists) on one thread
 *   pnpm bench:memory --threads 2      the same after useThreads(2) (skipped where threads are unavailable)
 *   options: --epochs 10 --batches 40 --batch-size 64 --backend wasm|cpu|reference
 *   --simulate-leak  keeps one [batch, 10] tensor per step (the logits' size, the smallest leak
 *                    the check is meant to catch), to see the verdict say GROWING
 *
 * Run with --expose-gc (the package script does): a full collection before each reading makes it
 * count what is still reachable, not garbage that has not been collected yet.
 *
 * Note [Tolerances]
 * The state before training is not the baseline: the first epochs allocate what is then reused
 * for the rest of the run (optimizer momentum, the wasm memory grown to the largest operand,
 * JIT-compiled code, worker threads, pages the allocator keeps), and rss can still step up in
 * epoch 2. So the verdict compares the mean of the last 3 epochs with the mean of the first 3
 * (epochs 8–10 against 1–3 in a 10-epoch run: 7 epochs of growth apart):
 *   - arrayBuffers (tensor data lives in ArrayBuffers): at most 0.5 MiB. A retained training graph
 *     would keep ~3.7 MB of activations per step (conv1's output alone is 64·28·28·6·4 bytes =
 *     1.2 MB), ~150 MB per epoch; and even the smallest per-step tensor, the logits [64, 10]
 *     (2.5 KB), leaked every step adds 40 · 2.5 KB = 100 KB per epoch, ~0.7 MB over 7 epochs,
 *     above the tolerance. Without a leak this figure does not move at all (0.0 MB).
 *   - heapUsed (JS objects: Tensor wrappers, graph nodes, closures): at most 2 MiB, for V8's own
 *     variation after a full GC (optimized code, inline caches: a few hundred KB here). A leaked
 *     graph is caught above, by the buffers it keeps alive.
 *   - rss (the whole process, worker threads included): at most 20% of the first epochs' or
 *     32 MiB, whichever is larger. The allocator and V8 keep freed pages around, so rss moves by
 *     up to ~15 MB between epochs without any leak (seen here: +8 to +15 MB in one run, flat over
 *     40 epochs in another); a leak of ~5 MB per epoch or more (a single retained step graph is
 *     3.7 MB) exceeds it. Leaks of tensor data are caught far more precisely by arrayBuffers.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { lenet5 } from '@sinapse/models';
import * as sn from '@sinapse/tensor';
import { fit, SGD } from '@sinapse/train';
import { HELP, parseCommandLine } from './cli';
import { loadSinapseThreads, sinapseNumThreads } from './threads';

const MiB = 2 ** 20;
const TOLERANCE = { arrayBuffers: 0.5 * MiB, heapUsed: 2 * MiB, rssFraction: 0.2, rssMin: 32 * MiB };
/** Epochs averaged at each end of the run. */
const WINDOW = 3;
const READ_ROUNDS = 4;

interface Reading {
  epoch: number;
  seconds: number;
  loss: number | null;
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

const USAGE = `Memory stays flat while training: LeNet-5 trained on synthetic MNIST-shaped data, with
process.memoryUsage() after every epoch and a verdict (exit code 1 when memory grows).

Usage: pnpm bench:memory [options]   (from the repository root: builds the packages first)
       pnpm run bench:memory         (in bench/, without building)

Options:
  --threads N        run once, on N threads (default: two runs, 1 thread and 2, each in its own process)
  --epochs N         epochs (default 10)
  --batches N        batches per epoch (default 40)
  --batch-size N     examples per batch (default 64)
  --backend NAME     wasm, cpu or reference (default: wasm where it exists, else cpu)
  --simulate-leak    keep one [batch, 10] tensor per step, to see the verdict say GROWING (default off)
  -h, --help         print this and exit`;

const { values } = parseCommandLine('bench:memory', USAGE, process.argv.slice(2), {
  threads: { type: 'string' },
  epochs: { type: 'string', default: '10' },
  batches: { type: 'string', default: '40' },
  'batch-size': { type: 'string', default: '64' },
  backend: { type: 'string' },
  'simulate-leak': { type: 'boolean', default: false },
  help: HELP,
});

const gc = (globalThis as { gc?: () => void }).gc;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * process.memoryUsage() after full collections. V8 frees the memory of dead ArrayBuffers on a
 * background thread after a collection, so one gc() can leave some counted: the reading is the
 * smallest of a few rounds of gc() and a short wait, which never hides memory that is still
 * reachable (it is counted in every round).
 */
async function read(epoch: number, seconds: number, loss: number | null): Promise<Reading> {
  const r: Reading = {
    epoch,
    seconds,
    loss,
    rss: Infinity,
    heapUsed: Infinity,
    external: Infinity,
    arrayBuffers: Infinity,
  };
  for (let round = 0; round < (gc ? READ_ROUNDS : 1); round++) {
    gc?.();
    await sleep(10);
    const m = process.memoryUsage();
    r.rss = Math.min(r.rss, m.rss);
    r.heapUsed = Math.min(r.heapUsed, m.heapUsed);
    r.external = Math.min(r.external, m.external);
    r.arrayBuffers = Math.min(r.arrayBuffers, m.arrayBuffers);
  }
  return r;
}

const mb = (bytes: number) => (bytes / MiB).toFixed(1);
const signed = (bytes: number) => `${bytes >= 0 ? '+' : '−'}${mb(Math.abs(bytes))} MB`;

function printReading(r: Reading): void {
  const cells = [
    String(r.epoch).padStart(5),
    (r.epoch === 0 ? '' : `${r.seconds.toFixed(1)}s`).padStart(6),
    (r.loss === null ? '' : r.loss.toFixed(4)).padStart(7),
    mb(r.rss).padStart(8),
    mb(r.heapUsed).padStart(11),
    mb(r.external).padStart(11),
    mb(r.arrayBuffers).padStart(15),
  ];
  console.log(`${cells.join('  ')}${r.epoch === 0 ? '  (before training)' : ''}`);
}

/** The verdict of Note [Tolerances]: true when flat. */
function verdict(readings: Reading[]): boolean {
  const trained = readings.filter((r) => r.epoch > 0);
  const k = Math.min(WINDOW, Math.floor(trained.length / 2));
  const first = trained.slice(0, k);
  const last = trained.slice(-k);
  const mean = (rs: Reading[], key: 'rss' | 'heapUsed' | 'arrayBuffers') =>
    rs.reduce((s, r) => s + r[key], 0) / rs.length;
  const delta = (key: 'rss' | 'heapUsed' | 'arrayBuffers') => mean(last, key) - mean(first, key);
  const rssTolerance = Math.max(TOLERANCE.rssFraction * mean(first, 'rss'), TOLERANCE.rssMin);
  const checks = [
    { name: 'arrayBuffers', delta: delta('arrayBuffers'), tolerance: TOLERANCE.arrayBuffers },
    { name: 'heapUsed', delta: delta('heapUsed'), tolerance: TOLERANCE.heapUsed },
    { name: 'rss', delta: delta('rss'), tolerance: rssTolerance },
  ];
  const flat = checks.every((c) => c.delta <= c.tolerance);
  const span = (rs: Reading[]) => (rs.length === 1 ? `${rs[0]!.epoch}` : `${rs[0]!.epoch}–${rs[rs.length - 1]!.epoch}`);
  console.log(
    `memory ${flat ? 'FLAT' : 'GROWING'}: epochs ${span(last)} vs ${span(first)}: ` +
      checks
        .map(
          (c) =>
            `${c.name} ${signed(c.delta)} (tolerance ${mb(c.tolerance)} MB${c.delta > c.tolerance ? ', EXCEEDED' : ''})`,
        )
        .join(', '),
  );
  return flat;
}

async function runOne(threadCount: number): Promise<number> {
  const epochs = Number(values.epochs);
  const batches = Number(values.batches);
  const batchSize = Number(values['batch-size']);
  if (values.backend !== undefined) sn.setBackend(values.backend);
  let useThreads: ((n: number) => Promise<number>) | null = null;
  if (threadCount > 1) {
    const { threads, reason } = await loadSinapseThreads();
    if (threads === null) {
      console.log(`Sinapse threads: not available (${reason}); the ${threadCount}-thread run is skipped.`);
      return 0;
    }
    const inUse = await threads.useThreads(threadCount);
    if (inUse < threadCount) {
      await threads.useThreads(1);
      console.log(
        `Sinapse threads: useThreads(${threadCount}) gave ${inUse}; the ${threadCount}-thread run is skipped.`,
      );
      return 0;
    }
    useThreads = (n) => threads.useThreads(n);
  }
  console.log(
    `LeNet-5, backend ${sn.getBackend().name}, ${sinapseNumThreads()} thread${sinapseNumThreads() === 1 ? '' : 's'}: ` +
      `${epochs} epochs of ${batches} batches of ${batchSize}, fit with SGD (momentum 0.9) and a validation pass` +
      `${gc ? '; full GC before each reading' : '; WARNING: no --expose-gc, readings include uncollected garbage'}`,
  );

  const g = new sn.Generator(5);
  sn.seed(5);
  const n = batches * batchSize;
  const x = sn.randn([n, 28, 28, 1], { generator: g });
  const y = sn.randInt([n], 0, 10, { generator: g });
  const xVal = sn.randn([512, 28, 28, 1], { generator: g });
  const yVal = sn.randInt([512], 0, 10, { generator: g });
  const model = lenet5();

  console.log('epoch    time     loss   rss MB  heapUsed MB  external MB  arrayBuffers MB');
  const readings: Reading[] = [await read(0, 0, null)];
  printReading(readings[0]!);
  let epochStart = 0;
  const leaked: sn.Tensor[] = [];
  await fit(
    model,
    { x, y },
    {
      epochs,
      batchSize,
      optimizer: new SGD({ learningRate: 0.01, momentum: 0.9 }),
      loss: 'sparseSoftmaxCrossEntropy',
      validationData: { x: xVal, y: yVal },
      callbacks: [
        {
          onEpochBegin() {
            epochStart = performance.now();
          },
          onBatchEnd() {
            if (values['simulate-leak']) leaked.push(sn.zeros([batchSize, 10]));
          },
          async onEpochEnd(epoch, logs) {
            const r = await read(epoch + 1, (performance.now() - epochStart) / 1000, logs.loss ?? null);
            readings.push(r);
            printReading(r);
          },
        },
      ],
    },
  );
  const flat = epochs >= 2 ? verdict(readings) : true;
  if (useThreads !== null) await useThreads(1);
  return flat ? 0 : 1;
}

if (values.threads !== undefined) {
  process.exitCode = await runOne(Number(values.threads));
} else {
  // both configurations, each in a fresh process so that one's memory does not count in the other's
  const forwarded = process.argv.slice(2);
  let failed = false;
  for (const threads of [1, 2]) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--threads', String(threads), ...forwarded],
      { stdio: 'inherit' },
    );
    if (child.status !== 0) failed = true;
    if (threads === 1) console.log('');
  }
  process.exitCode = failed ? 1 : 0;
}
