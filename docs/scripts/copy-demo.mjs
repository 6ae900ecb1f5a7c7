/**
 * After `vitepress build`: copies the built demo (examples/web/dist, a workspace dependency built
 * first by turbo) into the site as /demo/, so the site is one static folder with the demo in it. A
 * host that sends COOP/COEP for /demo/ gives it 2 threads; the site's _headers file asks for them, for
 * hosts that read it (the demo's own one, for a site of its own, is replaced). Without them the demo
 * runs on one thread.
 */
import { cpSync, existsSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const demo = fileURLToPath(new URL('../node_modules/@sinapse/example-web/dist', import.meta.url));
const target = fileURLToPath(new URL('../.vitepress/dist/demo', import.meta.url));
if (!existsSync(demo)) {
  console.error(`${demo} is missing: build the demo first (\`pnpm docs:build\` does)`);
  process.exit(1);
}
rmSync(target, { recursive: true, force: true });
cpSync(realpathSync(demo), target, { recursive: true });
rmSync(`${target}/_headers`, { force: true });
writeFileSync(
  fileURLToPath(new URL('../.vitepress/dist/_headers', import.meta.url)),
  '# the demo is cross-origin isolated, so it trains on two threads (see examples/web/vite.config.ts)\n' +
    '/demo/*\n  Cross-Origin-Opener-Policy: same-origin\n  Cross-Origin-Embedder-Policy: require-corp\n',
);
console.log(`copied the demo into ${target}`);
