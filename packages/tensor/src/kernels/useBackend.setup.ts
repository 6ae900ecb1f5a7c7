/**
 * Vitest setup (vitest.config.ts's projects, vitest.backend.config.ts): activates the backend named
 * by SINAPSE_BACKEND ('cpu', 'wasm', 'reference') before every test file, so all the op tests
 * (OpInfo samples, gradchecks, TF.js oracles) run on its kernels, and with SINAPSE_THREADS=n
 * starts n threads for the wasm kernels. An unknown or unavailable backend, or threads that do not
 * start, fail loudly rather than quietly testing the default again.
 */
import { useThreads } from '../node/threads';
import { listBackends, setBackend } from './index';

const name = process.env.SINAPSE_BACKEND;
if (name === undefined || !listBackends().includes(name)) {
  throw new Error(`useBackend.setup: set SINAPSE_BACKEND to one of ${listBackends().join(', ')}, but got ${name}`);
}
setBackend(name);

const threads = Number(process.env.SINAPSE_THREADS ?? 1);
if (threads > 1 && (await useThreads(threads)) !== threads) {
  throw new Error(
    `useBackend.setup: SINAPSE_THREADS=${threads}, but the wasm kernels could not start that many threads`,
  );
}
