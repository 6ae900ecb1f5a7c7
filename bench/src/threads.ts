/**
 * Sinapse's wasm backend on several threads, if this build has them: `useThreads(n)` from
 * '@sinapse/tensor/node' starts n − 1 worker threads sharing the wasm memory and returns the number
 * of threads actually in use (1 where SharedArrayBuffer or WebAssembly threads are unavailable);
 * `useThreads(1)` goes back to one thread. The import is dynamic, and its specifier a variable, so
 * the bench still builds, typechecks and runs against a @sinapse/tensor without that entry point.
 */
import * as sn from '@sinapse/tensor';

export interface SinapseThreads {
  /** Starts (or stops) workers so that `n` threads run the wasm kernels; resolves to the count in use. */
  useThreads(n: number): Promise<number>;
}

/** The threads API, or null with the reason it is not available. */
export async function loadSinapseThreads(): Promise<{ threads: SinapseThreads | null; reason: string }> {
  const specifier = '@sinapse/tensor/node';
  try {
    const mod = (await import(specifier)) as Partial<SinapseThreads>;
    if (typeof mod.useThreads !== 'function') return { threads: null, reason: `${specifier} has no useThreads` };
    const useThreads = mod.useThreads;
    return { threads: { useThreads: (n) => useThreads(n) }, reason: '' };
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { threads: null, reason: `cannot import ${specifier} (${message})` };
  }
}

/** `getNumThreads()` from '@sinapse/tensor' where it exists (the threads build), else 1. */
export function sinapseNumThreads(): number {
  const getNumThreads = (sn as unknown as { getNumThreads?: () => number }).getNumThreads;
  return typeof getNumThreads === 'function' ? getNumThreads() : 1;
}
