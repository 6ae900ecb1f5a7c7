/**
 * What a worker thread runs (Note [Worker protocol] in ./threads.ts). This function is sent to the
 * worker as source text (`workerMain.toString()`), so it must not refer to anything outside its
 * own body but the engine's globals (WebAssembly, Atomics, Int32Array): no imports, no helpers.
 */

/** The one message a worker receives: everything it needs to run kernels over the shared memory. */
export interface WorkerStart {
  /** The compiled shared-memory variant of the kernels (a WebAssembly.Module). */
  module: unknown;
  /** The shared WebAssembly.Memory, imported by the module as env.memory. */
  memory: unknown;
  /** The control block of int32 counters. */
  control: SharedArrayBuffer;
  /** Which slot of the control block is this worker's. */
  index: number;
  /** Offsets within a slot (threads.ts's SLOT). */
  slot: { size: number; request: number; done: number; status: number; op: number; args: number };
  /** The exports a task may call: op o runs tasks[o − 1] (threads.ts's TASKS). */
  tasks: string[];
}

/** Instantiates the kernels over the shared memory, then serves tasks until told to stop. */
export function workerMain(start: WorkerStart, close: () => void): void {
  type Task = (...args: number[]) => void;
  const wasm = (
    globalThis as unknown as { WebAssembly: { Instance: new (m: unknown, i: object) => { exports: unknown } } }
  ).WebAssembly;
  const instance = new wasm.Instance(start.module, { env: { memory: start.memory } });
  const exports = instance.exports as Record<string, Task>;
  const tasks = start.tasks.map((name) => exports[name]!);
  const control = new Int32Array(start.control);
  const base = start.index * start.slot.size;
  const request = base + start.slot.request;
  const done = base + start.slot.done;
  const status = base + start.slot.status;
  const args = base + start.slot.args;
  // status 1: ready (threads.ts waits for it before using this worker)
  Atomics.store(control, status, 1);
  let seen = 0;
  for (;;) {
    // sleep until the main thread bumps our request counter past the last one served
    // (spinning first, to save the ~50 µs wake-up, measured no better than noise: 5.9-6.7k
    // LeNet training examples/s either way)
    Atomics.wait(control, request, seen);
    const current = Atomics.load(control, request);
    if (current === seen) continue;
    seen = current;
    const op = control[base + start.slot.op]!;
    if (op === 0) break; // stop
    try {
      // all 12 argument cells are passed; an export ignores those past its own parameters
      // biome-ignore format: 12 arguments
      tasks[op - 1]!(
        control[args]!, control[args + 1]!, control[args + 2]!, control[args + 3]!, control[args + 4]!,
        control[args + 5]!, control[args + 6]!, control[args + 7]!, control[args + 8]!, control[args + 9]!,
        control[args + 10]!, control[args + 11]!,
      );
      Atomics.store(control, status, 0);
    } catch {
      Atomics.store(control, status, 2); // the main thread turns this into an error
    }
    Atomics.store(control, done, current);
    Atomics.notify(control, done);
  }
  close();
}
