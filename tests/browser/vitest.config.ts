import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

// one test file at a time: each starts a Chromium, and the demo's test measures the main thread's
// long tasks while the worker trains, which a second browser on the same cores would disturb
export default mergeConfig(sharedConfig, defineConfig({ test: { fileParallelism: false } }));
