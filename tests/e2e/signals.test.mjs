// The real `sluice gateway run` process and its signals: SIGHUP reloads the configuration without
// dropping anything, SIGTERM lets requests in flight finish, then exits cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, injection } from './harness.mjs';

const model = 'claude-sonnet-4-20250514';

function ask(url, text, extra = {}) {
  return fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model, max_tokens: 64, messages: [{ role: 'user', content: text }], ...extra }),
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('SIGHUP applies an edited configuration to the next requests', async () => {
  const stack = await startStack();
  try {
    assert.equal((await ask(stack.url, injection)).status, 403);
    stack.rewriteConfig((text) => text.replace(/(prompt-injection:\n\s+threshold: 0\.8\n\s+action:) block/, '$1 flag'));
    stack.gateway.kill('SIGHUP');
    // The new rule set compiles off the request path; poll (bounded) until it is in use.
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; ++i) {
      await sleep(100);
      status = (await ask(stack.url, injection)).status;
    }
    assert.equal(status, 200, stack.gatewayOutput());
    assert.match(stack.gatewayOutput(), /configuration reloaded/);
  } finally {
    await stack.stop();
  }
});

test('a SIGHUP with a broken configuration keeps the running one', async () => {
  const stack = await startStack();
  try {
    stack.rewriteConfig((text) => text.replace('action: block', 'action: sometimes'));
    stack.gateway.kill('SIGHUP');
    for (let i = 0; i < 50 && !/reload failed/.test(stack.gatewayOutput()); ++i) {
      await sleep(100);
    }
    assert.match(stack.gatewayOutput(), /reload failed/);
    assert.equal((await ask(stack.url, injection)).status, 403);
    assert.equal((await ask(stack.url, 'still serving')).status, 200);
  } finally {
    await stack.stop();
  }
});

test('SIGTERM drains: a request in flight completes, then the process exits 0', async () => {
  const stack = await startStack();
  try {
    const exited = new Promise((r) => stack.gateway.on('exit', (code, signal) => r({ code, signal })));
    const inFlight = ask(stack.url, 'SIM_DELAY=800 a slow answer', { stream: true });
    await sleep(200);
    stack.gateway.kill('SIGTERM');
    const res = await inFlight;
    assert.equal(res.status, 200);
    const body = await res.text();
    assert.match(body, /message_stop/);
    const { code, signal } = await Promise.race([exited, sleep(15000).then(() => ({ code: 'timeout' }))]);
    assert.equal(signal, null);
    assert.equal(code, 0, stack.gatewayOutput());
    assert.match(stack.gatewayOutput(), /draining/);
  } finally {
    await stack.stop();
  }
});
