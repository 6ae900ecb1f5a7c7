import { defineConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

/**
 * The tensor suite runs three times, so every op test (OpInfo samples, gradient checks, TF.js
 * oracles) checks each fast path, not only the default one:
 *   default          the backend chosen at import ('wasm' where WebAssembly SIMD exists);
 *   cpu              the JavaScript kernels;
 *   wasm, 2 threads  the wasm kernels split between this thread and a worker.
 * One JSON report covers the three (.ci/run adds it up). vitest.backend.config.ts runs the suite
 * on one chosen backend (e.g. SINAPSE_BACKEND=reference).
 */
const setupFiles = ['./src/kernels/useBackend.setup.ts'];

export default defineConfig({
  test: {
    ...sharedConfig.test,
    projects: [
      { extends: true, test: { name: 'default' } },
      { extends: true, test: { name: 'cpu', setupFiles, env: { SINAPSE_BACKEND: 'cpu' } } },
      {
        extends: true,
        test: { name: 'wasm, 2 threads', setupFiles, env: { SINAPSE_BACKEND: 'wasm', SINAPSE_THREADS: '2' } },
      },
    ],
  },
});
