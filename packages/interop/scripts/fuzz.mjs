// A long seeded fuzz run of the readers of @sinapse/interop (the targets of @sinapse/interop/testing, built),
// with what each case allocated: run `pnpm build` first, then
//
//   node --expose-gc packages/interop/scripts/fuzz.mjs --cases 20000 [--seed 1] [--target onnx] [--save dir]
//
// Per target it prints the cases, how many loaded, how many were clean errors (a ConfigError / ValueError /
// ShapeError starting with the reader and the file), the failures (anything else, or a case over 5 s) with
// their descriptions, and the most a rejected case allocated relative to its input's bytes:
//   - typed arrays, exactly: every typed-array constructor is wrapped to add up the bytes of the buffers it
//     creates while the reader runs (the mutation of the input is not counted), whether freed or not;
//   - the JS heap, sampled: on every 20th case, its growth from a collected start to the moment the reader
//     threw, for inputs of 64 KB or more (a reader's own objects dwarf a 100-byte input).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
// each failing input's files go to <save>/<target>-<n>/, with what was mutated and what went wrong in case.txt
const save = arg('save', undefined);
if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc, so that the heap can be measured from a collected start');
  process.exit(2);
}

// every typed array made while `counting` adds the bytes of the buffer it created (not of a view on one)
let counting = false;
let allocated = 0;
for (const name of [
  'Int8Array',
  'Uint8Array',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
]) {
  const Base = globalThis[name];
  const Counted = class extends Base {
    constructor(...args) {
      super(...args);
      const a = args[0];
      if (counting && !(a instanceof ArrayBuffer) && !(a instanceof SharedArrayBuffer)) allocated += this.byteLength;
    }
    static [Symbol.hasInstance](v) {
      return v instanceof Base;
    }
  };
  Object.defineProperty(Counted, 'name', { value: name });
  globalThis[name] = Counted;
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
      const sampled = stats.cases % 20 === 0 && inputBytes >= 65536;
      if (sampled) globalThis.gc();
      const before = process.memoryUsage().heapUsed;
      let heapAfter = before;
      const t0 = performance.now();
      let verdict = 'loaded';
      allocated = 0;
      counting = true;
      try {
        await target.run(c);
      } catch (err) {
        counting = false;
        heapAfter = process.memoryUsage().heapUsed;
        if (!(err instanceof Error) || !TYPED.includes(err.name)) verdict = `threw ${err?.name}: ${err?.message}`;
        else if (!PREFIX[target.name].test(err.message)) verdict = `${err.name} not naming the file: ${err.message}`;
        else verdict = 'clean';
      }
      counting = false;
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
        const buffers = allocated / Math.max(1, inputBytes);
        if (buffers > stats.worstBuffers) {
          stats.worstBuffers = buffers;
          stats.worstCase = `${c.description} (${inputBytes} bytes in, ${allocated} in typed arrays)`;
        }
        const heap = (heapAfter - before) / inputBytes;
        if (sampled && heap > stats.worstHeap) {
          stats.worstHeap = heap;
          stats.worstHeapCase = `${c.description} (${inputBytes} bytes)`;
        }
      } else {
        stats.failures++;
        const key = verdict.slice(0, 120);
        if (!failures.has(key)) {
          failures.set(key, `${c.description}\n    → ${verdict}`);
          if (save !== undefined) {
            const dir = join(save, `${target.name}-${failures.size}`);
            mkdirSync(dir, { recursive: true });
            for (const [name, bytes] of Object.entries(c.files)) writeFileSync(join(dir, name), bytes);
            writeFileSync(join(dir, 'case.txt'), `${c.description}\n${verdict}\n`);
          }
        }
      }
    }),
    { seed, numRuns: cases },
  );
  const s = ((performance.now() - started) / 1000).toFixed(0);
  console.log(
    `${target.name}: ${stats.cases} cases (seed ${seed}, ${s} s): ${stats.loaded} loaded, ${stats.clean} clean errors, ${stats.failures} failures; ` +
      `largest growth before a clean error, per input byte: typed arrays ${stats.worstBuffers.toFixed(2)}×, JS heap ${stats.worstHeap.toFixed(2)}× (every 20th case of ≥ 64 KB); slowest case ${stats.slowest.toFixed(0)} ms`,
  );
  if (stats.worstCase) console.log(`  largest typed-array growth: ${stats.worstCase.slice(0, 300)}`);
  if (stats.worstHeapCase) console.log(`  largest heap growth: ${stats.worstHeapCase.slice(0, 300)}`);
  console.log(`  slowest: ${stats.slowestCase.slice(0, 300)}`);
  for (const f of failures.values()) console.log(`  FAILURE ${f}`);
}
