/**
 * `pnpm fuzz [--cases N] [--seed S] [--target NAME] [--errors]`: a long fuzz run over every target
 * (or one), printing per-format figures; every failing input is saved as a regression fixture
 * under tests/fuzz/fixtures/<format>/<hash>/, which the vitest test then replays. The seed is
 * random unless given, and printed, so a run can be repeated exactly. `--errors` also prints how
 * often each kind of clean error was seen (its message with the numbers and names blurred).
 */
import { parseArgs } from 'node:util';
import { addResult, caseAt, emptyFigures, runCase, saveFixture } from './harness';
import { formatFigures } from './run';
import { targets } from './targets';

const HELP = `pnpm fuzz [options]: fuzz the readers (model folders, IDX files, layer configs)

  --cases N      cases per format (default 1000)
  --seed S       the run's seed (default: random, printed)
  --target NAME  only this format (${targets.map((t) => t.name).join(', ')})
  --errors       also print the kinds of clean errors seen, most common first
  --help         this text
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      cases: { type: 'string', default: '1000' },
      seed: { type: 'string' },
      target: { type: 'string' },
      errors: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const cases = Number(values.cases);
  if (!Number.isSafeInteger(cases) || cases < 1)
    throw new Error(`--cases must be a positive integer, got ${values.cases}`);
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
  const chosen = values.target === undefined ? targets : targets.filter((t) => t.name === values.target);
  if (chosen.length === 0)
    throw new Error(`--target: no format '${values.target}'; known: ${targets.map((t) => t.name).join(', ')}`);
  console.log(`fuzz: ${cases} cases per format, seed ${seed} (repeat with --seed ${seed})`);
  let failed = 0;
  const lines: string[] = [];
  for (const target of chosen) {
    const figures = emptyFigures();
    const kinds = new Map<string, number>();
    const started = Date.now();
    for (let i = 0; i < cases; i++) {
      const c = caseAt(target, seed, i);
      const r = await runCase(target, c);
      addResult(figures, c, r);
      if (r.verdict.kind === 'failure') {
        const dir = saveFixture(target.name, c, r.verdict.why);
        console.log(`  FAILURE ${target.name} case ${i}: ${c.description}\n    ${r.verdict.why}\n    saved as ${dir}`);
      } else if (r.verdict.kind === 'clean' && values.errors) {
        const kind = r.verdict.error
          .replace(/\d[\d,.e+]*/g, 'N')
          .replace(/'[^']*'|"[^"]*"/g, "'…'")
          .slice(0, 110);
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
      if ((i + 1) % 1000 === 0)
        console.log(`  ${formatFigures(target.name, figures)}  (${Math.round((Date.now() - started) / 1000)} s)`);
    }
    const line = formatFigures(target.name, figures);
    lines.push(line);
    console.log(line);
    console.log(`  largest allocation ratio on: ${figures.largestRatioCase}`);
    if (values.errors) {
      for (const [kind, n] of [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 40))
        console.log(`  ${String(n).padStart(6)}  ${kind}`);
    }
    failed += figures.failures;
  }
  console.log(`\nfuzz: seed ${seed}, ${cases} cases per format`);
  for (const line of lines) console.log(line);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
