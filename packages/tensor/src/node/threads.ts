/**
 * Node's side of the wasm backend's threads: worker_threads workers that run `workerMain`
 * (Note [Worker protocol] in ../kernels/wasm/threads.ts). Kept out of the core so that the core
 * never imports a Node module and runs unchanged in browsers (which use `useWebWorkers`).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { checkThreadCount, startThreads } from '../kernels/wasm/threads';

/**
 * Runs the wasm kernels (matrix products and the convolutions' products) on `count` threads:
 * this one and count − 1 worker threads sharing its WebAssembly memory. The default is one per
 * core. Returns the number of threads now in use: 1 where WebAssembly threads or SharedArrayBuffer
 * are unavailable (or the active backend's kernels are not loaded), in which case everything
 * keeps working on one thread. `useThreads(1)` stops the workers. Results do not depend on the
 * thread count: each output element is computed by one thread, in the same order.
 *
 * The workers do not keep the process alive: a script ends when its own work is done.
 * @throws ValueError unless count is a whole number ≥ 1.
 *
 * @example
 * import { useThreads } from '@sinapse/tensor/node';
 * const threads = await useThreads(2); // 2 on a machine with WebAssembly threads, else 1
 */
export async function useThreads(count: number = availableParallelism()): Promise<number> {
  checkThreadCount('useThreads', count);
  return startThreads(count, (source) => {
    // eval: the worker's script is this string, run as CommonJS (so `require` exists)
    const code = `const { parentPort } = require('node:worker_threads');
parentPort.once('message', (start) => ${source}(start, () => parentPort.close()));`;
    const worker = new Worker(code, { eval: true });
    worker.unref();
    return worker;
  });
}
