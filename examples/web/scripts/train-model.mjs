/**
 * Trains the model the demo ships (public/model/): LeNet-5 on all of MNIST with the MNIST example's
 * defaults (7 epochs, SGD with momentum, cosine decay, seed 0) plus --augment, the random shifts
 * and rotations that make it read hand-drawn digits, which are less well centred than MNIST's.
 * Then copies the saved model (model.json, weights-<crc>.bin, preprocessing.json) and a summary of
 * the run (settings, test accuracy) into public/model/.
 *
 * Run from the repository root: `pnpm --filter @sinapse/example-web train-model` (about a minute
 * and a half on 2 cores). The result is committed, so `pnpm web` needs no training.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, '..', 'public', 'model');
const out = mkdtempSync(join(tmpdir(), 'sinapse-web-model-'));
const args = ['--filter', '@sinapse/example-mnist', 'start', '--augment', '--out', out];

console.log(`pnpm ${args.join(' ')}`);
const run = spawnSync('pnpm', args, { stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);

rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
for (const name of readdirSync(join(out, 'model'))) copyFileSync(join(out, 'model', name), join(target, name));
const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
const summary = {
  madeBy: 'examples/web/scripts/train-model.mjs',
  settings: metrics.settings,
  testAccuracy: metrics.test?.accuracy,
  testLoss: metrics.test?.loss,
};
writeFileSync(join(target, 'training.json'), `${JSON.stringify(summary, null, 2)}\n`);
rmSync(out, { recursive: true, force: true });
console.log(`wrote ${readdirSync(target).join(', ')} to ${target}`);
