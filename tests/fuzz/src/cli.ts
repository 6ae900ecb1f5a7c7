/**
 * `pnpm fuzz [--cases N] [--seed S] [--target NAME] [--errors]`: a long fuzz run over every target
 * (or one), printing per-format figures; every failing input is saved as a regression fixture
 * under tests/fuzz/fixtures/<format>/<hash>/, which the vitest test then replays. The seed is
 * random unless given, and printed, so a run can be repeated exactly. `--errors` also prints how
 * often each kind of clean error was seen (its message with the numbers and names blurred).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { addResult, type CaseResult, caseAt, emptyFigures, runCase, saveFixture, TIME_LIMIT } from './harness';
import { formatFigures } from './run';
import type { FuzzCase, FuzzTarget } from './target';
import { targets } from './targets';

const HELP = `pnpm fuzz [options]: fuzz the readers (model folders, IDX files, layer configs; TF.js Layers models and ONNX files from @sinapse/interop/testing)

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
    const { figures, kinds } = await watched(target, seed, cases);
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

/** What a worker reports after each case. */
type Report = { i: number; description: string; result: CaseResult };

/**
 * Note [Hangs]: a reader stuck in a loop never returns to the event loop, so no timer in its
 * process can stop it. The cases run in a child process that reports after each one; if none
 * comes within HANG_LIMIT, the child is killed, the case is saved as a hang, and a new child goes
 * on from the next case.
 */
const HANG_LIMIT = 4 * TIME_LIMIT;

async function watched(target: FuzzTarget, seed: number, cases: number) {
  const figures = emptyFigures();
  const kinds = new Map<string, number>();
  const started = Date.now();
  let next = 0;
  while (next < cases) {
    next = await new Promise<number>((resolve) => {
      const child = fork(
        fileURLToPath(import.meta.url),
        ['--worker', target.name, String(seed), String(next), String(cases)],
        {
          execArgv: process.execArgv,
        },
      );
      let at = next;
      let timer = setTimeout(hang, HANG_LIMIT);
      let killed = false;
      function hang() {
        killed = true;
        child.kill('SIGKILL');
        const c = caseAt(target, seed, at);
        const why = `no answer within ${HANG_LIMIT} ms (a hang)`;
        addResult(figures, c, {
          verdict: { kind: 'failure', why },
          allocation: { largest: 0, growth: 0 },
          inputBytes: 1,
          ms: HANG_LIMIT,
        });
        const dir = saveFixture(target.name, c, why);
        console.log(`  FAILURE ${target.name} case ${at}: ${c.description}\n    ${why}\n    saved as ${dir}`);
        resolve(at + 1);
      }
      child.on('message', (m: Report) => {
        clearTimeout(timer);
        timer = setTimeout(hang, HANG_LIMIT);
        const { result } = m;
        addResult(figures, { files: {}, description: m.description }, result);
        if (result.verdict.kind === 'failure') {
          // the same case again, made here from its seed (caseAt), to save its bytes
          const c = caseAt(target, seed, m.i);
          const dir = saveFixture(target.name, c, result.verdict.why);
          console.log(
            `  FAILURE ${target.name} case ${m.i}: ${c.description}\n    ${result.verdict.why}\n    saved as ${dir}`,
          );
        } else if (result.verdict.kind === 'clean') {
          const kind = result.verdict.error
            .replace(/\d[\d,.e+]*/g, 'N')
            .replace(/'[^']*'|"[^"]*"/g, "'…'")
            .slice(0, 110);
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        }
        at = m.i + 1;
        if (at % 1000 === 0)
          console.log(`  ${formatFigures(target.name, figures)}  (${Math.round((Date.now() - started) / 1000)} s)`);
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (killed || code === 0 || at >= cases) return resolve(at);
        // the child died on case `at` (the harness itself threw, or the process ran out of memory): a failure
        let c: FuzzCase;
        try {
          c = caseAt(target, seed, at);
        } catch (err) {
          c = { files: {}, description: `(making the case failed: ${(err as Error).message})` };
        }
        const why = `the worker died (exit code ${code}) on this case`;
        addResult(figures, c, {
          verdict: { kind: 'failure', why },
          allocation: { largest: 0, growth: 0 },
          inputBytes: 1,
          ms: 0,
        });
        console.log(`  FAILURE ${target.name} case ${at}: ${c.description}\n    ${why}`);
        resolve(at + 1);
      });
    });
  }
  return { figures, kinds };
}

/** The child of Note [Hangs]: runs cases from..cases-1 of one target, reporting each. */
async function worker(name: string, seed: number, from: number, cases: number): Promise<void> {
  const target = targets.find((t) => t.name === name)!;
  for (let i = from; i < cases; i++) {
    const c = caseAt(target, seed, i);
    const result = await runCase(target, c);
    const report: Report = { i, description: c.description, result };
    await new Promise<void>((done) => process.send!(report, () => done()));
  }
  process.exit(0);
}

if (process.argv[2] === '--worker') {
  const [, , , name, seed, from, cases] = process.argv;
  await worker(name!, Number(seed), Number(from), Number(cases));
}

if (process.argv[2] !== '--worker')
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(2);
    },
  );
