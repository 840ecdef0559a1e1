// The operator's console in a real browser: log in, create a key and use it through the gateway, find
// the request in usage and audit, see the budget alert, rotate and revoke the key, and read the live
// metrics. Screenshots go to SLUICE_BROWSER_ARTIFACTS (the build tree under ctest).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, callGateway, admin, adminToken } from './stack.mjs';
import { existsSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, showPage, shot, artifacts } from './browser.mjs';

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

const text = el => el.evaluate(e => e.textContent);

async function clickButton(page, selector) {
  await page.waitForSelector(selector, { visible: true });
  await page.click(selector);
}

// The modal's button with this value (Create, Rotate, Revoke, …).
async function pressDialog(page, value) {
  await clickButton(page, `#modal button[value="${value}"]`);
}

test('an operator manages a key end to end in the console', async () => {
  const { page, requests, problems } = await openPage(chrome.browser);
  await page.goto(`${stack.adminUrl}/`);
  await page.waitForSelector('#login-form', { visible: true });
  await shot(page, '01-login');

  // A wrong token is refused on the form.
  await page.type('#login-token', 'definitely-not-the-admin-token');
  await page.click('#login-form button[type=submit]');
  await page.waitForFunction(() => document.getElementById('login-error').textContent.includes('wrong admin token'));

  await page.type('#login-token', adminToken);
  await page.click('#login-form button[type=submit]');
  await page.waitForFunction(() => document.getElementById('page').dataset.ready === 'keys', { timeout: 20000 });
  // The token is nowhere the page could leak it from: not in the URL, storage, a readable cookie or the DOM.
  const kept = await page.evaluate(() => ({
    url: location.href, local: JSON.stringify(localStorage), session: JSON.stringify(sessionStorage),
    cookie: document.cookie, html: document.documentElement.outerHTML,
  }));
  for (const [where, value] of Object.entries(kept)) {
    assert.ok(!value.includes(adminToken), `the admin token is in ${where}`);
  }
  const cookies = await page.cookies();
  const session = cookies.find(c => c.name === 'sluice_console');
  assert.ok(session && session.httpOnly && session.sameSite === 'Strict', JSON.stringify(cookies));

  // Create a key with a small soft token budget, so that using it raises a budget alert.
  await clickButton(page, '#new-key');
  await page.type('#modal input[name=name]', 'browser-key');
  await page.type('#modal input[name=team]', 'search');
  await page.type('#modal input[name=project]', 'ranker');
  await page.type('#modal input[name=environment]', 'prod');
  await page.type('#modal input[name=monthly_token_budget]', '60');
  await page.select('#modal select[name=hard_budget]', 'false');
  await pressDialog(page, 'create');
  await page.waitForSelector('#modal .secret-value', { visible: true });
  const secret = await page.$eval('#modal .secret-value', e => e.textContent);
  assert.match(secret, /^sk-sluice-/);
  await shot(page, '02-key-created');
  await pressDialog(page, 'done');
  await page.waitForFunction(() => !document.querySelector('#modal .secret-value'));
  const afterCreate = await page.evaluate(() => document.documentElement.outerHTML);
  assert.ok(!afterCreate.includes(secret), 'the secret stays in the page after its dialog closed');
  const keyId = await page.$eval('#keys-table tbody tr', tr => tr.dataset.key);
  assert.match(keyId, /^key_[0-9a-f]{16}$/);

  // Use it through the gateway: the key works, the usage goes past its budget (soft: an alert, no refusal).
  for (let i = 0; i < 4; i++) {
    const r = await callGateway(stack.gatewayUrl, secret, `Please summarise our roadmap for quarter ${i} in two sentences, thank you kindly.`);
    assert.equal(r.status, 200, r.body);
  }
  await new Promise(r => setTimeout(r, 500));  // the usage writer and the audit writer flush every 100 ms

  await showPage(page, 'keys');
  const row = await page.$(`#keys-table tr[data-key="${keyId}"]`);
  const rowText = await text(row);
  assert.match(rowText, /search/);
  assert.match(rowText, /of 60 tokens/);
  assert.ok(!rowText.includes('not this month'), rowText);  // last used: today
  await shot(page, '03-keys');

  // Update: the edit dialog starts from the key's settings and saves the change.
  await clickButton(page, `#keys-table tr[data-key="${keyId}"] button.edit`);
  assert.equal(await page.$eval('#modal input[name=project]', e => e.value), 'ranker');
  await page.$eval('#modal input[name=project]', e => { e.value = ''; });
  await page.type('#modal input[name=project]', 'ranker-v2');
  await pressDialog(page, 'save');
  await page.waitForFunction(id => document.querySelector(`#keys-table tr[data-key="${id}"]`)?.textContent.includes('ranker-v2'), {}, keyId);

  await showPage(page, 'usage');
  const usageRow = await page.$$eval('#usage-table tbody tr:first-child td', tds => tds.map(td => td.textContent));
  assert.equal(usageRow[0], 'search');
  assert.equal(usageRow[1], '4');  // four requests
  assert.ok(await page.$('#usage-chart svg rect'), 'the usage chart has bars');
  await page.select('#usage-group', 'key');
  await page.waitForFunction(id => document.getElementById('usage-table').textContent.includes(`browser-key (${id})`), {}, keyId);
  await shot(page, '04-usage');
  const downloads = join(artifacts, 'downloads');
  rmSync(downloads, { recursive: true, force: true });
  mkdirSync(downloads, { recursive: true });
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
  await page.click('#usage-csv');
  const csvFile = join(downloads, `sluice-usage-key-${await page.evaluate(() => new Date(Date.now() - 29 * 86400000).toISOString().slice(0, 10))}.csv`);
  for (let i = 0; i < 100 && !existsSync(csvFile); i++) await new Promise(r => setTimeout(r, 50));
  const csv = readFileSync(csvFile, 'utf8').trim().split('\n');
  assert.equal(csv[0], 'day,key,requests,input_tokens,output_tokens,cost_usd');
  assert.match(csv[1], new RegExp(`^\\d{4}-\\d{2}-\\d{2},${keyId},4,`));

  await showPage(page, 'audit');
  await page.select('#audit-type', 'request');
  await page.click('.toolbar button.quiet');
  await page.waitForFunction(() => document.querySelector('#audit-table tbody').textContent.includes('browser-key'));
  await page.select('#audit-type', '');
  await page.type('#audit-key', keyId);
  await page.click('.toolbar button.quiet');
  await page.waitForFunction(() => document.querySelector('#audit-table tbody').textContent.includes('key.created'));
  await clickButton(page, '#audit-verify');
  await page.waitForFunction(() => document.getElementById('audit-verify-result').textContent.includes('Chain intact'));
  const head = await page.$eval('#audit-head', e => e.textContent);
  assert.match(head, /^[0-9a-f]{64}$/);
  await shot(page, '05-audit');

  await showPage(page, 'alerts');
  await page.waitForFunction(() => document.getElementById('alerts-table').textContent.includes('budget_threshold'), { timeout: 10000 });
  assert.match(await text(await page.$('#alerts-table')), /browser-key/);
  await page.select('#alert-kind', 'usage_spike');
  assert.match(await text(await page.$('#alerts-table tbody')), /No alerts match/);
  await page.select('#alert-kind', 'budget_threshold');
  assert.match(await text(await page.$('#alerts-table tbody')), /browser-key/);
  await shot(page, '06-alerts');

  await showPage(page, 'live');
  await page.waitForFunction(() => document.getElementById('live-p50').textContent.includes('ms'), { timeout: 10000 });
  assert.match(await text(await page.$('#live-verdicts')), /pii-detector|none yet/);
  await shot(page, '07-live');

  // Rotate with a grace period: a new secret once, the old one still works, the status says until when.
  await showPage(page, 'keys');
  await clickButton(page, `#keys-table tr[data-key="${keyId}"] button.rotate`);
  await page.$eval('#modal input[name=grace_seconds]', e => { e.value = '600'; });
  await pressDialog(page, 'rotate');
  await page.waitForSelector('#modal .secret-value', { visible: true });
  const rotated = await page.$eval('#modal .secret-value', e => e.textContent);
  assert.notEqual(rotated, secret);
  await pressDialog(page, 'done');
  await page.waitForFunction(() => !document.querySelector('#modal .secret-value'));
  await page.waitForFunction(id => document.querySelector(`#keys-table tr[data-key="${id}"] .status`).textContent.startsWith('rotating until'), {}, keyId);
  assert.equal((await callGateway(stack.gatewayUrl, secret, 'still there?')).status, 200);
  assert.equal((await callGateway(stack.gatewayUrl, rotated, 'new secret?')).status, 200);

  // Revoke, after the confirmation: both secrets stop working at once.
  await clickButton(page, `#keys-table tr[data-key="${keyId}"] button.revoke`);
  await page.waitForSelector('#modal[open]');
  assert.match(await text(await page.$('#modal')), /cannot be undone/);
  await pressDialog(page, 'revoke');
  await page.waitForFunction(id => !document.querySelector(`#keys-table tr[data-key="${id}"]`), {}, keyId);
  await page.click('#show-revoked');
  await page.waitForFunction(id => document.querySelector(`#keys-table tr[data-key="${id}"] .status`)?.textContent === 'revoked', {}, keyId);
  await shot(page, '08-revoked');
  assert.equal((await callGateway(stack.gatewayUrl, rotated, 'revoked?')).status, 401);
  assert.equal((await callGateway(stack.gatewayUrl, secret, 'revoked?')).status, 401);

  // No page or endpoint repeats a secret after its creation view.
  const listing = await admin(stack.adminUrl, 'GET', '/admin/keys?usage=1');
  const audit = await admin(stack.adminUrl, 'GET', '/admin/audit?limit=1000');
  const everything = JSON.stringify([listing.json, audit.json]) + (await page.evaluate(() => document.documentElement.outerHTML));
  assert.ok(!everything.includes(secret) && !everything.includes(rotated), 'a secret leaked after creation');

  // Every request went to the admin listener itself (data: URLs are the browser's own date-picker icon,
  // nothing fetched); nothing broke the CSP or threw.
  const origin = new URL(stack.adminUrl).origin;
  assert.deepEqual(requests.filter(u => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:')), []);
  assert.deepEqual(problems.filter(p => !p.includes('401')), []);

  // Logging out ends the session: the API refuses the old cookie.
  await clickButton(page, '#logout');
  await page.waitForSelector('#login-form', { visible: true });
  const status = await page.evaluate(async () => (await fetch('/admin/keys', { headers: { 'X-Sluice-Console': '1' } })).status);
  assert.equal(status, 401);
});
