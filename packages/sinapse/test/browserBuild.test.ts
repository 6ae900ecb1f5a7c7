/**
 * dist/sinapse.browser.js, the one-file browser build (scripts/build-browser.mjs), checked in Node:
 * it exports what `sinapse` does, has nothing left to resolve (no bare imports, no Node modules),
 * and computes. tests/web loads the same file in Chromium from a page with no bundler.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as sn from '../src/index';

const file = fileURLToPath(new URL('../dist/sinapse.browser.js', import.meta.url));

describe('dist/sinapse.browser.js', () => {
  it('exports every name that sinapse exports', async () => {
    const browser = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    expect(Object.keys(browser).sort()).toEqual(Object.keys(sn).sort());
  });

  it('is self-contained: no import or require left, no Node module named', () => {
    const code = readFileSync(file, 'utf8');
    expect(code).not.toMatch(/^\s*import\s/m);
    expect(code).not.toMatch(/\bimport\s*\(/);
    expect(code).not.toMatch(/\brequire\s*\(/);
    expect(code).not.toMatch(/["']node:/);
  });

  it("carries the wasm kernels and runs the lecture's max pooling on them", async () => {
    const browser = (await import(/* @vite-ignore */ file)) as typeof sn;
    expect(await browser.initWasm()).toBe(true);
    browser.setBackend('wasm');
    const image = browser.tensor([2, 2, 7, 3, 9, 4, 6, 1, 8, 5, 2, 4, 3, 1, 2, 6]).reshape([1, 4, 4, 1]);
    expect(browser.maxPool2d(image, { poolSize: 2, strides: 2 }).squeeze().toArray()).toEqual([
      [9, 7],
      [8, 6],
    ]);
    browser.setBackend('cpu');
  });

  it('keeps class names, so error messages still name the class', async () => {
    const browser = (await import(/* @vite-ignore */ file)) as typeof sn;
    expect(() => new browser.SGD({ learningRate: -1 })).toThrow(/^SGD: learningRate must be/);
  });
});
