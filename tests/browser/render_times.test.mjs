// How long each console page takes to render with 1,000 keys and a month of usage (measured, not
// asserted: docs/benchmarks.md records the numbers). Keys are created through the admin API, the
// month of usage written into the store (seed_usage.py). Timings go to render-times.json beside the
// screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack, admin, adminToken } from './stack.mjs';
import { launch, openPage, timePage, shot, artifacts } from './browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const KEYS = 1000;
const RUNS = 5;
let stack;
let chrome;

before(async () => {
  stack = await startStack();
  chrome = await launch();
});

after(async () => {
  await chrome?.close();
  await stack?.stop();
});

test('pages render with 1,000 keys and a month of usage', { timeout: 300000 }, async t => {
  const teams = ['search', 'ads', 'support', 'research', 'platform', 'mobile', 'data', 'security'];
  const created = [];
  for (let i = 0; i < KEYS; i++) {
    const team = teams[i % teams.length];
    const body = { name: `svc-${String(i).padStart(4, '0')}`, team, project: `${team}-p${i % 5}`, environment: i % 3 ? 'prod' : 'staging',
      limits: { monthly_usd_budget: 50 + (i % 7) * 25, requests_per_minute: 600 } };
    const r = await admin(stack.adminUrl, 'POST', '/admin/keys', body);
    assert.equal(r.status, 201);
    created.push(`${r.json.key.id}\t${team}\t${body.project}`);
  }
  const seeded = spawnSync('python3', [join(here, 'seed_usage.py'), stack.store], { input: created.join('\n'), encoding: 'utf8' });
  const usageRows = seeded.status === 0 ? Number(seeded.stdout.trim()) : 0;
  if (seeded.status !== 0) t.diagnostic(`no usage seeded (python3 with sqlite3 missing?): ${seeded.stderr || seeded.error}`);

  const { page } = await openPage(chrome.browser);
  await page.goto(`${stack.adminUrl}/`);
  await page.waitForSelector('#login-form', { visible: true });
  await page.type('#login-token', adminToken);
  await page.click('#login-form button[type=submit]');
  await page.waitForFunction(() => document.getElementById('page').dataset.ready === 'keys', { timeout: 60000 });
  assert.equal(await page.$$eval('#keys-table tbody tr', rows => rows.length), 100);  // the first page
  assert.match(await page.$eval('#key-count', e => e.textContent), /of 1000 keys/);

  const order = ['usage', 'alerts', 'audit', 'live', 'keys'];
  const times = Object.fromEntries(order.map(p => [p, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const name of order) times[name].push(await timePage(page, name));
  }
  for (const name of order) {
    await timePage(page, name);
    await shot(page, `perf-${name}`);
  }
  const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const summary = {
    keys: KEYS, usage_rows: usageRows, runs: RUNS,
    median_ms: Object.fromEntries(order.map(p => [p, Number(median(times[p]).toFixed(1))])),
    max_ms: Object.fromEntries(order.map(p => [p, Number(Math.max(...times[p]).toFixed(1))])),
  };
  writeFileSync(join(artifacts, 'render-times.json'), JSON.stringify(summary, null, 2) + '\n');
  t.diagnostic(`render times: ${JSON.stringify(summary)}`);
});
