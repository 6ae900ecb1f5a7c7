import { defineConfig } from 'tsup';

export default defineConfig({
  // two entry points: the browser-safe core, and a small Node adapter (worker threads) under ./node
  entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
