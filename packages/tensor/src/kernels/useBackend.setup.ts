/**
 * Vitest setup for vitest.backend.config.ts: activates the backend named by SINAPSE_BACKEND
 * ('cpu', 'wasm', 'reference') before every test file, so all the op tests (OpInfo samples,
 * gradchecks, TF.js oracles) run on its kernels. An unknown or unavailable backend fails loudly
 * rather than quietly testing the default again.
 */
import { listBackends, setBackend } from './index';

const name = process.env.SINAPSE_BACKEND;
if (name === undefined || !listBackends().includes(name)) {
  throw new Error(`useBackend.setup: set SINAPSE_BACKEND to one of ${listBackends().join(', ')}, but got ${name}`);
}
setBackend(name);
