// Headless Chromium from Debian's `chromium` package, driven by puppeteer-core (which never downloads a
// browser of its own). Each launch gets a new, empty profile directory.
import puppeteer from 'puppeteer-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const chromiumPath = process.env.SLUICE_CHROMIUM || '/usr/bin/chromium';
export const artifacts = process.env.SLUICE_BROWSER_ARTIFACTS || join(tmpdir(), 'sluice-browser-artifacts');
mkdirSync(artifacts, { recursive: true });

export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'sluice-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: chromiumPath,
    headless: true,
    userDataDir: profile,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--window-size=1400,900'],
    defaultViewport: { width: 1400, height: 900 },
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Opens a page that records every request it makes and every CSP violation or script error.
export async function openPage(browser) {
  const page = await browser.newPage();
  const requests = [];
  const problems = [];
  page.on('request', r => requests.push(r.url()));
  page.on('pageerror', e => problems.push(`page error: ${e.message}`));
  page.on('console', m => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  return { page, requests, problems };
}

// Navigates the console to `name` and waits until the page says it has rendered it.
export async function showPage(page, name) {
  await page.evaluate(n => { location.hash = n; }, name);
  await page.waitForFunction(n => document.getElementById('page').dataset.ready === n, { timeout: 20000 }, name);
}

// Time from asking for a page to its first paint after rendering (fetches, DOM, layout), in ms.
export async function timePage(page, name) {
  return page.evaluate(async n => {
    const root = document.getElementById('page');
    const started = performance.now();
    location.hash = n;
    while (root.dataset.ready !== n) await new Promise(r => setTimeout(r, 1));
    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
    return performance.now() - started;
  }, name);
}

export async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: false });
}
