/**
 * pnpm lecture: prints the lecture's pooling examples computed by Sinapse.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { suggestOption } from '@sinapse/tensor';
import { runLecture } from './lecture';

export const USAGE = `The lecture's pooling examples, computed by Sinapse: one 4x4 image max-, average- and
L2-pooled (2x2 windows, stride 2), and its global max and average, printed as the notebook prints them.

Usage: pnpm lecture                  (from the repository root)
       pnpm run start                (in examples/lecture)

Options:
  -h, --help   print this and exit (there are no other options)`;

/** The command: the help, or the lecture's outputs. Returns the exit code. */
export function main(argv: readonly string[]): number {
  const args = argv[0] === '--' ? argv.slice(1) : argv; // pnpm passes a '--' through verbatim
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    console.log(USAGE);
    return 0;
  }
  if (args.length > 0) {
    const arg = args[0]!;
    const guess = arg.startsWith('-') ? suggestOption(arg.replace(/^-+/, '').split('=')[0]!, ['help']) : null;
    console.error(
      `lecture: unknown ${arg.startsWith('-') ? 'option' : 'argument'} '${arg}'` +
        `${guess === null ? '.' : `; did you mean '--${guess}'?`} It takes no options: run with --help to see what it does.`,
    );
    return 2;
  }
  console.log(runLecture());
  return 0;
}

// Run main only when this file is the program (`node --import tsx src/main.ts`), not when a test imports it.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
