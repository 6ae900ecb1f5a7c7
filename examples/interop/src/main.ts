/**
 * pnpm interop (from the repository root): both directions, written to examples/interop/out.
 *   1. onnx.ts: LeNet-5 trained in Sinapse, run by ONNX Runtime;
 *   2. tfjs.ts: a CNN trained in TF.js, loaded, fine-tuned and handed back.
 */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { suggestOption } from '@sinapse/tensor';
import { onnxDemo } from './onnx';
import { tfjsDemo } from './tfjs';

export const USAGE = `Models in and out of Sinapse, both ways, on MNIST digits:
  1. LeNet-5 trained in Sinapse (5,000 digits), saved with saveOnnx, run by ONNX Runtime;
  2. a CNN trained in TF.js (1,000 digits), loaded with loadLayersModel, fine-tuned in Sinapse,
     written back with saveLayersModel and run by TF.js (a minute or two).
Everything goes to examples/interop/out.

Usage: pnpm interop                  (from the repository root)
       pnpm run start                (in examples/interop)

Options:
  -h, --help   print this and exit (there are no other options)`;

/** The command: the help, or both demos. Returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const args = argv[0] === '--' ? argv.slice(1) : argv; // pnpm passes a '--' through verbatim
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    console.log(USAGE);
    return 0;
  }
  if (args.length > 0) {
    const arg = args[0]!;
    const guess = arg.startsWith('-') ? suggestOption(arg.replace(/^-+/, '').split('=')[0]!, ['help']) : null;
    console.error(
      `interop: unknown ${arg.startsWith('-') ? 'option' : 'argument'} '${arg}'` +
        `${guess === null ? '.' : `; did you mean '--${guess}'?`} It takes no options: run with --help to see what it does.`,
    );
    return 2;
  }
  const out = fileURLToPath(new URL('../out', import.meta.url));
  console.log('== Sinapse → ONNX Runtime ==');
  await onnxDemo({ out });
  console.log('\n== TF.js → Sinapse → TF.js ==');
  await tfjsDemo({ out });
  return 0;
}

// Run main only when this file is the program (`node --import tsx src/main.ts`), not when a test imports it.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
