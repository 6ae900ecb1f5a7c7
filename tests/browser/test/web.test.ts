/**
 * The demo (examples/web, built by `pnpm web:build`) and the one-file build (sinapse.browser.js)
 * in headless Chromium, served by a small static server on 127.0.0.1:
 *
 *   /demo/…     examples/web/dist with COOP: same-origin and COEP: require-corp (cross-origin
 *               isolated, as `pnpm web` and `vite preview` serve it): training on 2 threads;
 *   /plain/…    the same files without those headers, as a static host that sends none: 1 thread;
 *   /single/    page/single-file.html, a page with no bundler and no import map that imports
 *               /single/sinapse.browser.js (packages/sinapse/dist) from a plain module script.
 *
 * The demo's tests run in order on one tab (MNIST loads once): the page loads cleanly, a short
 * training run in the worker passes 90% while the main thread never blocks for over 100 ms, the
 * See inside view shows the trained filters, the pooling playground gives the lecture's numbers,
 * and a 7 drawn with pointer events is read as a 7 by the shipped model. Each view's screenshot
 * goes to tests/browser/screenshots/ (kept by CI, ignored by git).
 *
 * Chromium: see chromium.ts (skipped without it locally, a failure under CI=true).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { afterAll, describe, expect, it } from 'vitest';
import { launch, missing, skip } from './chromium.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const screenshots = join(root, 'screenshots');
if (skip) console.warn(`@sinapse/browser-tests (web): SKIPPED, ${missing}`);

// ---- the static server -------------------------------------------------------------------------

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.gz': 'application/gzip',
  '.bin': 'application/octet-stream',
};
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** A built folder, through node_modules as Node resolves it (the workspace links). */
function built(pkg: string, folder: string): string {
  const dir = join(root, 'node_modules', pkg, folder);
  if (!existsSync(dir)) throw new Error(`${dir} is missing: run \`pnpm build\` first`);
  return realpathSync(dir);
}

function fileFor(path: string): { file: string; isolated: boolean } | null {
  let base: string;
  let rest: string;
  let isolated = false;
  const site = /^\/(demo|plain)\/(.*)$/.exec(path);
  if (site) {
    base = built('@sinapse/example-web', 'dist');
    rest = site[2] || 'index.html';
    isolated = site[1] === 'demo';
  } else if (path === '/single/') {
    return { file: join(root, 'page', 'single-file.html'), isolated: true };
  } else if (path.startsWith('/single/')) {
    base = built('sinapse', 'dist');
    rest = path.slice('/single/'.length);
    isolated = true;
  } else {
    return null;
  }
  const file = resolve(base, decodeURIComponent(rest));
  if (!file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) return null;
  return { file, isolated };
}

function startServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const found = req.method === 'GET' ? fileFor(new URL(req.url ?? '/', 'http://localhost').pathname) : null;
    if (found === null) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const body = readFileSync(found.file);
    res.writeHead(200, {
      'Content-Type': TYPES[extname(found.file)] ?? 'application/octet-stream',
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
      ...(found.isolated ? ISOLATION : {}),
    });
    res.end(body);
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done(server));
  });
}

// ---- the trace ---------------------------------------------------------------------------------

/**
 * The tasks of the page's main thread (CrRendererMain) in a Chromium trace: wall-clock and thread
 * (CPU) time in ms. Only one page may be open while tracing: each renderer has its own main thread.
 */
function mainThreadTasks(trace: Uint8Array | undefined): Array<{ wall: number; cpu: number }> {
  interface Event {
    name: string;
    ph: string;
    pid: number;
    tid: number;
    dur?: number;
    tdur?: number;
    args?: { name?: string };
  }
  const { traceEvents } = JSON.parse(Buffer.from(trace ?? []).toString('utf8')) as { traceEvents: Event[] };
  const main = new Set(
    traceEvents
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  return traceEvents
    .filter(
      (e) =>
        e.ph === 'X' &&
        (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') &&
        main.has(`${e.pid}:${e.tid}`),
    )
    .map((e) => ({ wall: (e.dur ?? 0) / 1000, cpu: (e.tdur ?? 0) / 1000 }));
}

// ---- the page ----------------------------------------------------------------------------------

declare global {
  interface Window {
    /** Main-thread long tasks (over 50 ms), recorded from the start (see open()). */
    longTasks?: Array<{ start: number; duration: number }>;
    /** page/single-file.html's results. */
    singleFile?: Record<string, unknown>;
  }
}

describe.skipIf(skip)('the demo and the one-file build in headless Chromium', () => {
  let server: Server | null = null;
  let session: Promise<{ browser: Browser; origin: string }> | null = null;

  function start(): Promise<{ browser: Browser; origin: string }> {
    session ??= (async () => {
      mkdirSync(screenshots, { recursive: true });
      const browser = await launch();
      server = await startServer();
      return { browser, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    })();
    return session;
  }

  afterAll(async () => {
    await (await session?.catch(() => null))?.browser.close();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
  });

  /** Opens `route`; console errors, uncaught errors, failed requests and HTTP errors go to `problems`. */
  async function open(route: string, viewport = { width: 1280, height: 900 }) {
    const { browser, origin } = await start();
    const page = await browser.newPage();
    await page.setViewport(viewport);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`uncaught in the page: ${e instanceof Error ? e.message : e}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') problems.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
    });
    await page.evaluateOnNewDocument(() => {
      window.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.longTasks!.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(origin + route, { waitUntil: 'load' });
    return { page, problems };
  }

  /** Waits for the worker to have MNIST loaded (body[data-ready]), with the page's status on timeout. */
  async function ready(page: Page): Promise<void> {
    try {
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    } catch (e) {
      const status = await page.$eval('#status', (s) => s.textContent);
      throw new Error(`MNIST did not load; the status says "${status}": ${e}`);
    }
  }

  async function view(page: Page, name: string): Promise<void> {
    await page.click(`#tab-${name}`);
    await page.waitForSelector(`#view-${name}:not([hidden])`);
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  }

  // one tab for the demo's tests, in order: MNIST is loaded once
  let demo: Promise<{ page: Page; problems: string[] }> | null = null;
  const openDemo = () => {
    demo ??= open('/demo/');
    return demo;
  };

  it('the demo loads with no errors and no failed requests; the worker trains on 2 threads (isolated)', {
    timeout: 90_000,
  }, async () => {
    const { page, problems } = await openDemo();
    await ready(page);
    const status = await page.$eval('#status', (s) => ({ ...(s as HTMLElement).dataset, text: s.textContent }));
    console.log(`demo status: ${status.text}`);
    expect(status).toMatchObject({ threads: '2', isolated: 'true' });
    expect(await page.evaluate(() => document.body.dataset.backend)).toBe('wasm');
    expect(await page.$eval('#train-start', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
    expect(problems).toEqual([]);
  });

  it('trains one epoch of 10,000 images in the worker: above 90%, no main-thread task over 100 ms', {
    timeout: 180_000,
  }, async () => {
    const { page, problems } = await openDemo();
    await ready(page);
    await view(page, 'train');
    await page.select('#train-size', '10000');
    await page.select('#epochs', '1');
    await page.tracing.start({ categories: ['toplevel'] });
    const started = await page.evaluate(() => performance.now());
    await page.click('#train-start');
    await page.waitForSelector('body[data-training="finished"]', { timeout: 150_000 });
    const ended = await page.evaluate(() => performance.now());
    const tasks = mainThreadTasks(await page.tracing.stop());
    const read = (id: string) => page.$eval(`#${id}`, (e) => e.textContent ?? '');
    const [speed, validation, test] = await Promise.all([read('m-speed'), read('m-val'), read('m-test')]);
    console.log(
      `one epoch of 10,000 in ${((ended - started) / 1000).toFixed(1)} s; ${speed} examples/s; ` +
        `validation ${validation}, test ${test}`,
    );
    expect(Number.parseFloat(test)).toBeGreaterThan(90);
    expect(Number.parseFloat(validation)).toBeGreaterThan(90);
    expect(Number(speed.replace(/,/g, ''))).toBeGreaterThan(0);
    // The Long Tasks API measures wall-clock time, which on a busy machine includes the time the
    // main thread waited for a core (here, two cores, both taken by the worker's two threads and
    // whatever else runs): it is printed. What the page itself does is measured by the trace's
    // thread time of each main-thread task, and no task may take over 100 ms of it.
    const long = await page.evaluate(
      (from, to) => window.longTasks!.filter((t) => t.start >= from && t.start <= to),
      started,
      ended,
    );
    const cpu = tasks.map((t) => t.cpu).sort((a, b) => b - a);
    console.log(
      `main thread during training: ${tasks.length} tasks, the longest ${cpu.slice(0, 3).map((t) => t.toFixed(1))} ms ` +
        `of thread time; long tasks (over 50 ms of wall-clock time): ${JSON.stringify(long)}; load average ` +
        `${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
    );
    expect(tasks.length).toBeGreaterThan(50); // the page drew as the worker reported
    expect(tasks.filter((t) => t.cpu > 100)).toEqual([]);
    // the curves have points: the chart canvases are not blank
    const inked = await page.$eval('#chart-acc', (c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(1000);
    await screenshot(page, 'train');
    expect(problems).toEqual([]);
  });

  it('See inside shows the six trained conv1 filters and the maps after each conv and pooling layer', async () => {
    const { page, problems } = await openDemo();
    await view(page, 'inside');
    await page.click('#digit-picker button:nth-child(2)');
    await page.waitForFunction(() => document.querySelectorAll('#feature-maps canvas').length === 6 + 6 + 16 + 16);
    const shapes = await page.$$eval('#filters canvas, #feature-maps [data-layer]', (nodes) =>
      nodes.map((n) =>
        n instanceof HTMLCanvasElement
          ? `${n.width}x${n.height}`
          : `${(n as HTMLElement).dataset.layer}:${n.querySelectorAll('canvas').length}x${n.querySelector('canvas')!.width}`,
      ),
    );
    expect(shapes).toEqual([...Array(6).fill('5x5'), 'conv1:6x28', 'pool1:6x14', 'conv2:16x10', 'pool2:16x5']);
    const probabilities = await page.$$eval('#inside-probs li', (items) =>
      items.map((i) => i.classList.contains('best')),
    );
    expect(probabilities.filter(Boolean)).toHaveLength(1);
    await screenshot(page, 'inside');
    expect(problems).toEqual([]);
  });

  it("the pooling playground gives the lecture's numbers, and editing a cell changes the output", async () => {
    const { page, problems } = await openDemo();
    await view(page, 'pooling');
    const output = () =>
      page.$eval('#pool-output', (grid) => {
        const cols = Number((grid as HTMLElement).style.getPropertyValue('--cols'));
        const cells = Array.from(grid.querySelectorAll('.cell'));
        const values = cells.map((c) => Number(c.textContent));
        return Array.from({ length: values.length / cols }, (_, r) => values.slice(r * cols, (r + 1) * cols));
      });
    const kind = (value: string) => page.click(`input[name="pool-kind"][value="${value}"]`);
    expect(await output()).toEqual([
      [9, 7],
      [8, 6],
    ]);
    // max pooling's gradient: 1 at each window's winner (9, 7, 8, 6), 0 elsewhere
    const grad = await page.$$eval('#pool-grad .cell', (cells) => cells.map((c) => Number(c.textContent)));
    expect(grad).toEqual([0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
    await screenshot(page, 'pooling');
    await kind('avg');
    expect(await output()).toEqual([
      [4.25, 4.25],
      [4.25, 3.5],
    ]);
    await kind('gmax');
    expect(await output()).toEqual([[9]]);
    await kind('gavg');
    expect(await output()).toEqual([[4.0625]]);
    // edit x[0][0] = 2 → 12: the first window's max changes
    await kind('max');
    const cell = await page.$('#pool-input input[data-row="0"][data-col="0"]');
    await cell!.click({ count: 3 });
    await cell!.type('12');
    expect(await output()).toEqual([
      [12, 7],
      [8, 6],
    ]);
    await page.click('#pool-reset');
    expect(await output()).toEqual([
      [9, 7],
      [8, 6],
    ]);
    expect(problems).toEqual([]);
  });

  it('a 7 drawn with pointer events is read as a 7 by the shipped model', async () => {
    const { page, problems } = await openDemo();
    await view(page, 'draw');
    await page.waitForSelector('body[data-shipped-model="ready"]', { timeout: 15_000 });
    const box = (await (await page.$('#draw-canvas'))!.boundingBox())!;
    const at = (fx: number, fy: number) => [box.x + fx * box.width, box.y + fy * box.height] as const;
    // the bar from left to right, then the stem down and to the left, in one stroke
    await page.mouse.move(...at(0.28, 0.22));
    await page.mouse.down();
    await page.mouse.move(...at(0.72, 0.22), { steps: 12 });
    await page.mouse.move(...at(0.44, 0.82), { steps: 16 });
    await page.mouse.up();
    await page.waitForFunction(() => document.getElementById('draw-prediction')!.textContent !== '–');
    const prediction = await page.$eval('#draw-prediction', (e) => e.textContent ?? '');
    console.log(`the drawn 7 is read as: ${prediction}`);
    expect(prediction.split(' ')[0]).toBe('7');
    await screenshot(page, 'draw');
    expect(problems).toEqual([]);
  });

  it('saves the model as one file (a download) and loads it back: the same prediction', async () => {
    const { page, problems } = await openDemo();
    const downloads = mkdtempSync(join(tmpdir(), 'sinapse-web-download-'));
    try {
      const cdp = await page.createCDPSession();
      await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
      const before = await page.$eval('#draw-prediction', (e) => e.textContent);
      await page.click('#model-save');
      const file = join(downloads, 'lenet5-mnist.sinapse.json');
      for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((done) => setTimeout(done, 100));
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { format: string; weightData: string };
      expect(saved.format).toBe('sinapse-model-file');
      // 61,706 float32 weights as base64
      expect(Buffer.from(saved.weightData, 'base64').length).toBe(61_706 * 4);
      const input = await page.$('#model-load');
      await (input as ElementHandle<HTMLInputElement>).uploadFile(file);
      await page.waitForFunction(() =>
        (document.getElementById('model-source') as HTMLSelectElement).value.startsWith('file:'),
      );
      expect(await page.$eval('#model-info', (e) => e.textContent)).toContain('lenet5-mnist.sinapse.json');
      expect(await page.$eval('#draw-prediction', (e) => e.textContent)).toBe(before);
    } finally {
      rmSync(downloads, { recursive: true, force: true });
    }
    expect(problems).toEqual([]);
  });

  it('without COOP/COEP the same site still works, on one thread', async () => {
    // the demo's tab is done with: a tab in the background would be throttled
    await (await demo?.catch(() => null))?.page.close();
    const { page, problems } = await open('/plain/');
    await ready(page);
    const status = await page.$eval('#status', (s) => ({ ...(s as HTMLElement).dataset }));
    expect(status).toMatchObject({ threads: '1', isolated: 'false' });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('reads well on a phone-sized screen (screenshots)', async () => {
    const { page, problems } = await open('/demo/#pooling', { width: 390, height: 844 });
    await ready(page);
    await screenshot(page, 'phone-pooling');
    // nothing wider than the screen: no sideways scrolling
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await view(page, 'train');
    await screenshot(page, 'phone-train');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the one-file build works from a page with no bundler and no import map', async () => {
    const { page, problems } = await open('/single/');
    await page.waitForFunction(() => window.singleFile !== undefined, { timeout: 30_000 });
    const result = (await page.evaluate(() => window.singleFile))!;
    if ('error' in result) throw new Error(`page/single-file.html: ${result.error}`);
    expect(result).toMatchObject({
      backend: 'wasm',
      threads: 2,
      maxPool: [9, 7, 8, 6],
      avgPool: [4.25, 4.25, 4.25, 3.5],
    });
    const losses = result.losses as number[];
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    expect(problems).toEqual([]);
    await page.close();
  });
});
