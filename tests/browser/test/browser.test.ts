/**
 * The built packages in a real browser: headless Chromium, driven by puppeteer-core, loads
 * page/index.html from a small static server on 127.0.0.1 and runs page/checks.js there.
 *
 *   /isolated/   the page with COOP: same-origin and COEP: require-corp, so it is cross-origin
 *                isolated: SharedArrayBuffer exists and useWebWorkers(2) must start a worker;
 *   /plain/      the same page without those headers: no SharedArrayBuffer, useWebWorkers(2)
 *                must return 1 and everything must still run on one thread;
 *                ?sync-compile-limit=4096 also refuses synchronous wasm compiles and
 *                instantiations over 4 KB, as older Chrome did, so 'wasm' must come from
 *                `await initWasm()` and the threads from asynchronous calls only;
 *   /page/…      page/*; /pkg/@sinapse/NAME/dist/… the packages' built dist/ files.
 *
 * Everything is same-origin, so COEP needs no Cross-Origin-Resource-Policy on the files, and the
 * Web Worker (built from a Blob URL by useWebWorkers) inherits the page's isolation.
 *
 * The float32 results are compared bit for bit: between 1 and 2 threads (threads.ts promises
 * identical results for any thread count), between the two pages, and against the same code run
 * in Node by this test (page/checks.js imported here), since both run the same wasm kernels.
 *
 * Chromium: see chromium.ts (skipped without it locally, a failure under CI=true).
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as node from '../page/checks.js';
import { launch, missing, skip } from './chromium.ts';

/** page/checks.js's functions. */
type Checks = Omit<typeof node, 'BATCH'>;
declare global {
  interface Window {
    sinapseChecks?: Checks;
  }
}

const root = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = ['tensor', 'layers', 'models', 'train'];
if (skip) console.warn(`@sinapse/browser-tests: SKIPPED, ${missing}`);

// ---- the static server -------------------------------------------------------------------------

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** The file a URL path names, or null: only page/ and the packages' dist/ folders are served. */
function fileFor(path: string): { file: string; isolated: boolean } | null {
  if (path === '/isolated/' || path === '/plain/') {
    return { file: join(root, 'page', 'index.html'), isolated: path === '/isolated/' };
  }
  let base: string;
  let rest: string;
  const pkg = /^\/pkg\/@sinapse\/([a-z]+)\/dist\/(.+)$/.exec(path);
  if (pkg && PACKAGES.includes(pkg[1]!)) {
    // through node_modules, as Node resolves it: the workspace link to packages/NAME
    base = realpathSync(join(root, 'node_modules', '@sinapse', pkg[1]!, 'dist'));
    rest = pkg[2]!;
  } else if (path.startsWith('/page/')) {
    base = join(root, 'page');
    rest = path.slice('/page/'.length);
  } else {
    return null;
  }
  const file = resolve(base, decodeURIComponent(rest));
  if (!file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) return null;
  return { file, isolated: false };
}

function startServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const found = req.method === 'GET' ? fileFor(new URL(req.url ?? '/', 'http://localhost').pathname) : null;
    if (found === null) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(found.file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
      ...(found.isolated ? ISOLATION : {}),
    });
    res.end(readFileSync(found.file));
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done(server));
  });
}

// ---- comparing results -------------------------------------------------------------------------

type Results = Record<string, string>;

/** One line per result whose float32 bits differ from the expected one's (none when all match). */
function differences(actual: Results, expected: Results): string[] {
  const lines: string[] = [];
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, b64] of Object.entries(expected)) {
    const want = new Float32Array(new Uint8Array(Buffer.from(b64, 'base64')).buffer);
    const got = new Float32Array(new Uint8Array(Buffer.from(actual[name]!, 'base64')).buffer);
    if (got.length !== want.length) {
      lines.push(`${name}: ${got.length} values, expected ${want.length}`);
      continue;
    }
    const gotBits = new Uint32Array(got.buffer);
    const wantBits = new Uint32Array(want.buffer);
    let count = 0;
    let first = -1;
    for (let i = 0; i < want.length; i++) {
      if (gotBits[i] !== wantBits[i]) {
        count++;
        if (first < 0) first = i;
      }
    }
    if (count > 0) {
      lines.push(`${name}: ${count} of ${want.length} differ; first at ${first}: ${got[first]} ≠ ${want[first]}`);
    }
  }
  return lines;
}

/** The results are real numbers, and not all zero (a kernel that did nothing would match itself). */
function expectSane(results: Results): void {
  for (const [name, b64] of Object.entries(results)) {
    const values = new Float32Array(new Uint8Array(Buffer.from(b64, 'base64')).buffer);
    expect(values.length, name).toBeGreaterThan(0);
    expect(
      values.every((v) => Number.isFinite(v)),
      `${name} is finite`,
    ).toBe(true);
    expect(
      values.some((v) => v !== 0),
      `${name} is not all zeros`,
    ).toBe(true);
  }
}

// ---- the browser -------------------------------------------------------------------------------

describe.skipIf(skip)('the built packages in headless Chromium', () => {
  interface Session {
    browser: Browser;
    origin: string;
    /** What Node computes with the same dist files and seeds (the wasm backend, one thread). */
    nodeResults: Results;
  }
  let server: Server | null = null;
  let session: Promise<Session> | null = null;
  const pages: Page[] = [];

  /**
   * Starts the server and Chromium on the first test's call. Not a beforeAll: after a failed
   * beforeAll Vitest reports the tests as skipped, and a missing or broken Chromium must count
   * as failures (in CI above all).
   */
  function start(): Promise<Session> {
    session ??= (async () => {
      const browser = await launch();
      expect((await node.setUp()).backend).toBe('wasm');
      const nodeResults = node.compute();
      server = await startServer();
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      console.log(`serving ${origin}`);
      return { browser, origin, nodeResults };
    })();
    return session;
  }

  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
  });

  afterAll(async () => {
    await (await session?.catch(() => null))?.browser.close();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
  });

  /** Opens `route` in a new tab and waits for page/checks.js; errors in the page fail the test. */
  async function open(route: string): Promise<{ page: Page; problems: string[] }> {
    const { browser, origin } = await start();
    const page = await browser.newPage();
    pages.push(page);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`uncaught in the page: ${e instanceof Error ? e.message : e}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
    });
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
    });
    await page.goto(origin + route, { waitUntil: 'load' });
    try {
      await page.waitForFunction(() => window.sinapseChecks !== undefined, { timeout: 15_000 });
    } catch (e) {
      throw new Error(`page/checks.js did not load in ${route}: ${problems.join('; ') || String(e)}`);
    }
    return { page, problems };
  }

  /** The float32 results Node computed (see Session). */
  async function inNode(): Promise<Results> {
    return (await start()).nodeResults;
  }

  /** Calls an export of page/checks.js in the page. */
  function call<K extends keyof Checks>(
    page: Page,
    name: K,
    ...args: Parameters<Checks[K]>
  ): Promise<Awaited<ReturnType<Checks[K]>>> {
    return page.evaluate(
      (n, a) => (window.sinapseChecks![n] as (...x: unknown[]) => unknown)(...a),
      name,
      args as unknown[],
    ) as Promise<Awaited<ReturnType<Checks[K]>>>;
  }

  it('loads the ESM bundle: await initWasm() is true and setBackend("wasm") works', async () => {
    const { page, problems } = await open('/plain/');
    const setUp = await call(page, 'setUp');
    console.log(`wasm compiled synchronously at import: ${setUp.wasmAtImport}; backends ${setUp.backends}`);
    expect(setUp.initWasm).toBe(true);
    expect(setUp.backend).toBe('wasm');
    expect(setUp.backends).toEqual(expect.arrayContaining(['cpu', 'wasm']));
    expect(problems).toEqual([]);
  });

  it('when the browser refuses the compile at import, await initWasm() still loads the wasm backend', async () => {
    // page/index.html's shim refuses new WebAssembly.Module() over 4 KB (the kernel is ~9 KB)
    const { page, problems } = await open('/plain/?sync-compile-limit=4096');
    const setUp = await call(page, 'setUp');
    expect(setUp).toMatchObject({ wasmAtImport: false, backendAtImport: 'cpu', initWasm: true, backend: 'wasm' });
    expect(differences(await call(page, 'compute'), await inNode()), 'after initWasm vs Node').toEqual([]);
    expect(problems).toEqual([]);
  });

  it('cross-origin isolated: useWebWorkers(2) is 2, and matMul and conv2d are bit-identical to 1 thread', async () => {
    // with the old-Chrome limits on, so the main thread may only compile and instantiate asynchronously
    const { page, problems } = await open('/isolated/?sync-compile-limit=4096');
    expect((await call(page, 'setUp')).backend).toBe('wasm');
    const one = await call(page, 'compute');
    expectSane(one);
    expect(differences(one, await inNode()), 'one thread in the browser vs Node').toEqual([]);

    const started = await call(page, 'startWorkers', 2);
    expect(started).toEqual({ returned: 2, numThreads: 2, crossOriginIsolated: true, sharedArrayBuffer: true });
    const two = await call(page, 'compute');
    expect(differences(two, one), 'two threads vs one').toEqual([]);

    // back to one thread (the private instance), then two again (the compiled module is reused)
    expect(await call(page, 'stopWorkers')).toBe(1);
    expect(differences(await call(page, 'compute'), one), 'after stopThreads()').toEqual([]);
    expect((await call(page, 'startWorkers', 2)).returned).toBe(2);
    expect(differences(await call(page, 'compute'), one), 'two threads, restarted').toEqual([]);
    expect(await call(page, 'stopWorkers')).toBe(1);
    expect(problems).toEqual([]);
  });

  it('not cross-origin isolated: useWebWorkers(2) is 1, and the same results come out', async () => {
    const { page, problems } = await open('/plain/');
    expect((await call(page, 'setUp')).backend).toBe('wasm');
    const started = await call(page, 'startWorkers', 2);
    expect(started).toEqual({ returned: 1, numThreads: 1, crossOriginIsolated: false, sharedArrayBuffer: false });
    const results = await call(page, 'compute');
    expectSane(results);
    expect(differences(results, await inNode()), 'plain page vs Node').toEqual([]);
    expect(problems).toEqual([]);
  });

  it('trains LeNet-5 (layers, models, train bundles): the loss falls, identically on 1 and 2 threads', async () => {
    const steps = 3;
    const { page, problems } = await open('/isolated/');
    expect((await call(page, 'setUp')).backend).toBe('wasm');
    const one = await call(page, 'trainLeNet', steps);
    expect((await call(page, 'startWorkers', 2)).returned).toBe(2);
    const two = await call(page, 'trainLeNet', steps);
    console.log(`LeNet-5 losses, batch ${node.BATCH}: ${one.losses.map((l) => l.toFixed(4)).join(' → ')}`);
    expect(one.losses).toHaveLength(steps);
    expect(one.losses.every(Number.isFinite)).toBe(true);
    expect(one.losses[steps - 1]!).toBeLessThan(one.losses[0]!);
    expect(two.losses).toEqual(one.losses);
    expect(differences(two.weights, one.weights), 'weights after training, two threads vs one').toEqual([]);
    const nodeRun = await node.trainLeNet(steps);
    expect(one.losses).toEqual(nodeRun.losses);
    expect(differences(one.weights, nodeRun.weights), 'weights after training, browser vs Node').toEqual([]);
    expect(problems).toEqual([]);
  });
});
