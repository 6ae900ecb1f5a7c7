/**
 * How much memory a case makes the reader allocate, two ways:
 *   - the largest single ArrayBuffer or typed array constructed (the constructors are wrapped in
 *     Proxies, so `new Float32Array(n)` anywhere in the packages is seen, with its byteLength);
 *   - the growth of process.memoryUsage().arrayBuffers over the case, after a full GC before it,
 *     which also sees what Node allocates natively (zlib's output, Buffers from its pool).
 * Neither is exact (a GC during the case hides what it freed), but a reader that builds a 1 GB
 * weight from a 1 KB model.json shows up in both.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

const CONSTRUCTORS = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
] as const;

let largest = 0;
let installed = false;
let gc: (() => void) | null = null;

/** Wraps the constructors (once per process) and gets a handle on the GC. */
export function installAllocationTracker(): void {
  if (installed) return;
  installed = true;
  const g = globalThis as unknown as Record<string, unknown>;
  for (const name of CONSTRUCTORS) {
    const original = g[name] as (new (...args: unknown[]) => { byteLength: number }) | undefined;
    if (original === undefined) continue;
    g[name] = new Proxy(original, {
      construct(target, args, newTarget) {
        const made = Reflect.construct(target, args, newTarget) as { byteLength: number };
        if (made.byteLength > largest) largest = made.byteLength;
        return made;
      },
    });
  }
  v8.setFlagsFromString('--expose-gc');
  gc = vm.runInNewContext('gc') as () => void;
}

/** What `measure` saw: the largest single allocation and the growth of all array buffers, in bytes. */
export interface Allocation {
  largest: number;
  growth: number;
}

/** Runs `f`, measuring its allocations (see the module comment). */
export async function measure(f: () => Promise<void>): Promise<Allocation> {
  gc?.();
  largest = 0;
  excluded = 0;
  const before = process.memoryUsage().arrayBuffers;
  try {
    await f();
  } finally {
    // recorded even when f throws: what it allocated before failing is the point
    measured = { largest, growth: Math.max(0, process.memoryUsage().arrayBuffers - before - excluded) };
  }
  return measured;
}

let measured: Allocation = { largest: 0, growth: 0 };
let excluded = 0;

/**
 * Runs `f` outside the measurement: for what a target does after the reader accepted the input
 * (a loaded model's predict, a built layer's forward pass), whose memory is the user's choice.
 */
export function unmeasured<T>(f: () => T): T {
  const saved = largest;
  const before = process.memoryUsage().arrayBuffers;
  try {
    return f();
  } finally {
    largest = saved;
    excluded += Math.max(0, process.memoryUsage().arrayBuffers - before);
  }
}

/** The allocation of the last `measure`, also after it threw. */
export function lastAllocation(): Allocation {
  return measured;
}
