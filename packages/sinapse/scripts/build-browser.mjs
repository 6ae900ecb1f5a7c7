/**
 * The browser build: the whole library (the five packages, and the WebAssembly kernels they embed
 * as base64) in one ES module, dist/sinapse.browser.js, that a page imports with no bundler and no
 * import map:
 *
 *   <script type="module">
 *     import * as sn from './sinapse.browser.js';
 *   </script>
 *
 * It bundles src/index.ts (the same exports as `import * as sn from 'sinapse'`) with esbuild,
 * inlining @sinapse/* from their built dist/ (tsup builds them first: turbo runs ^build).
 *
 * Minified for whitespace and syntax only, not identifiers: error messages name classes through
 * `this.constructor.name` (an optimizer's `SGD: learningRate must be ...`), which renaming would
 * turn into one-letter names, and the thread worker is sent as the source text of one function
 * (`workerMain.toString()`), which must stay self-contained.
 *
 * Prints the file's size, raw and gzipped (the figures the README quotes).
 *
 * Run: node scripts/build-browser.mjs   (the package's `build` script runs it after tsup)
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist/sinapse.browser.js');

await build({
  absWorkingDir: root,
  entryPoints: ['src/index.ts'],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  legalComments: 'none',
  banner: { js: '/* sinapse: the browser build (one ES module, WebAssembly kernels inside). MIT License. */' },
  logLevel: 'warning',
});

const bytes = readFileSync(outfile);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `build-browser: dist/sinapse.browser.js ${kb(bytes.length)} (${bytes.length} bytes), ` +
    `gzip ${kb(gzipSync(bytes, { level: 9 }).length)}`,
);
