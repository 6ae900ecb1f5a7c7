/**
 * The fuzz harness on every `pnpm test`: a few hundred seeded cases per format (the same cases on
 * every run), and every saved regression fixture replayed. `pnpm fuzz --cases 100000` runs more.
 */
import { describe, expect, it } from 'vitest';
import { loadFixtures, runCase } from './harness';
import { formatFigures, runTarget } from './run';
import { targets } from './targets';

// interop's own suite runs more of its formats' cases (packages/interop/src/testing/fuzz.test.ts)
const CASES: Record<string, number> = {
  'sinapse-model': 200,
  idx: 300,
  'layer-config': 300,
  'tfjs-layers': 150,
  onnx: 150,
};
/** About 15 s each alone; the limit leaves room for a machine busy with other tests. */
const TIMEOUT = 240_000;
const SEED = 16;

describe.each(targets.map((t) => [t.name, t] as const))('%s', (name, target) => {
  it(
    `${CASES[name] ?? 200} seeded cases (seed ${SEED}): each loads or is a clean error, in bounded time and memory`,
    async () => {
      const { figures, failures } = await runTarget(target, SEED, CASES[name] ?? 200);
      console.log(formatFigures(name, figures));
      expect(failures.map((f) => `case ${f.index}: ${f.c.description}: ${f.why}`)).toEqual([]);
      expect(figures.loaded).toBeGreaterThan(0); // the valid inputs still load
      expect(figures.clean).toBeGreaterThan(figures.cases / 4); // and the mutations do damage
    },
    TIMEOUT,
  );

  const fixtures = loadFixtures(name);
  it.runIf(fixtures.length > 0)(
    `the ${fixtures.length} saved regression fixtures`,
    async () => {
      for (const { dir, c } of fixtures) {
        const r = await runCase(target, c);
        expect(r.verdict.kind === 'failure' ? `${dir}: ${c.description}: ${r.verdict.why}` : 'ok').toBe('ok');
      }
    },
    TIMEOUT,
  );
});
