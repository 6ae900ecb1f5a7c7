/**
 * The fuzz targets of @sinapse/interop/testing, seeded: a few hundred mutated inputs per format, each of
 * which must load or fail with a ConfigError / ValueError / ShapeError whose message starts with the
 * reader and the file (then names the field). FUZZ_CASES=20000 runs longer (scripts/fuzz.mjs measures
 * allocations too). A failure prints the case's description and fast-check's seed and path to replay it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFuzzTargets, type FuzzCase } from './fuzz';
import { PYTORCH_RESNET_SMALL_ONNX } from './pytorchResnetSmall';

const fixtures = join(import.meta.dirname, '..', 'onnx', 'fixtures');
const targets = createFuzzTargets({
  onnxSeeds: [{ name: 'PyTorch lenet5.onnx', bytes: new Uint8Array(readFileSync(join(fixtures, 'lenet5.onnx'))) }],
});
const CASES = Number(process.env.FUZZ_CASES ?? 250);
const TYPED = ['ConfigError', 'ValueError', 'ShapeError'];
/** What a message must start with: the reader and the file it read. */
const PREFIX: Record<string, RegExp> = {
  'tfjs-layers': /^(fromLayersModelJson: model\.json|fromLayersArtifacts: artifacts): /,
  onnx: /^fromOnnx: model\.onnx: /,
};

/** 'loaded', 'clean', or what is wrong with the error. */
async function classify(name: string, run: (c: FuzzCase) => Promise<void>, c: FuzzCase): Promise<string> {
  const start = performance.now();
  let verdict = 'loaded';
  try {
    await run(c);
  } catch (err) {
    const e = err as Error;
    if (!(err instanceof Error) || !TYPED.includes(e.name))
      verdict = `threw ${e?.name ?? typeof err}: ${e?.message ?? err}`;
    else if (!PREFIX[name]!.test(e.message)) verdict = `${e.name} not naming the file: ${e.message}`;
    else verdict = 'clean';
  }
  const ms = performance.now() - start;
  if (ms > 5000) return `took ${Math.round(ms)} ms`;
  return verdict;
}

describe('the readers under fuzz (seeded; every case loads or is a typed error naming the file)', () => {
  for (const target of targets) {
    it(`${target.name}: ${CASES} mutated inputs`, { timeout: 600_000 }, async () => {
      const counts: Record<string, number> = { loaded: 0, clean: 0 };
      // every failure, once per kind (its first line), so one run lists them all
      const failures = new Map<string, string>();
      await fc.assert(
        fc.asyncProperty(target.arbitrary, async (c) => {
          const verdict = await classify(target.name, target.run, c);
          if (verdict === 'loaded' || verdict === 'clean') counts[verdict]!++;
          else if (!failures.has(verdict.slice(0, 120)))
            failures.set(verdict.slice(0, 120), `${c.description}\n  → ${verdict}`);
        }),
        { seed: 16, numRuns: CASES },
      );
      expect([...failures.values()]).toEqual([]);
      // both outcomes must occur: a fuzzer whose every case fails to parse, or loads, tests nothing
      expect(counts.loaded).toBeGreaterThan(0);
      expect(counts.clean).toBeGreaterThan(CASES / 4);
    });
  }

  it.each(targets.flatMap((t) => t.seeds().map((c) => [t.name, c.description, t, c] as const)))(
    '%s seed %s loads unmutated',
    async (_, __, target, c) => {
      await expect(target.run(c)).resolves.toBeUndefined();
    },
  );

  it('the embedded PyTorch ResNet is the committed fixture, byte for byte', () => {
    const embedded = Uint8Array.from(atob(PYTORCH_RESNET_SMALL_ONNX), (ch) => ch.charCodeAt(0));
    expect(Buffer.from(embedded).equals(readFileSync(join(fixtures, 'resnet_small.onnx')))).toBe(true);
  });
});
