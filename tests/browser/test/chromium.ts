/**
 * What the browser suites share: finding Chromium and starting it headless.
 *
 * Chromium is found at $CHROMIUM_PATH, or as chromium / chromium-browser / google-chrome on the
 * PATH (.ci/run installs Debian's chromium). Without it a suite is skipped locally, with a
 * message, and fails under CI=true.
 */
import { existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

export const isCI = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());

function findChromium(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    for (const dir of dirs) {
      const file = join(dir, name);
      if (existsSync(file) && statSync(file).isFile()) return file;
    }
  }
  return null;
}

export const chromium = findChromium();
export const missing =
  'no Chromium found ($CHROMIUM_PATH, or chromium / chromium-browser / google-chrome on the PATH); ' +
  'install it with `apt-get install -y chromium` (Debian), as .ci/run does';
/** Skip the suite: no Chromium, and not in CI (where a missing Chromium must fail). */
export const skip = chromium === null && !isCI;

/** Headless Chromium; throws (so the first test fails) when there is none. */
export async function launch(): Promise<Browser> {
  if (chromium === null) throw new Error(`CI=true and ${missing}: the browser tests cannot run`);
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true, // Chrome's new headless mode (--headless=new)
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    timeout: 30_000,
  });
  console.log(`${await browser.version()} at ${chromium}`);
  return browser;
}
