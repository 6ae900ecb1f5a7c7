import { defineConfig } from 'tsup';

// The umbrella re-exports the five packages; they stay external (each is its own dependency), so a
// user who installs `sinapse` gets one copy of each and `instanceof` checks agree across imports.
export default defineConfig({
  entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
