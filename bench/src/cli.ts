/**
 * The command line of the bench scripts: --help, and unknown options refused with a guess, before a
 * run of minutes starts (`pnpm bench --hlep` would otherwise run the whole bench).
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { suggestOption } from '@sinapse/tensor';

/** The -h / --help flag every bench script takes. */
export const HELP = { type: 'boolean', short: 'h' } as const;

/**
 * parseArgs in strict mode over `argv` (a leading '--', which pnpm passes through, is dropped);
 * `options` must include `help: HELP`. Prints `usage` and exits with 0 for -h / --help; prints the
 * mistake and exits with 2 for an unknown option ("bench:memory: unknown option '--epoch'; did you
 * mean '--epochs'?") or a malformed one.
 */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig['options']> & { help: typeof HELP }>(
  program: string,
  usage: string,
  argv: readonly string[],
  options: T,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>> {
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  const known = Object.keys(options);
  const fail = (message: string): never => {
    console.error(`${program}: ${message}${message.endsWith('?') ? '' : '.'} Run with --help to see the options.`);
    process.exit(2);
  };
  for (const arg of args) {
    const name = /^--([^=]+)/.exec(arg)?.[1];
    if (name === undefined || known.includes(name)) continue;
    const guess = suggestOption(name, known);
    fail(`unknown option '--${name}'${guess === null ? '' : `; did you mean '--${guess}'?`}`);
  }
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: false });
    if ((parsed.values as { help?: boolean }).help === true) {
      console.log(usage);
      process.exit(0);
    }
    return parsed;
  } catch (err) {
    return fail((err as Error).message.replace(/\.$/, ''));
  }
}
