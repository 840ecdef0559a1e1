// The official OpenAI SDK against the gateway's /v1/chat/completions: translation to Anthropic and back,
// streamed chunks with usage, redaction both ways, blocking and clear refusals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startStack, replyWith, injection } from './harness.mjs';

let stack;
let client;

before(async () => {
  stack = await startStack();
  client = new OpenAI({ apiKey: 'sk-client-test', baseURL: `${stack.url}/v1`, maxRetries: 0, timeout: 20000 });
});

after(async () => {
  await stack?.stop();
});

const model = 'claude-sonnet-4-20250514';

test('a chat completion comes back in OpenAI shape with usage', async () => {
  const completion = await client.chat.completions.create({
    model,
    max_tokens: 64,
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'hello from openai' },
    ],
  });
  assert.equal(completion.object, 'chat.completion');
  assert.equal(completion.choices.length, 1);
  const choice = completion.choices[0];
  assert.equal(choice.message.role, 'assistant');
  assert.match(choice.message.content, /hello from openai/);
  assert.equal(choice.finish_reason, 'stop');
  assert.ok(completion.usage.prompt_tokens > 0);
  assert.equal(completion.usage.total_tokens, completion.usage.prompt_tokens + completion.usage.completion_tokens);
});

test('without max_tokens the configured default is used', async () => {
  const completion = await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'no limit given' }],
  });
  assert.match(completion.choices[0].message.content, /no limit given/);
});

test('multi-part user content is translated', async () => {
  const completion = await client.chat.completions.create({
    model,
    max_tokens: 64,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'part one' }, { type: 'text', text: 'part two' }] }],
  });
  assert.match(completion.choices[0].message.content, /part two/);
});

test('a streamed completion arrives as chunks with the role first and usage last', async () => {
  const stream = await client.chat.completions.create({
    model,
    max_tokens: 64,
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: replyWith('Streaming through the gateway works.') }],
  });
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
  }
  assert.ok(chunks.length >= 3);
  for (const chunk of chunks) {
    assert.equal(chunk.object, 'chat.completion.chunk');
  }
  assert.equal(chunks[0].choices[0].delta.role, 'assistant');
  const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
  assert.ok(text.startsWith('Streaming through the gateway works.'), text);
  const finishes = chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean);
  assert.deepEqual(finishes, ['stop']);
  const last = chunks[chunks.length - 1];
  assert.deepEqual(last.choices, []);
  assert.ok(last.usage.completion_tokens > 0);
  assert.equal(last.usage.total_tokens, last.usage.prompt_tokens + last.usage.completion_tokens);
});

test('personal data is redacted in the prompt and in the answer, streamed or not', async () => {
  const echoed = await client.chat.completions.create({
    model,
    max_tokens: 64,
    messages: [{ role: 'user', content: 'my mail is jane.doe@example.com thanks' }],
  });
  assert.doesNotMatch(echoed.choices[0].message.content, /jane\.doe@example\.com/);
  assert.match(echoed.choices[0].message.content, /EMAIL/);

  const prompt = replyWith('Reach bob.smith@example.org today.');
  const whole = await client.chat.completions.create({ model, max_tokens: 64, messages: [{ role: 'user', content: prompt }] });
  assert.doesNotMatch(whole.choices[0].message.content, /bob\.smith@example\.org/);
  assert.match(whole.choices[0].message.content, /EMAIL/);

  const stream = await client.chat.completions.create({
    model,
    max_tokens: 64,
    stream: true,
    messages: [{ role: 'user', content: prompt }],
  });
  let text = '';
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
  }
  assert.doesNotMatch(text, /bob\.smith@example\.org/);
  assert.match(text, /EMAIL/);
});

test('a prompt injection is refused with 403 in OpenAI shape', async () => {
  await assert.rejects(
    client.chat.completions.create({ model, max_tokens: 64, messages: [{ role: 'user', content: injection }] }),
    (err) => {
      assert.ok(err instanceof OpenAI.APIError, String(err));
      assert.equal(err.status, 403);
      assert.ok(err.error?.message, JSON.stringify(err.error));
      return true;
    },
  );
});

test('n > 1 is refused with a clear 400', async () => {
  await assert.rejects(
    client.chat.completions.create({ model, max_tokens: 16, n: 2, messages: [{ role: 'user', content: 'x' }] }),
    (err) => {
      assert.ok(err instanceof OpenAI.BadRequestError, String(err));
      assert.match(err.message, /n > 1/);
      assert.equal(err.param, 'n');
      return true;
    },
  );
});

test('tool calls round-trip: the model calls a tool, the SDK sends the result back', async () => {
  const tools = [{ type: 'function', function: { name: 'lookup', description: 'Look a thing up', parameters: { type: 'object', properties: { text: { type: 'string' } } } } }];
  const first = await client.chat.completions.create({
    model,
    max_tokens: 64,
    tools,
    messages: [{ role: 'user', content: 'SIM_TOOL=lookup SIM_REPLY=the weather in Paris' }],
  });
  const choice = first.choices[0];
  assert.equal(choice.finish_reason, 'tool_calls');
  const call = choice.message.tool_calls[0];
  assert.equal(call.type, 'function');
  assert.equal(call.function.name, 'lookup');
  assert.deepEqual(JSON.parse(call.function.arguments), { text: 'the weather in Paris' });

  // The assistant turn with its tool call and the tool's answer go back as OpenAI messages.
  const second = await client.chat.completions.create({
    model,
    max_tokens: 64,
    tools,
    messages: [
      { role: 'user', content: 'what is the weather?' },
      choice.message,
      { role: 'tool', tool_call_id: call.id, content: 'sunny, 21 C' },
      { role: 'user', content: 'thanks' },
    ],
  });
  assert.equal(second.choices[0].finish_reason, 'stop');

  const stream = await client.chat.completions.create({
    model,
    max_tokens: 64,
    tools,
    stream: true,
    messages: [{ role: 'user', content: 'SIM_TOOL=lookup SIM_REPLY=write to ann@example.com' }],
  });
  let args = '';
  let name = '';
  let finish = '';
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta;
    for (const tc of delta?.tool_calls ?? []) {
      name ||= tc.function?.name ?? '';
      args += tc.function?.arguments ?? '';
    }
    finish ||= chunk.choices[0]?.finish_reason ?? '';
  }
  assert.equal(name, 'lookup');
  assert.equal(finish, 'tool_calls');
  assert.deepEqual(JSON.parse(args), { text: 'write to [REDACTED:EMAIL]' });
});
