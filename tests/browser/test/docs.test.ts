/**
 * The docs site (docs/.vitepress/dist, built by `pnpm build` through @sinapse/docs' build script) in
 * headless Chromium, served by a small static server on 127.0.0.1 as a static host serves it: every
 * page of the guide loads with no console error or warning, no failed request and no HTTP error, and
 * shows its own title as its heading; the sidebar lists every page in the teaching order; the demo
 * copied under /demo/ is there. Client-side navigation (a sidebar click) renders the next page too.
 * The API reference (TypeDoc's Markdown, under /api/) is linked from the nav and the sidebar, and its
 * index, each package's page and a few export pages (Conv2D, maxPool2d...) load cleanly too.
 *
 * Chromium: see chromium.ts (skipped without it locally, a failure under CI=true).
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, describe, expect, it } from 'vitest';
import { launch, missing, skip } from './chromium.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
if (skip) console.warn(`@sinapse/browser-tests (docs): SKIPPED, ${missing}`);

/** The guide's pages in the sidebar's order (docs/.vitepress/config.ts), then the API reference's and the demo's links. */
const ORDER = [
  'tensors',
  'layers',
  'pooling',
  'functional',
  'models',
  'training',
  'interop',
  'mnist-walkthrough',
  'architecture',
  'performance',
  'adding-an-op',
];

/** Every package entry's page in the API reference, in the order of its sidebar (dependency order). */
const API_PACKAGES = [
  ['/api/tensor/', '@sinapse/tensor'],
  ['/api/tensor/node/', '@sinapse/tensor/node'],
  ['/api/layers/', '@sinapse/layers'],
  ['/api/models/', '@sinapse/models'],
  ['/api/models/node/', '@sinapse/models/node'],
  ['/api/train/', '@sinapse/train'],
  ['/api/train/node/', '@sinapse/train/node'],
  ['/api/data/', '@sinapse/data'],
  ['/api/data/node/', '@sinapse/data/node'],
  ['/api/interop/', '@sinapse/interop'],
  ['/api/interop/node/', '@sinapse/interop/node'],
  ['/api/sinapse/', 'sinapse'],
  ['/api/sinapse/node/', 'sinapse/node'],
] as const;

/** One export's page per main package: its heading, and a phrase of its doc comment that must be on it. */
const API_PAGES = [
  ['/api/tensor/functions/maxPool2d.html', 'Function: maxPool2d()', 'H_out = floor((H − poolH) / sh) + 1'],
  ['/api/tensor/classes/Tensor.html', 'Class: Tensor', 'row-major'],
  ['/api/layers/classes/Conv2D.html', 'Class: Conv2D', 'Conv2DOptions'],
  ['/api/models/functions/lenet5.html', 'Function: lenet5()', 'LeNet'],
  ['/api/train/functions/fit.html', 'Function: fit()', 'epochs'],
  ['/api/data/classes/Dataset.html', 'Class: Dataset', 'split'],
  ['/api/interop/functions/toLayersArtifacts.html', 'Function: toLayersArtifacts()', 'tf.loadLayersModel'],
] as const;

function site(): string {
  const dir = join(root, 'node_modules', '@sinapse/docs', '.vitepress', 'dist');
  if (!existsSync(dir)) throw new Error(`${dir} is missing: run \`pnpm build\` (or \`pnpm docs:build\`) first`);
  return realpathSync(dir);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

function startServer(base: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = resolve(base, decodeURIComponent(path.slice(1)) + (path.endsWith('/') ? 'index.html' : ''));
    if (req.method !== 'GET' || !file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done(server));
  });
}

/** The text of the page's <h1>, without VitePress's "#" anchor. */
async function heading(page: Page): Promise<string> {
  await page.waitForSelector('.vp-doc h1', { timeout: 10_000 });
  return page.$eval('.vp-doc h1', (h) =>
    (h.textContent ?? '')
      .replace(/\u200b/g, '')
      .replace(/#\s*$/, '')
      .trim(),
  );
}

describe.skipIf(skip)('the docs site in Chromium', () => {
  let browser: Browser | undefined;
  let server: Server | undefined;
  let origin = '';
  let pages: string[] = [];
  const problems: string[] = [];

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
  });

  async function open(path: string): Promise<Page> {
    const page = await browser!.newPage();
    await page.setViewport({ width: 1280, height: 800 }); // wide enough for the sidebar (under 960 px it is a menu)
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') problems.push(`${path}: console.${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${path}: uncaught: ${e}`));
    page.on('requestfailed', (r) => problems.push(`${path}: request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${path}: HTTP ${r.status()}: ${r.url()}`);
    });
    await page.goto(`${origin}${path}`, { waitUntil: 'networkidle0', timeout: 30_000 });
    return page;
  }

  it('starts Chromium and serves the built site', async () => {
    const base = site();
    pages = readdirSync(base)
      .filter((f) => f.endsWith('.html') && f !== '404.html')
      .map((f) => f.slice(0, -'.html'.length));
    expect(pages.sort()).toEqual([...ORDER, 'index'].sort());
    server = await startServer(base);
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launch();
  }, 60_000);

  it('the home page lists the guide in the sidebar, in teaching order, then the demo', async () => {
    const page = await open('/');
    expect(await heading(page)).toBe('Sinapse docs');
    const links = await page.$$eval('.VPSidebar a', (as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(links).toEqual([...ORDER.map((p) => `/${p}.html`), '/api/', '/demo/index.html']);
    // and the top nav links the guide, the API reference and the demo
    const nav = await page.$$eval('.VPNavBar a.VPLink', (as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(nav).toEqual(expect.arrayContaining(['/tensors.html', '/api/', '/demo/index.html']));
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('every page loads cleanly and shows its title', async () => {
    for (const name of ORDER) {
      const html = readFileSync(join(site(), `${name}.html`), 'utf8');
      const title = /<title>(.*?) \| Sinapse<\/title>/.exec(html)?.[1];
      expect(title, `${name}.html has no <title>`).toBeTruthy();
      const page = await open(`/${name}.html`);
      // the <h1> rendered by the client (Vue hydrates over the static HTML) is the page's title
      expect(await heading(page), name).toBe(title!.replace(/&amp;/g, '&'));
      expect(await page.title()).toBe(`${title} | Sinapse`);
      await page.close();
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it('a sidebar click renders the next page without a reload', async () => {
    const page = await open('/tensors.html');
    await page.click('.VPSidebar a[href="/layers.html"]');
    await page.waitForFunction(() => location.pathname === '/layers.html', { timeout: 10_000 });
    await page.waitForFunction(() => (document.querySelector('.vp-doc h1')?.textContent ?? '').startsWith('Layers'), {
      timeout: 10_000,
    });
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('the API reference: its index and the package pages load cleanly, the sidebar lists the packages', async () => {
    const index = await open('/api/');
    expect(await heading(index)).toBe('Sinapse API');
    const sidebar = await index.$$eval('.VPSidebar a', (as) => as.map((a) => a.getAttribute('href') ?? ''));
    // the way back to the guide, the index, then each package's page
    expect(sidebar.slice(0, 2)).toEqual(['/', '/api/']);
    const packagePages = sidebar.filter((href) => /^\/api\/[a-z]+\/(node\/)?$/.test(href));
    expect(packagePages).toEqual(API_PACKAGES.map(([href]) => href));
    await index.close();
    // one package page in Chromium; the others as a static host serves them (their <h1> is in the HTML)
    const tensorPage = await open('/api/tensor/');
    expect(await heading(tensorPage)).toBe('@sinapse/tensor');
    await tensorPage.close();
    for (const [path, name] of API_PACKAGES) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status, path).toBe(200);
      const h1 = /<h1[^>]*>(.*?)<a/.exec(await response.text())?.[1]?.trim();
      expect(h1, path).toBe(name);
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it('the API pages of Conv2D, maxPool2d and one export per package show their doc comments', async () => {
    for (const [path, title, phrase] of API_PAGES) {
      if (path.endsWith('/Conv2D.html') || path.endsWith('/maxPool2d.html')) {
        // these two in Chromium: rendered by the client, with no console error
        const page = await open(path);
        expect(await heading(page), path).toBe(title);
        expect(await page.$eval('.vp-doc', (d) => d.textContent ?? ''), path).toContain(phrase);
        await page.close();
      } else {
        const response = await fetch(`${origin}${path}`);
        expect(response.status, path).toBe(200);
        const html = await response.text();
        expect(/<h1[^>]*>(.*?)<a/.exec(html)?.[1]?.trim(), path).toBe(title);
        expect(html, path).toContain(phrase);
      }
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it('the demo is part of the site, under /demo/', async () => {
    const response = await fetch(`${origin}/demo/index.html`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<script type="module"');
  });
});
