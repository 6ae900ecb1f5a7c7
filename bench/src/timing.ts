/**
 * Timing one cell of the table: warm up (so V8 has compiled the hot loops and TF.js has
 * initialized its kernels), then repeat and take the median, which ignores the odd slow run
 * caused by garbage collection or another process. Each cell gets a time budget so the whole
 * bench stays within a few minutes even when one implementation is slow.
 */

export interface TimingOptions {
  /** Runs before timing starts: at least this many, and for at least warmupMs. Default 2. */
  warmup?: number;
  /** Keep warming up until this much time has passed (JIT tier-up takes a few hundred ms). Default 500. */
  warmupMs?: number;
  /** Timed runs: at least minReps, at most maxReps, stopping early once budgetMs is spent. */
  minReps?: number;
  maxReps?: number;
  budgetMs?: number;
}

export interface Timing {
  /** Median wall time of one run, in milliseconds. */
  medianMs: number;
  reps: number;
}

/** Times `run` (which must finish its work synchronously) and returns the median. */
export function time(run: () => void, options: TimingOptions = {}): Timing {
  const { warmup = 2, warmupMs = 500, minReps = 3, maxReps = 15, budgetMs = 4000 } = options;
  const warmStart = performance.now();
  for (let i = 0; i < warmup || performance.now() - warmStart < warmupMs; i++) {
    run();
    // one slow warm-up run is enough to know the case is expensive
    if (performance.now() - warmStart > budgetMs / 2) break;
  }
  const times: number[] = [];
  const start = performance.now();
  while (times.length < maxReps && (times.length < minReps || performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const medianMs = times.length % 2 === 1 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
  return { medianMs, reps: times.length };
}
