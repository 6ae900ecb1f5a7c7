/**
 * The wasm kernels on two threads (this one and a worker_threads worker sharing the memory)
 * against the same kernels on one: Note [Splitting a GEMM between threads] and Note [Running the
 * wasm conv2d from JS] promise identical float32 results for any thread count, so the comparison
 * is exact. Plus the fallbacks: no SharedArrayBuffer / shared memory, a worker that never starts,
 * and a task that traps in a worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValueError } from '../../errors';
import { useThreads } from '../../node/threads';
import { Generator } from '../../random';
import { type Conv2DInfo, computeConv2DInfo, type Padding } from '../conv2dInfo';
import { loadWasmSync, wasmBackend } from './index';
import { wasmKernel, workspace } from './runtime';
import { getNumThreads, runParallel, startThreads, stopThreads, useWebWorkers } from './threads';

const available = loadWasmSync();

function uniform(g: Generator, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => g.uniform() * 2 - 1);
}

/** Everything the kernels compute for one conv geometry and one matMul, as plain arrays. */
function runAll(info: Conv2DInfo, mm: { m: number; n: number; k: number; tA: boolean; tB: boolean; batch: number }) {
  const g = new Generator(11);
  const { batch: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: F } = info;
  const wLen = info.filterHeight * info.filterWidth * C * F;
  const x = uniform(g, N * H * W * C);
  const w = uniform(g, wLen);
  const dy = uniform(g, N * OH * OW * F);
  const y = new Float32Array(dy.length);
  const dx = new Float32Array(x.length).fill(0.25);
  const dw = new Float32Array(wLen).fill(0.25);
  wasmBackend.conv2d(x, w, y, info);
  wasmBackend.conv2dBackpropInput(dy, w, dx, info);
  wasmBackend.conv2dBackpropFilter(x, dy, dw, info);
  const a = uniform(g, mm.batch * mm.m * mm.k);
  const b = uniform(g, mm.batch * mm.k * mm.n);
  const c = new Float32Array(mm.batch * mm.m * mm.n);
  wasmBackend.matMul(a, b, c, mm.batch, mm.m, mm.n, mm.k, mm.tA, mm.tB, mm.m * mm.k, mm.k * mm.n);
  // fusedConv2d's backward on one layout (both conv tasks), relu with a bias
  const [dx2, dw2, db2] = [new Float32Array(x.length), new Float32Array(wLen), new Float32Array(F)];
  wasmBackend.fusedConv2dBackward!(dy, y.map(Math.abs), x, w, dx2, dw2, db2, info, 'relu');
  // a 2x2 max pool over y (LeNet conv1's output at batch 64 is large enough to be split by image)
  const pool = computeConv2DInfo([N, OH, OW, F], [2, 2], F, [2, 2], [1, 1], 'same');
  const pooled = new Float32Array(N * pool.outHeight * pool.outWidth * F);
  const dPool = new Float32Array(y.length).fill(0.25);
  wasmBackend.maxPool2d(y, pooled, pool);
  wasmBackend.maxPool2dBackward(uniform(g, pooled.length), y, dPool, pool);
  return { y, dx, dw, c, dx2, dw2, db2, pooled, dPool };
}

/** Random geometries big enough to be split (above MIN_PARALLEL_FLOPS), ragged on purpose. */
function randomCases(count: number, seed: number) {
  const g = new Generator(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(g.uniform() * (hi - lo + 1));
  const cases: [string, Conv2DInfo, Parameters<typeof runAll>[1]][] = [];
  for (let i = 0; i < count; i++) {
    const shape: [number, number, number, number] = [int(1, 5), int(9, 33), int(9, 33), int(1, 9)];
    const k = int(1, 5);
    const stride = int(1, 2);
    const padding: Padding = g.uniform() < 0.5 ? 'same' : 'valid';
    const F = int(1, 20);
    const info = computeConv2DInfo(shape, [k, k], F, [stride, stride], [1, 1], padding);
    const mm = {
      m: int(1, 300),
      n: int(1, 300),
      k: int(1, 600),
      tA: g.uniform() < 0.5,
      tB: g.uniform() < 0.5,
      batch: int(1, 2),
    };
    const title = `x=[${shape}] k=${k} f=${F} s=${stride} ${padding}; matMul ${mm.batch}x${mm.m}x${mm.n}x${mm.k} tA=${mm.tA} tB=${mm.tB}`;
    cases.push([title, info, mm]);
  }
  // LeNet-5's convolutions at batch 64, and a wide-short and a tall-thin product
  const lenet1 = computeConv2DInfo([64, 28, 28, 1], [5, 5], 6, [1, 1], [1, 1], 'same');
  const lenet2 = computeConv2DInfo([64, 14, 14, 6], [5, 5], 16, [1, 1], [1, 1], 'valid');
  cases.push(['LeNet conv1, matMul 8x1000x300', lenet1, { m: 8, n: 1000, k: 300, tA: false, tB: true, batch: 1 }]);
  cases.push(['LeNet conv2, matMul 1000x9x300', lenet2, { m: 1000, n: 9, k: 300, tA: true, tB: false, batch: 1 }]);
  return cases;
}

describe.runIf(available)('wasm kernels on two threads', () => {
  const cases = randomCases(12, 5);
  let single: ReturnType<typeof runAll>[] = [];

  beforeAll(async () => {
    single = cases.map(([, info, mm]) => runAll(info, mm));
    expect(await useThreads(2)).toBe(2);
  });
  afterAll(() => stopThreads());

  it('uses two threads', () => {
    expect(getNumThreads()).toBe(2);
  });

  it.each(cases.map((c, i) => [c[0], i] as const))('%s: identical to one thread', (_, i) => {
    const [, info, mm] = cases[i]!;
    const two = runAll(info, mm);
    const one = single[i]!;
    expect(two.y).toEqual(one.y);
    expect(two.dx).toEqual(one.dx);
    expect(two.dw).toEqual(one.dw);
    expect(two.c).toEqual(one.c);
    expect([two.dx2, two.dw2, two.db2]).toEqual([one.dx2, one.dw2, one.db2]);
    expect([two.pooled, two.dPool]).toEqual([one.pooled, one.dPool]);
  });

  it('a task that traps in the worker becomes an error here, and the pool still works after', () => {
    const g = wasmKernel()!;
    // the worker's C pointer is past the end of the memory: its sgemm traps
    const far = 2 ** 31;
    const args = (t: number) =>
      t === 0
        ? [0, 1, 0, 1, 0, 1, 1, 1, 1, 0, 0, workspace(g, 0)]
        : [0, 1, 0, 1, far, 1, 1, 1, 1, 0, 0, workspace(g, 1)];
    expect(() => runParallel(g, 'sgemm', 2, args)).toThrow(/worker thread 1 failed/);
    const [, info, mm] = cases[0]!;
    expect(runAll(info, mm).y).toEqual(single[0]!.y);
  });

  it('useThreads(1) goes back to one thread with the same results', async () => {
    expect(await useThreads(1)).toBe(1);
    expect(getNumThreads()).toBe(1);
    const [, info, mm] = cases[1]!;
    expect(runAll(info, mm)).toEqual(single[1]);
    expect(await useThreads(2)).toBe(2);
  });
});

describe.runIf(available)('wasm threads: fallbacks to one thread', () => {
  it('without shared WebAssembly memory, startThreads returns 1 and starts nothing', async () => {
    let spawned = 0;
    const spawn = () => {
      spawned++;
      return { postMessage() {}, terminate() {} };
    };
    // an engine whose WebAssembly has no Memory constructor (no threads proposal)
    const engine = (globalThis as unknown as { WebAssembly: Record<string, unknown> }).WebAssembly;
    // spread copies only own enumerable properties, so list what startThreads uses
    const noMemory = {
      validate: engine.validate,
      Module: engine.Module,
      Instance: engine.Instance,
      compile: engine.compile,
    };
    expect(await startThreads(2, spawn, { wasm: noMemory as never })).toBe(1);
    expect(spawned).toBe(0);
    // an engine that refuses shared memories (SharedArrayBuffer disabled)
    const refusing = {
      ...noMemory,
      Memory: class {
        constructor() {
          throw new TypeError('shared memory unavailable');
        }
      },
    };
    expect(await startThreads(2, spawn, { wasm: refusing as never })).toBe(1);
    expect(getNumThreads()).toBe(1);
  });

  it('a worker that never reports ready is terminated and the kernels stay on one thread', async () => {
    let terminated = 0;
    // a worker that ignores its start message, so it never becomes ready
    const spawn = () => ({ postMessage() {}, terminate: () => terminated++ });
    const started = startThreads(2, spawn, { startTimeoutMs: 300 });
    expect(await started).toBe(1);
    expect(terminated).toBe(1);
    expect(getNumThreads()).toBe(1);
    const info = computeConv2DInfo([2, 12, 12, 3], [3, 3], 4, [1, 1], [1, 1], 'same');
    const x = new Float32Array(2 * 12 * 12 * 3).fill(1);
    const w = new Float32Array(3 * 3 * 3 * 4).fill(1);
    const y = new Float32Array(2 * 12 * 12 * 4);
    wasmBackend.conv2d(x, w, y, info);
    expect(y[(12 + 1) * 4]).toBe(27); // an interior pixel sums 3·3·3 ones
  });

  it('rejects a thread count that is not a whole number ≥ 1', async () => {
    await expect(startThreads(0, () => ({ postMessage() {}, terminate() {} }))).rejects.toThrow(
      /startThreads: the thread count must be a whole number ≥ 1, but got 0/,
    );
    await expect(useThreads(1.5)).rejects.toThrow(ValueError);
    await expect(useThreads(1.5)).rejects.toThrow(
      /useThreads: the thread count must be a whole number ≥ 1, but got 1.5/,
    );
    await expect(useWebWorkers(-2)).rejects.toThrow(
      /useWebWorkers: the thread count must be a whole number ≥ 1, but got -2/,
    );
  });
});
