// The core stays small on purpose (tinygrad's CI does the same): count the non-blank,
// non-comment lines of packages/tensor/src, tests excluded, and fail past the budget.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BUDGET = 8000;
const dir = new URL('../packages/tensor/src', import.meta.url).pathname;
let total = 0;
const walk = (d) => {
  for (const name of readdirSync(d)) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !p.includes('/testing/opInfos/')) {
      let inBlock = false;
      for (const raw of readFileSync(p, 'utf8').split('\n')) {
        const line = raw.trim();
        if (inBlock) {
          if (line.includes('*/')) inBlock = false;
          continue;
        }
        if (line === '' || line.startsWith('//')) continue;
        if (line.startsWith('/*')) {
          inBlock = !line.includes('*/');
          continue;
        }
        total += 1;
      }
    }
  }
};
walk(dir);
console.log(`packages/tensor/src: ${total} lines of code (budget ${BUDGET})`);
process.exit(total > BUDGET ? 1 : 0);
