/**
 * The docs as a site (VitePress): `pnpm docs:dev` serves it, `pnpm docs:build` writes
 * docs/.vitepress/dist. The pages are the Markdown files of docs/ as they are (their ```ts blocks
 * are still run by docs/test), in the teaching order of the sidebar below; docs/README.md is the home
 * page. The demo (examples/web) is copied under /demo/ by the build (scripts/copy-demo.mjs) and
 * served there by the dev server (both from its built dist), so the site links it as one more page.
 * The API reference under /api/ is Markdown that TypeDoc writes from the packages' TSDoc comments
 * (docs/typedoc.json; the build and dev scripts run it first), with the sidebar it writes beside it.
 */
import { createReadStream, existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitepress';

const demoLink = fileURLToPath(new URL('../node_modules/@sinapse/example-web/dist', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.gz': 'application/gzip',
  '.wasm': 'application/wasm',
};

/** `vitepress dev` only: /demo/… from examples/web/dist (built by `pnpm web:build`), cross-origin isolated. */
function serveDemo(): Plugin {
  return {
    name: 'sinapse-demo',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = new URL(req.url ?? '/', 'http://localhost').pathname;
        if (!path.startsWith('/demo/')) return next();
        const demoDist = existsSync(demoLink) ? realpathSync(demoLink) : demoLink;
        const file = resolve(demoDist, decodeURIComponent(path.slice('/demo/'.length)) || 'index.html');
        if (!file.startsWith(demoDist + sep) || !existsSync(file) || !statSync(file).isFile()) {
          res.statusCode = 404;
          res.end('the demo is not built: run `pnpm web:build`');
          return;
        }
        res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
        res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
        res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
        createReadStream(file).pipe(res);
      });
    },
  };
}

/**
 * The API reference's sidebar, one group per package entry, written by typedoc-vitepress-theme. It
 * is missing until `typedoc` has run once (`pnpm docs:dev` and `pnpm docs:build` run it first).
 */
const apiSidebarFile = fileURLToPath(new URL('../api/typedoc-sidebar.json', import.meta.url));
const apiModules: { text: string; link: string; items?: { text: string; link?: string }[] }[] = existsSync(
  apiSidebarFile,
)
  ? JSON.parse(readFileSync(apiSidebarFile, 'utf8'))
  : [];
// Only the packages' pages, not every export: the sidebar is rendered into each of the ~480 API pages,
// so listing them all there would make the site quadratic in size (≈120 MB). Each package's page
// lists its exports, with their summaries.
const apiSidebar = apiModules.map((m) => {
  // a package's sub-entries (sinapse/node) stay under it; its groups of exports (Classes, ...) do not
  const entries = (m.items ?? []).flatMap((i) => (i.link === undefined ? [] : [{ text: i.text, link: i.link }]));
  return entries.length === 0 ? { text: m.text, link: m.link } : { text: m.text, link: m.link, items: entries };
});

/** The guide in the order a student reads it: values, then the pieces of a network, then training it, then the inside. */
export const sidebar = [
  {
    text: 'Guide',
    items: [
      { text: 'Tensors and autograd', link: '/tensors' },
      { text: 'Layers', link: '/layers' },
      { text: 'Pooling', link: '/pooling' },
      { text: 'Functional models', link: '/functional' },
      { text: 'Models', link: '/models' },
      { text: 'Training', link: '/training' },
      { text: 'Models in and out', link: '/interop' },
      { text: 'MNIST, step by step', link: '/mnist-walkthrough' },
    ],
  },
  {
    text: 'Inside Sinapse',
    items: [
      { text: 'Architecture', link: '/architecture' },
      { text: 'Performance', link: '/performance' },
      { text: 'Adding an op', link: '/adding-an-op' },
    ],
  },
  {
    text: 'Reference',
    items: [{ text: 'API reference', link: '/api/' }],
  },
  {
    text: 'Try it',
    // target _self: the demo is another app on the same site, not a page of this one
    items: [{ text: 'The live demo', link: '/demo/index.html', target: '_self' }],
  },
];

export default defineConfig({
  title: 'Sinapse',
  description: 'A readable, fast deep-learning framework for convolutional networks, in TypeScript.',
  lang: 'en',
  // a browser asks for a favicon on every site; without one that request is a 404
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  // docs/README.md is the home page; test/ and the doctests' scratch files are not pages
  rewrites: { 'README.md': 'index.md' },
  srcExclude: ['test/**', '.doctest/**'],
  // links into the repo (../packages/…) are not pages of the site; they stay as written
  ignoreDeadLinks: [/^(\.\/)?\.\.\//],
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/tensors' },
      { text: 'API', link: '/api/' },
      { text: 'Demo', link: '/demo/index.html', target: '_self' },
    ],
    // the API pages have their own sidebar (every export of every package), with the way back to the guide
    sidebar: {
      '/api/': [{ text: 'Back to the guide', link: '/' }, { text: 'API reference', link: '/api/' }, ...apiSidebar],
      '/': sidebar,
    },
    outline: [2, 3],
    search: { provider: 'local' },
  },
  vite: { plugins: [serveDemo()] },
});
