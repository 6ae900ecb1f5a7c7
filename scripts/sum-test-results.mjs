// Adds up the Vitest JSON reports (test-results.json) of every workspace package and prints
// one line "N passed, N failed". Exits 1 if anything failed or a package left no report.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const list = JSON.parse(execFileSync('pnpm', ['-r', 'ls', '--depth', '-1', '--json'], { cwd: root, encoding: 'utf8' }));
let passed = 0;
let failed = 0;
let skipped = 0;
for (const pkg of list) {
  const manifest = JSON.parse(readFileSync(join(pkg.path, 'package.json'), 'utf8'));
  if (!manifest.scripts?.test || pkg.path === root.replace(/\/$/, '')) continue;
  const report = join(pkg.path, 'test-results.json');
  if (!existsSync(report)) {
    console.log(`${manifest.name}: no test report (the test run did not finish)`);
    failed += 1;
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  // a test file that fails to load has no assertions but counts as a failed suite
  const brokenFiles = r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  passed += r.numPassedTests;
  failed += r.numFailedTests + brokenFiles;
  skipped += r.numPendingTests + r.numTodoTests;
  console.log(`${manifest.name}: ${r.numPassedTests} passed, ${r.numFailedTests + brokenFiles} failed`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
