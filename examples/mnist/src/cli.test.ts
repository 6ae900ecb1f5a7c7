import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PREDICT_FLAGS, PREDICT_USAGE, main as predictMain } from './predict';
import { FLAGS, main as trainMain, USAGE } from './train';

/**
 * The option entries of a usage text: from each line starting with '  --name' (or '  -h, --name')
 * to the next such line, keyed by the name.
 */
function entries(usage: string): Map<string, string> {
  const found = new Map<string, string>();
  let current: string | null = null;
  for (const line of usage.split('\n')) {
    const name = /^ {2}(?:-\w, )?--([\w-]+)/.exec(line)?.[1];
    if (name !== undefined) current = name;
    if (current !== null) found.set(current, `${found.get(current) ?? ''}${line}\n`);
  }
  return found;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each([
  ['pnpm mnist', trainMain, USAGE, FLAGS, 'mnist', ['no-augment']],
  ['pnpm mnist:predict', predictMain, PREDICT_USAGE, PREDICT_FLAGS, 'mnist:predict', []],
] as const)('%s', (_command, main, usage, flags, program, describedElsewhere) => {
  it.each([['--help'], ['-h'], ['--', '--help']])('%s prints the help and exits with 0', async (...argv) => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await main(argv)).toBe(0);
    expect(log).toHaveBeenCalledWith(usage);
  });

  it('the help lists every option, each with its default', () => {
    const listed = entries(usage);
    for (const name of Object.keys(flags)) {
      if ((describedElsewhere as readonly string[]).includes(name)) {
        expect(usage).toContain(`--${name}`);
        continue;
      }
      expect(listed.has(name), `--${name} is missing from the help`).toBe(true);
      if (name !== 'help') expect(listed.get(name), `--${name} states no default`).toMatch(/default/);
    }
    expect([...listed.keys()].sort()).toEqual(
      Object.keys(flags)
        .filter((f) => !describedElsewhere.includes(f as never))
        .sort(),
    );
  });

  it('a misspelled option is refused with a guess, exit code 2', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await main(['--hlep'])).toBe(2);
    expect(error).toHaveBeenCalledWith(
      `${program}: unknown option '--hlep'; did you mean '--help'? Run with --help to see the options.`,
    );
  });
});

it("the README's Options block is what pnpm mnist --help prints", () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /## Options\n[\s\S]*?```text\n([^`]*)```/.exec(readme)?.[1];
  expect(block).toBe(`${USAGE.slice(USAGE.indexOf('Options:\n') + 'Options:\n'.length)}\n`);
});

it("the root scripts reach every example's script through 'pnpm run', so --help gets there", () => {
  // pnpm 12 reads a --help after its own commands (`pnpm --filter x start --help`: pnpm's help for
  // `start`); after `run <script>` it passes every argument to the script
  const root = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  const scripts = Object.entries(root.scripts as Record<string, string>);
  expect(scripts.find(([name]) => name === 'mnist')?.[1]).toMatch(/pnpm --filter @sinapse\/example-mnist run start$/);
  expect(scripts.filter(([, command]) => /pnpm --filter \S+ (start|test)\b/.test(command))).toEqual([]);
});
