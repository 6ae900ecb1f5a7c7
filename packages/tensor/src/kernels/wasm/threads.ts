/**
 * Both cores: the wasm backend's matrix products split between the calling thread and worker
 * threads that share its WebAssembly memory.
 *
 * Note [Splitting a GEMM between threads]
 * C = op(A)·op(B) is [m, n]. With T threads, thread t computes one block of C's rows (or, when C
 * is wider than tall, of its columns) in place, reading the matching rows of op(A) (columns of
 * op(B)) straight from the full operands: sgemm takes BLAS-style leading dimensions for exactly
 * this (assembly/gemm.ts). Blocks are whole micro-tiles (rows in multiples of MR = 4, columns of
 * NR = 8), dealt out as evenly as the tiles allow. Each element of C is then computed by one
 * thread, over k in the same order as on one thread, so the result is bit for bit the single-
 * threaded one, for any number of threads: training with a seed stays reproducible.
 * Each thread packs its own A and B blocks into its own workspace (one per thread, see the memory
 * map in ./runtime.ts); splitting rows means both threads pack all of op(B), a cost of k·n next
 * to the m·n·k/T multiply-adds each does.
 * Products under MIN_PARALLEL_FLOPS run on the calling thread alone: waking a worker costs tens
 * of microseconds, and every thread packs its own copy of op(B), so below about 8 MFLOP (a quarter
 * of a millisecond on one core) splitting loses: LeNet's 64×400×120 dense layer takes 0.18 ms on
 * one thread and 0.22 ms on two.
 *
 * Note [Worker protocol]
 * No messages per call: the threads talk through a small SharedArrayBuffer of int32 counters, one
 * 64-byte slot (a cache line) per worker, with Atomics:
 *   slot[REQUEST]  bumped by the main thread when a task is ready;  the worker sleeps on it;
 *   slot[DONE]     set to the request number by the worker when the task is finished;
 *   slot[STATUS]   0 ok, 1 ready (after start-up), 2 the task threw;
 *   slot[OP]       0 stop, else 1 + the index of the task's export in TASKS;
 *   slot[ARGS ..]  the task's int32 arguments (at most 12).
A task is one call of a module export: `sgemm` on a block of C, or one of the convolution tasks
of Note [Convolution tasks] (assembly/conv2d.ts) on a range of rows.
 * The main thread writes a task, bumps REQUEST and notifies; runs its own block; then sleeps on
 * DONE until the worker catches up (Atomics.wait; browsers forbid sleeping on the main thread,
 * so there it spins on Atomics.load instead). The store/notify and wait/load pairs order the
 * memory accesses, so the worker sees the operands the main thread copied in, and the main
 * thread sees the C block the worker wrote.
 *
 * Workers are started by an adapter that knows the platform's threads: `useThreads(n)` from
 * '@sinapse/tensor/node' (worker_threads) or `useWebWorkers(n)` below (browsers). Each worker
 * runs `workerMain` (./threadWorker.ts), receives the compiled module and the shared memory in
 * one start message, and instantiates the module over that memory.
 * Where SharedArrayBuffer or WebAssembly threads are missing (for example a browser page that is
 * not cross-origin isolated), starting threads returns 1 and everything keeps running on one.
 */

import { ValueError } from '../../errors';
import {
  globalWasm,
  instantiate,
  type KernelExports,
  reserve,
  restorePrivateInstance,
  useSharedInstance,
  type WasmApi,
  type WasmMemory,
  wasmBytes,
  wasmKernel,
  workspace,
} from './runtime';
import { type WorkerStart, workerMain } from './threadWorker';

/** The slot offsets of Note [Worker protocol] (int32 indices within a worker's slot). */
export const SLOT = { size: 16, request: 0, done: 1, status: 2, op: 3, args: 4 } as const;
const OP_STOP = 0;
/** The exports a worker can run; a task's op is 1 + its index here. */
export const TASKS = [
  'sgemm',
  'convForward',
  'convBackpropInput',
  'convBackpropFilter',
  'convForwardDirect',
  'maxPool2d',
  'maxPool2dBackward',
] as const;
export type TaskName = (typeof TASKS)[number];
const STATUS_READY = 1;
const STATUS_FAILED = 2;

/** Below this many flops (2·m·n·k, or a whole convolution's), one thread does all the work (see the Note). */
export const MIN_PARALLEL_FLOPS = 1 << 23;
const MR = 4;
const NR = 8;

/** What an adapter's worker handle must offer: Node's Worker and the browser's both do. */
export interface WorkerHandle {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

export interface StartOptions {
  /** The WebAssembly object to use (tests pass one without threads); default: the engine's. */
  wasm?: WasmApi | null;
  /** How long to wait for the workers to start before giving up on them (default 20 s). */
  startTimeoutMs?: number;
}

/** Starts one worker running `source`, a JS expression of a function (start, close) => void. */
export type SpawnWorker = (source: string) => WorkerHandle;

interface Pool {
  workers: WorkerHandle[];
  control: Int32Array;
  /** The request number of the last task sent to each worker. */
  requests: number[];
  /** Whether this thread may block in Atomics.wait (not a browser's main thread). */
  canBlock: boolean;
}

let pool: Pool | null = null;
let sharedModule: { api: WasmApi; module: unknown } | null = null;

/** The number of threads the wasm kernels use (1 unless threads were started). */
export function getNumThreads(): number {
  return pool === null ? 1 : pool.workers.length + 1;
}

/** The source a worker evaluates: workerMain as a function expression (it uses only globals). */
export function workerSource(): string {
  return `(${workerMain.toString()})`;
}

function sharedMemorySupported(api: WasmApi | null): api is WasmApi & Required<Pick<WasmApi, 'Memory'>> {
  return (
    api !== null &&
    typeof api.Memory === 'function' &&
    typeof SharedArrayBuffer === 'function' &&
    typeof Atomics === 'object' &&
    wasmKernel() !== null
  );
}

/**
 * The thread count of `op` (startThreads, useThreads, useWebWorkers), checked.
 * @throws ValueError unless it is a whole number ≥ 1.
 */
export function checkThreadCount(op: string, count: number): void {
  if (!Number.isInteger(count) || count < 1) {
    throw new ValueError(`${op}: the thread count must be a whole number ≥ 1, but got ${count}`);
  }
}

/**
 * Runs the wasm kernels on `count` threads: this one and count − 1 workers made by `spawn`.
 * Returns the number of threads now in use, which is 1 (and nothing started) when WebAssembly
 * threads or SharedArrayBuffer are unavailable or a worker fails to start. count = 1 stops the
 * workers. Results are identical for any thread count (Note [Splitting a GEMM between threads]).
 * @throws ValueError unless count is a whole number ≥ 1.
 */
export async function startThreads(count: number, spawn: SpawnWorker, options: StartOptions = {}): Promise<number> {
  const { wasm: api = globalWasm(), startTimeoutMs = 20_000 } = options;
  checkThreadCount('startThreads', count);
  stopThreads();
  if (count === 1 || !sharedMemorySupported(api)) return 1;
  let memory: WasmMemory;
  let module: unknown;
  try {
    memory = new api.Memory({ initial: 1, maximum: 65536, shared: true });
    // compiled once per engine: V8 first runs new wasm code with its baseline compiler and
    // optimizes the hot functions as they run, so a module reused across useThreads calls stays fast
    if (sharedModule === null || sharedModule.api !== api)
      sharedModule = { api, module: await api.compile(wasmBytes(true)) };
    module = sharedModule.module;
  } catch {
    return 1; // e.g. SharedArrayBuffer exists but shared wasm memories are refused
  }
  const control = new Int32Array(new SharedArrayBuffer(4 * SLOT.size * (count - 1)));
  const workers: WorkerHandle[] = [];
  try {
    useSharedInstance(await instantiate(api, module, { env: { memory } }), memory, count);
    const g = wasmKernel() as KernelExports;
    // (this error and waitUntilReady's are caught just below: threads that cannot start mean 1 thread)
    if (!reserve(workspace(g, count))) throw new Error('no memory for the workspaces');
    for (let t = 1; t < count; t++) {
      const worker = spawn(workerSource());
      workers.push(worker);
      const start: WorkerStart = {
        module,
        memory,
        control: control.buffer as SharedArrayBuffer,
        index: t - 1,
        slot: SLOT,
        tasks: [...TASKS],
      };
      worker.postMessage(start);
    }
    await waitUntilReady(control, count - 1, startTimeoutMs);
  } catch {
    for (const w of workers) w.terminate();
    restorePrivateInstance();
    return 1;
  }
  pool = { workers, control, requests: new Array<number>(count - 1).fill(0), canBlock: canBlockHere(control) };
  return count;
}

/** Stops the workers (if any) and goes back to the single-threaded module. */
export function stopThreads(): void {
  if (pool === null) return;
  const { workers, control } = pool;
  for (let w = 0; w < workers.length; w++) {
    const base = w * SLOT.size;
    control[base + SLOT.op] = OP_STOP;
    Atomics.add(control, base + SLOT.request, 1);
    Atomics.notify(control, base + SLOT.request);
  }
  pool = null;
  restorePrivateInstance();
}

/** Resolves once every worker has instantiated the module and set its status to ready. */
async function waitUntilReady(control: Int32Array, workers: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let ready = 0;
    for (let w = 0; w < workers; w++) if (Atomics.load(control, w * SLOT.size + SLOT.status) === STATUS_READY) ready++;
    if (ready === workers) return;
    if (Date.now() > deadline) throw new Error(`startThreads: the workers did not start within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Atomics.wait throws on a browser's main thread; elsewhere a 0 ms wait just returns. */
function canBlockHere(control: Int32Array): boolean {
  try {
    Atomics.wait(control, 0, -1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * C = op(A)·op(B) (assembly/gemm.ts's sgemm, same arguments without the workspace), split between
 * the threads by Note [Splitting a GEMM between threads]. Byte addresses; leading dims in floats.
 */
// biome-ignore format: BLAS order, as sgemm
export function parallelSgemm(
  g: KernelExports, a: number, lda: number, b: number, ldb: number, c: number, ldc: number,
  m: number, n: number, k: number, tA: number, tB: number,
): void {
  const p = pool;
  const threads = p === null ? 1 : p.workers.length + 1;
  if (p === null || 2 * m * n * k < MIN_PARALLEL_FLOPS) {
    g.sgemm(a, lda, b, ldb, c, ldc, m, n, k, tA, tB, workspace(g, 0));
    return;
  }
  // split the longer side of C, in whole micro-tiles
  const byRows = m >= n;
  const tile = byRows ? MR : NR;
  const tiles = Math.ceil((byRows ? m : n) / tile);
  const parts = Math.min(threads, tiles);
  // thread t gets tiles [first(t), first(t+1)): the first (tiles mod parts) threads one more
  const first = (t: number) => t * Math.floor(tiles / parts) + Math.min(t, tiles % parts);
  for (let t = 1; t < parts; t++) {
    const from = first(t) * tile;
    const to = Math.min(first(t + 1) * tile, byRows ? m : n);
    if (byRows) {
      // rows [from, to) of C and op(A): op(A)'s row i starts at a + i·(tA ? 1 : lda) floats
      const aRow = a + from * (tA ? 1 : lda) * 4;
      send(p, t - 1, [aRow, lda, b, ldb, c + from * ldc * 4, ldc, to - from, n, k, tA, tB, workspace(g, t)]);
    } else {
      // columns [from, to) of C and op(B): op(B)'s column j starts at b + j·(tB ? ldb : 1) floats
      const bCol = b + from * (tB ? ldb : 1) * 4;
      send(p, t - 1, [a, lda, bCol, ldb, c + from * 4, ldc, m, to - from, k, tA, tB, workspace(g, t)]);
    }
  }
  const end0 = Math.min(first(1) * tile, byRows ? m : n);
  if (byRows) g.sgemm(a, lda, b, ldb, c, ldc, end0, n, k, tA, tB, workspace(g, 0));
  else g.sgemm(a, lda, b, ldb, c, ldc, m, end0, k, tA, tB, workspace(g, 0));
  for (let t = 1; t < parts; t++) finish(p, t - 1);
}

/**
 * Runs the export `task` on `parts` threads (at most getNumThreads()): part 0 on this thread,
 * part t on worker t − 1, each with its own arguments args(t). Returns when all are done.
 */
export function runParallel(g: KernelExports, task: TaskName, parts: number, args: (t: number) => number[]): void {
  const p = pool;
  const run = g[task] as (...a: number[]) => void;
  if (p === null || parts <= 1) {
    run(...args(0));
    return;
  }
  for (let t = 1; t < parts; t++) send(p, t - 1, args(t), 1 + TASKS.indexOf(task));
  run(...args(0));
  for (let t = 1; t < parts; t++) finish(p, t - 1);
}

/** Hands worker w a task (Note [Worker protocol]). */
function send(p: Pool, w: number, args: number[], op = 1 + TASKS.indexOf('sgemm')): void {
  const base = w * SLOT.size;
  p.control[base + SLOT.op] = op;
  for (let i = 0; i < args.length; i++) p.control[base + SLOT.args + i] = args[i]!;
  const request = ++p.requests[w]!;
  Atomics.store(p.control, base + SLOT.request, request);
  Atomics.notify(p.control, base + SLOT.request);
}

/** Waits until worker w has finished its task; throws if the task failed. */
function finish(p: Pool, w: number): void {
  const base = w * SLOT.size;
  const request = p.requests[w]!;
  for (;;) {
    const done = Atomics.load(p.control, base + SLOT.done);
    if (done === request) break;
    if (p.canBlock) Atomics.wait(p.control, base + SLOT.done, done);
  }
  if (Atomics.load(p.control, base + SLOT.status) === STATUS_FAILED) {
    // not a user mistake (the arguments were checked by the op): the worker itself broke, so a plain Error
    throw new Error(`wasm backend: worker thread ${w + 1} failed while running a kernel`);
  }
}

/**
 * Browsers: runs the wasm kernels on `count` threads with Web Workers (built from a Blob, so no
 * extra file to serve). Needs a cross-origin-isolated page (SharedArrayBuffer); elsewhere it
 * returns 1 and the kernels stay single-threaded. In Node use `useThreads` from '@sinapse/tensor/node'.
 *
 * @example
 * await useWebWorkers(navigator.hardwareConcurrency);
 */
export async function useWebWorkers(count: number): Promise<number> {
  checkThreadCount('useWebWorkers', count);
  const scope = globalThis as {
    Worker?: new (url: string) => WorkerHandle;
    Blob?: new (parts: string[], options: { type: string }) => unknown;
    URL?: { createObjectURL(blob: unknown): string };
  };
  const { Worker, Blob, URL } = scope;
  if (count > 1 && (Worker === undefined || Blob === undefined || URL === undefined)) return 1;
  return startThreads(count, (source) => {
    const code = `self.onmessage = (event) => { self.onmessage = null; ${source}(event.data, () => self.close()); };`;
    const url = (URL as { createObjectURL(blob: unknown): string }).createObjectURL(
      new (Blob as new (parts: string[], options: { type: string }) => unknown)([code], { type: 'text/javascript' }),
    );
    return new (Worker as new (url: string) => WorkerHandle)(url);
  });
}
