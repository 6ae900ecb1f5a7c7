/**
 * The docs site (docs/.vitepress/dist, built by `pnpm build` through @sinapse/docs' build script) in
 * headless Chromium, served by a small static server on 127.0.0.1 as a static host serves it: every
 * page of the guide loads with no console error or warning, no failed request and no HTTP error, and
 * shows its own title as its heading; the sidebar lists every page in the teaching order; the demo
 * copied under /demo/ is there. Client-side navigation (a sidebar click) renders the next page too.
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

/** The guide's pages in the sidebar's order (docs/.vitepress/config.ts), then the demo's link. */
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
    expect(links).toEqual([...ORDER.map((p) => `/${p}.html`), '/demo/index.html']);
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

  it('the demo is part of the site, under /demo/', async () => {
    const response = await fetch(`${origin}/demo/index.html`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<script type="module"');
  });
});
