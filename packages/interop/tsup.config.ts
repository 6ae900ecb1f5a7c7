import { defineConfig } from 'tsup';

// Three entry points: the browser-safe core, a small Node adapter (files, terminal) under ./node, and the
// fuzz targets under ./testing (browser-safe; they need fast-check, an optional peer dependency: only
// who imports ./testing installs it).
export default defineConfig({
  entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts', 'testing/index': 'src/testing/index.ts' },
  external: ['fast-check'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
