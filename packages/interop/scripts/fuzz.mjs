// A long seeded fuzz run of the readers of @sinapse/interop (the targets of @sinapse/interop/testing, built),
// with what each case allocated: run `pnpm build` first, then
//
//   node --expose-gc packages/interop/scripts/fuzz.mjs --cases 20000 [--seed 1] [--target onnx]
//
// Per target it prints the cases, how many loaded, how many were clean errors (a ConfigError / ValueError /
// ShapeError starting with the reader and the file), the failures (anything else, or a case over 5 s) with
// their descriptions, and the largest allocation of a rejected case relative to its input's bytes: the growth
// of process.memoryUsage().arrayBuffers (typed arrays' memory) and of the JS heap from a collected start to
// the moment the reader threw (garbage not yet collected counts, so this is an upper bound of what it held;
// the heap figure only for inputs of 64 KB or more, since a reader's own objects dwarf a 100-byte input).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFuzzTargets } from '@sinapse/interop/testing';
import fc from 'fast-check';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const cases = Number(arg('cases', 1000));
const seed = Number(arg('seed', 1));
const only = arg('target', undefined);
if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc, so that allocations can be measured from a collected heap');
  process.exit(2);
}
const fixture = readFileSync(join(import.meta.dirname, '..', 'src', 'onnx', 'fixtures', 'lenet5.onnx'));
const targets = createFuzzTargets({ onnxSeeds: [{ name: 'PyTorch lenet5.onnx', bytes: new Uint8Array(fixture) }] });
const TYPED = ['ConfigError', 'ValueError', 'ShapeError'];
const PREFIX = {
  'tfjs-layers': /^(fromLayersModelJson: model\.json|fromLayersArtifacts: artifacts): /,
  onnx: /^fromOnnx: model\.onnx: /,
};

for (const target of targets) {
  if (only !== undefined && target.name !== only) continue;
  const stats = {
    cases: 0,
    loaded: 0,
    clean: 0,
    failures: 0,
    worstBuffers: 0,
    worstHeap: 0,
    worstCase: '',
    slowest: 0,
  };
  const failures = new Map();
  const started = performance.now();
  await fc.assert(
    fc.asyncProperty(target.arbitrary, async (c) => {
      const inputBytes = Object.values(c.files).reduce((n, b) => n + b.byteLength, 0);
      globalThis.gc();
      const before = process.memoryUsage();
      const t0 = performance.now();
      let verdict = 'loaded';
      let after = before;
      try {
        await target.run(c);
      } catch (err) {
        after = process.memoryUsage();
        if (!(err instanceof Error) || !TYPED.includes(err.name)) verdict = `threw ${err?.name}: ${err?.message}`;
        else if (!PREFIX[target.name].test(err.message)) verdict = `${err.name} not naming the file: ${err.message}`;
        else verdict = 'clean';
      }
      const ms = performance.now() - t0;
      if (ms > stats.slowest) {
        stats.slowest = ms;
        stats.slowestCase = `${c.description} (${inputBytes} bytes, ${verdict})`;
      }
      if (ms > 5000) verdict = `took ${Math.round(ms)} ms`;
      stats.cases++;
      if (verdict === 'loaded') stats.loaded++;
      else if (verdict === 'clean') {
        stats.clean++;
        const buffers = (after.arrayBuffers - before.arrayBuffers) / Math.max(1, inputBytes);
        const heap = (after.heapUsed - before.heapUsed) / Math.max(1, inputBytes);
        if (buffers > stats.worstBuffers) {
          stats.worstBuffers = buffers;
          stats.worstCase = c.description;
        }
        // the heap holds the reader's own objects (layers, messages) too: counted for inputs of 64 KB and more
        if (inputBytes >= 65536 && heap > stats.worstHeap) {
          stats.worstHeap = heap;
          stats.worstHeapCase = `${c.description} (${inputBytes} bytes)`;
        }
      } else {
        stats.failures++;
        const key = verdict.slice(0, 120);
        if (!failures.has(key)) failures.set(key, `${c.description}\n    → ${verdict}`);
      }
    }),
    { seed, numRuns: cases },
  );
  const s = ((performance.now() - started) / 1000).toFixed(0);
  console.log(
    `${target.name}: ${stats.cases} cases (seed ${seed}, ${s} s): ${stats.loaded} loaded, ${stats.clean} clean errors, ${stats.failures} failures; ` +
      `largest growth before a clean error, per input byte: typed arrays ${stats.worstBuffers.toFixed(2)}×, JS heap ${stats.worstHeap.toFixed(2)}× (inputs ≥ 64 KB); slowest case ${stats.slowest.toFixed(0)} ms`,
  );
  if (stats.worstCase) console.log(`  largest typed-array growth: ${stats.worstCase.slice(0, 300)}`);
  if (stats.worstHeapCase) console.log(`  largest heap growth: ${stats.worstHeapCase.slice(0, 300)}`);
  console.log(`  slowest: ${stats.slowestCase.slice(0, 300)}`);
  for (const f of failures.values()) console.log(`  FAILURE ${f}`);
}
