// The official Anthropic SDK against the gateway: plain and streamed messages, redaction on the way in
// and on the way out, blocking, and both ways of passing a key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startStack, replyWith, injection } from './harness.mjs';

let stack;
let client;

before(async () => {
  stack = await startStack();
  client = new Anthropic({ apiKey: 'sk-ant-client-test', baseURL: stack.url, maxRetries: 0, timeout: 20000 });
});

after(async () => {
  await stack?.stop();
});

const model = 'claude-sonnet-4-20250514';

function textOf(message) {
  return message.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
}

test('a plain message comes back with text, a stop reason and usage', async () => {
  const message = await client.messages.create({
    model,
    max_tokens: 64,
    messages: [{ role: 'user', content: 'hello gateway' }],
  });
  assert.equal(message.type, 'message');
  assert.equal(message.role, 'assistant');
  assert.match(textOf(message), /hello gateway/);
  assert.equal(message.stop_reason, 'end_turn');
  assert.ok(message.usage.input_tokens > 0);
  assert.ok(message.usage.output_tokens > 0);
});

test('a streamed message arrives as events and adds up to the whole text', async () => {
  const stream = client.messages.stream({
    model,
    max_tokens: 64,
    messages: [{ role: 'user', content: replyWith('The quick brown fox jumps over the lazy dog.') }],
  });
  const types = new Set();
  let text = '';
  for await (const event of stream) {
    types.add(event.type);
    if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
      text += event.delta.text;
    }
  }
  const final = await stream.finalMessage();
  assert.ok(text.startsWith('The quick brown fox jumps over the lazy dog.'));
  assert.equal(textOf(final), text);
  for (const t of ['message_start', 'content_block_start', 'content_block_delta', 'message_stop']) {
    assert.ok(types.has(t), `missing ${t}`);
  }
});

test('personal data in the prompt is redacted before it reaches the model', async () => {
  // The simulator echoes the last user text: whatever it received comes back.
  const message = await client.messages.create({
    model,
    max_tokens: 64,
    messages: [{ role: 'user', content: 'Please email jane.doe@example.com about the "café" plan\n' }],
  });
  const text = textOf(message);
  assert.doesNotMatch(text, /jane\.doe@example\.com/);
  assert.match(text, /EMAIL/);
  assert.match(text, /café/);
});

test('personal data in the answer is redacted before the client sees it, streamed or not', async () => {
  const prompt = replyWith('Sure: write to bob.smith@example.org or call +1 415 555 0132. Bye.');
  const message = await client.messages.create({ model, max_tokens: 64, messages: [{ role: 'user', content: prompt }] });
  assert.doesNotMatch(textOf(message), /bob\.smith@example\.org/);
  assert.match(textOf(message), /EMAIL/);

  const stream = client.messages.stream({ model, max_tokens: 64, messages: [{ role: 'user', content: prompt }] });
  let streamed = '';
  for await (const event of stream) {
    if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
      streamed += event.delta.text;
    }
  }
  assert.doesNotMatch(streamed, /bob\.smith@example\.org/);
  assert.match(streamed, /EMAIL/);
});

test('a prompt injection is blocked with a permission error and never answered', async () => {
  await assert.rejects(
    client.messages.create({ model, max_tokens: 64, messages: [{ role: 'user', content: injection }] }),
    (err) => {
      assert.ok(err instanceof Anthropic.APIError, String(err));
      assert.equal(err.status, 403);
      assert.equal(err.error?.type, 'error');
      assert.equal(err.error?.error?.type, 'permission_error');
      return true;
    },
  );
});

test('a bearer token (authToken) is accepted like an x-api-key', async () => {
  const bearer = new Anthropic({ authToken: 'sk-ant-client-test', apiKey: null, baseURL: stack.url, maxRetries: 0 });
  const message = await bearer.messages.create({
    model,
    max_tokens: 32,
    messages: [{ role: 'user', content: 'bearer works' }],
  });
  assert.match(textOf(message), /bearer works/);
});

test('malformed requests get an invalid_request_error in Anthropic shape', async () => {
  await assert.rejects(
    client.messages.create({ model, max_tokens: 32, messages: 'not an array' }),
    (err) => {
      assert.equal(err.status, 400);
      assert.equal(err.error?.error?.type, 'invalid_request_error');
      return true;
    },
  );
});
