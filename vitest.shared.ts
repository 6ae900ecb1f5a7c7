import { defineConfig } from 'vitest/config';

/**
 * One Vitest configuration for every workspace package. Each package writes a JSON report
 * (test-results.json) beside its package.json so `.ci/run` can add up passed/failed over
 * the whole workspace.
 */
export const sharedConfig = defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
