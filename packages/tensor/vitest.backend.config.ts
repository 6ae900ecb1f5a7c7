import { defineConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

/**
 * The whole tensor suite on one chosen backend, e.g. the JavaScript kernels while 'wasm' is the
 * default:  SINAPSE_BACKEND=cpu npx vitest run -c vitest.backend.config.ts
 * Same tests as vitest.config.ts; the setup file switches the backend before each test file.
 * No JSON report, so this run does not overwrite the one CI adds up.
 */
export default defineConfig({
  test: {
    ...sharedConfig.test,
    setupFiles: ['./src/kernels/useBackend.setup.ts'],
    reporters: ['default'],
  },
});
