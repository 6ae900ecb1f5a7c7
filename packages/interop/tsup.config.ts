import { defineConfig } from 'tsup';

// Two entry points: the browser-safe core, and a small Node adapter (files, terminal) under ./node.
export default defineConfig({
  entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
