#!/usr/bin/env node
// Recorded-exchanges regression test (see README.md).
//
//   node tests/recorded/record_and_compare.mjs --sluice PATH [--record] [--only NAME[,NAME…]]
//                                             [--rules-dir DIR] [--actual-dir DIR] [--raw-dir DIR]
//
// Starts `sluice upstream-sim` and `sluice gateway run` (one thread) on loopback ports the OS picks, in
// a temp dir, runs every exchange of exchanges.mjs on its own connection (request written as exact raw
// bytes, response read until the gateway closes), normalises each response (below) and either writes
// expected/<name>.http (--record) or compares with it. Prints `N passed, M failed`; exit 1 on any
// failure (or when the stack cannot start), 0 otherwise.
//
// What is compared: the response bytes exactly, except for these normalisations, each needed because
// the value legitimately varies from run to run:
//   1. Chunked framing: when the response is `Transfer-Encoding: chunked`, the body is de-chunked (the
//      status line and every header stay exact and in order). The gateway writes one chunk per upstream
//      network read, so chunk sizes depend on how the simulator's writes were coalesced by the kernel.
//      A malformed or unterminated chunked body is not hidden: it is recorded as a visible marker line.
//   2. SSE text-delta coalescing (streams only, see normaliseSse): consecutive delta events of the same
//      content block (Anthropic text_delta / input_json_delta; OpenAI chunks carrying only
//      delta.content or only tool-call arguments of the same tool call) are merged into one, their
//      texts concatenated. The gateway merges deltas that arrive in one network read and holds back
//      unfinished words, so where one delta ends and the next starts depends on timing; the
//      concatenated text, every other event, and their order are compared byte for byte.
//   3. Masks, applied to the body after 1 and 2:
//      - OpenAI `"created":<unix seconds>` (chat.completion and chat.completion.chunk): the time the
//        gateway received the request. Only values within a day of the run are masked (the constant
//        `"created":0` of /v1/models stays exact). Replaced by `"created":<CREATED>`; Content-Length
//        is unaffected (the timestamp always has 10 digits).
//      - governance exchanges: the id of the key created at run time (`key_` + 16 random hex digits,
//        named in refusal messages) is replaced by `<KEY_ID>` (same length class: Content-Length, which
//        counts the real id, stays exact). Its secret never appears in a response.
//      - request ids (`request-id`, `x-request-id` headers and the Anthropic error body's `request_id`):
//        the 16 random hex digits each gateway shard draws when it starts, so that ids never repeat
//        across restarts, become `<BOOT>`; `req_sluice_<BOOT>_<shard>_<n>` keeps the shard and count.
// Nothing else is masked: no response carries a date or latency header, request ids count requests
// with one gateway thread (after mask 3c), the simulator's message ids count its requests (each stack starts a fresh
// one), and retry-after values come from the simulator (0) or the key's limits.
//
// Measured (2026-12-07, the pre-move baseline build, 2 cores): unloaded, only normalisation 1 was ever needed;
// with 6 busy loops beside the test, stream texts were split into different deltas from run to run
// (e.g. " backup " + "is " vs " backup is "), which normalisation 2 absorbs. Every normalised response
// was identical over 8 runs (3 unloaded, 5 loaded).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { exchanges } from './exchanges.mjs';

const here = dirname(fileURLToPath(import.meta.url));

// ------------------------------------------------------------------------------------------ options
function parseArgs(argv) {
  const o = {
    sluice: process.env.SLUICE_BIN || '',
    record: false,
    only: null,
    rulesDir: process.env.SLUICE_RECORDED_RULES_DIR || resolve(here, '../../engine/rules'),
    actualDir: '',
    rawDir: '',
  };
  for (let i = 2; i < argv.length; ++i) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) {
        usage(`${a} needs a value`);
      }
      return argv[++i];
    };
    if (a === '--sluice') o.sluice = value();
    else if (a === '--record') o.record = true;
    else if (a === '--only') o.only = new Set(value().split(','));
    else if (a === '--rules-dir') o.rulesDir = value();
    else if (a === '--actual-dir') o.actualDir = value();
    else if (a === '--raw-dir') o.rawDir = value();
    else if (a === '-h' || a === '--help') usage('');
    else usage(`unknown argument ${a}`);
  }
  if (!o.sluice) usage('--sluice PATH is required');
  o.sluice = resolve(o.sluice);
  if (!existsSync(o.sluice)) usage(`no sluice binary at ${o.sluice}`);
  if (!existsSync(o.rulesDir)) usage(`no rule catalog at ${o.rulesDir} (--rules-dir)`);
  return o;
}

function usage(message) {
  if (message) console.error(`record_and_compare: ${message}`);
  console.error(
    'usage: node record_and_compare.mjs --sluice PATH [--record] [--only NAME,…] [--rules-dir DIR] [--actual-dir DIR] [--raw-dir DIR]',
  );
  process.exit(message ? 2 : 0);
}

const opts = parseArgs(process.argv);
const expectedDir = join(here, 'expected');

// Bounded times (ms).
const START_TIMEOUT = 20000; // a process printing its listening address
const EXCHANGE_TIMEOUT = 20000; // one exchange, connect to close
const RUN_TIMEOUT = 110000; // the whole run (ctest's own timeout is 120 s)

// ------------------------------------------------------------------------------------------ children
const children = new Set();
let workDir = '';

function killChildren() {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      try {
        c.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  children.clear();
}

function cleanup() {
  killChildren();
  if (workDir) {
    rmSync(workDir, { recursive: true, force: true });
    workDir = '';
  }
}

process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    cleanup();
    process.exit(1);
  });
}
const watchdog = setTimeout(() => {
  console.error(`record_and_compare: the run took longer than ${RUN_TIMEOUT / 1000} s; stopping`);
  cleanup();
  process.exit(1);
}, RUN_TIMEOUT);
watchdog.unref();

// Spawns sluice with `args` and resolves with the child and every `listening on … :PORT` it printed
// (the gateway prints its own address, then, with governance, the admin API's port).
function startSluice(args, env, name, { wantAdmin = false } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(opts.sluice, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let seen = '';
    let done = false;
    const finish = (err, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        child.kill('SIGKILL');
        reject(err);
      } else {
        resolvePromise(value);
      }
    };
    const timer = setTimeout(
      () => finish(new Error(`${name} printed no listening address within ${START_TIMEOUT / 1000} s:\n${seen}`)),
      START_TIMEOUT,
    );
    const onData = (chunk) => {
      seen += chunk.toString();
      const m = seen.match(/listening on (?:https?:\/\/)?127\.0\.0\.1:(\d+)/);
      const admin = seen.match(/admin API listening on port (\d+)/);
      const adminProblem = /admin API (?:is )?not started|no admin token/i.test(seen);
      if (m && Number(m[1]) !== 0 && (!wantAdmin || admin)) {
        finish(null, { child, port: Number(m[1]), adminPort: admin ? Number(admin[1]) : 0, output: () => seen });
      } else if (m && wantAdmin && adminProblem) {
        finish(new Error(`${name} did not start its admin API:\n${seen}`));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, signal) => {
      children.delete(child);
      finish(new Error(`${name} exited (${code ?? signal}) before listening:\n${seen}`));
    });
    child.on('error', (e) => finish(e));
  });
}

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) {
    children.delete(child);
    return;
  }
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = new Promise((r) => setTimeout(r, 3000));
  await Promise.race([exited, timer]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
  }
  children.delete(child);
}

// A temporary rule catalog: the source tree's catalog plus rules/*.yaml of this folder.
function makeRulesDir() {
  const dir = join(workDir, 'rules');
  mkdirSync(dir, { recursive: true });
  cpSync(opts.rulesDir, join(dir, 'catalog'), { recursive: true });
  cpSync(join(here, 'rules'), join(dir, 'recorded'), { recursive: true });
  return dir;
}

const UPSTREAM_KEY = 'sk-ant-recorded-upstream-test-key';
const ADMIN_TOKEN = 'recorded-exchanges-admin-token-0123456789';

async function startStack(kind, rulesDir) {
  const dir = join(workDir, kind);
  mkdirSync(dir, { recursive: true });
  const configFile = kind === 'main' ? 'gateway.yaml' : 'gateway-governance.yaml';
  const config = join(dir, 'gateway.yaml');
  writeFileSync(config, readFileSync(join(here, configFile), 'utf8').replaceAll('@AUDIT_DIR@', join(dir, 'audit')));
  const env = {
    SLUICE_RULES_DIR: rulesDir,
    SLUICE_RECORDED_UPSTREAM_KEY: UPSTREAM_KEY,
    SLUICE_ADMIN_TOKEN: kind === 'governance' ? ADMIN_TOKEN : '',
  };
  // The simulator paces its stream (one text delta every 2 ms, 8 bytes each) so that the gateway
  // reads most deltas one at a time; normalisations 1 and 2 make the comparison independent of it.
  const sim = await startSluice(
    ['upstream-sim', '--port', '0', '--threads', '1', '--chunk-chars', '8', '--tokens-per-second', '500'],
    env,
    `upstream-sim (${kind})`,
  );
  const args = ['gateway', 'run', '--listen', '127.0.0.1:0', '--threads', '1', '--policy-config', config];
  args.push('--upstream', `http://127.0.0.1:${sim.port}`);
  if (kind === 'governance') args.push('--admin-listen', '127.0.0.1:0');
  let gw;
  try {
    gw = await startSluice(args, env, `gateway (${kind})`, { wantAdmin: kind === 'governance' });
  } catch (e) {
    await stopChild(sim.child);
    throw e;
  }
  const stack = {
    kind,
    port: gw.port,
    ctx: {},
    masks: [],
    output: () => `--- upstream-sim:\n${sim.output()}\n--- gateway:\n${gw.output()}`,
    async stop() {
      await stopChild(gw.child);
      await stopChild(sim.child);
    },
  };
  if (kind === 'governance') {
    // The one key of the governance exchanges: allowed models claude-sonnet-4*, 50000 tokens a minute.
    const body = JSON.stringify({
      name: 'recorded-key',
      team: 'search',
      project: 'ranker',
      allowed_models: ['claude-sonnet-4*'],
      limits: { tokens_per_minute: 50000 },
    });
    const req = Buffer.from(
      `POST /admin/keys HTTP/1.1\r\nHost: sluice.test\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    const res = await exchange(gw.adminPort, req);
    const parsed = splitResponse(res.bytes);
    const status = parsed.head.split('\r\n')[0];
    let json = null;
    try {
      json = JSON.parse(dechunk(parsed).body.toString('utf8'));
    } catch {
      // reported below
    }
    if (!/ 201 /.test(status) || !json?.secret || !json?.key?.id) {
      await stack.stop();
      throw new Error(`creating the governance key failed: ${res.bytes.toString('utf8')}`);
    }
    stack.ctx.keySecret = json.secret;
    stack.ctx.keyId = json.key.id;
    stack.masks.push([json.key.id, '<KEY_ID>']);
  }
  return stack;
}

// ------------------------------------------------------------------------------------------ exchanges
// Sends `request` on a new connection and reads until the peer closes. Never half-closes: the gateway
// takes a client's EOF as the client leaving.
function exchange(port, request) {
  return new Promise((resolvePromise) => {
    const parts = [];
    let settled = false;
    let error = '';
    const socket = net.connect({ host: '127.0.0.1', port });
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolvePromise({ bytes: Buffer.concat(parts), error });
    };
    const timer = setTimeout(() => {
      error = `no close within ${EXCHANGE_TIMEOUT / 1000} s`;
      finish();
    }, EXCHANGE_TIMEOUT);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (d) => parts.push(d));
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (e) => {
      error = e.code || e.message;
      finish();
    });
  });
}

function splitResponse(bytes) {
  const at = bytes.indexOf('\r\n\r\n');
  if (at < 0) {
    return { head: bytes.toString('latin1'), body: Buffer.alloc(0), complete: false };
  }
  return { head: bytes.subarray(0, at).toString('latin1'), body: bytes.subarray(at + 4), complete: true };
}

function headerValue(head, name) {
  const lines = head.split('\r\n').slice(1);
  for (const l of lines) {
    const c = l.indexOf(':');
    if (c > 0 && l.slice(0, c).trim().toLowerCase() === name) return l.slice(c + 1).trim();
  }
  return null;
}

// Normalisation 1: the body of a chunked response without its framing. Any problem with the framing
// is kept as a marker so that it shows in the comparison.
function dechunk(parsed) {
  if (!parsed.complete || (headerValue(parsed.head, 'transfer-encoding') || '').toLowerCase() !== 'chunked') {
    return { head: parsed.head, body: parsed.body, chunked: false };
  }
  const b = parsed.body;
  const out = [];
  let pos = 0;
  let note = '';
  for (;;) {
    const eol = b.indexOf('\r\n', pos);
    if (eol < 0) {
      note = 'chunked body ended without its last chunk';
      break;
    }
    const sizeText = b.subarray(pos, eol).toString('latin1');
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) {
      note = `malformed chunk size line ${JSON.stringify(sizeText)}`;
      break;
    }
    const size = parseInt(sizeText, 16);
    const start = eol + 2;
    if (size === 0) {
      const rest = b.subarray(start).toString('latin1');
      if (rest !== '\r\n') note = `unexpected bytes after the last chunk: ${JSON.stringify(rest)}`;
      break;
    }
    if (start + size + 2 > b.length) {
      note = 'chunked body ended inside a chunk';
      out.push(b.subarray(start));
      break;
    }
    out.push(b.subarray(start, start + size));
    if (b.subarray(start + size, start + size + 2).toString('latin1') !== '\r\n') {
      note = 'chunk not followed by CRLF';
      break;
    }
    pos = start + size + 2;
  }
  const body = Buffer.concat(out);
  return { head: parsed.head, body: note ? Buffer.concat([body, Buffer.from(`\n<<<${note}>>>\n`)]) : body, chunked: true };
}

// Normalisation 2: merges consecutive SSE text deltas of the same block (see the header comment).
// Works on the raw bytes of the de-chunked body (read as latin1, so byte for byte). An event is merged
// only when it has exactly one of the shapes below (anything else, including the same event with an
// extra field, is compared as it is). The merged event is the first one with its string contents
// followed by the others' raw string contents, so escapes stay exactly as the gateway wrote them.
// Events are separated by a blank line ("\n\n"; the gateway writes LF line ends).
//   Anthropic: event: content_block_delta
//              data: {"type":"content_block_delta","index":N,"delta":{"type":"text_delta","text":"…"}}
//              (or "input_json_delta" with "partial_json"); merged when N and the type are equal.
//   OpenAI:    data: {…"delta":{"content":"…"}…}  or  data: {…"delta":{"tool_calls":[{"index":K,
//              "function":{"arguments":"…"}}]}…}  with "finish_reason":null; merged when everything
//              outside the string (id, created, model, choice index, K, usage…) is byte-identical.
const ANTHROPIC_DELTA =
  /^(event: content_block_delta\ndata: \{"type":"content_block_delta","index":\d+,"delta":\{"type":"(?:text_delta","text|input_json_delta","partial_json)":")((?:[^"\\]|\\.)*)("\}\})$/;
const OPENAI_DELTA =
  /^(data: \{"id":"[^"]*","object":"chat\.completion\.chunk",[^\n]*?"delta":\{(?:"content":"|"tool_calls":\[\{"index":\d+,"function":\{"arguments":"))((?:[^"\\]|\\.)*)("\}(?:\}\]\})?,"logprobs":null,"finish_reason":null\}\][^\n]*)$/;

export function normaliseSse(body) {
  const events = body.toString('latin1').split('\n\n');
  const out = [];
  let pending = null; // { before, text, after }
  const flush = () => {
    if (pending) out.push(pending.before + pending.text + pending.after);
    pending = null;
  };
  for (const ev of events) {
    const m = ev.match(ANTHROPIC_DELTA) || ev.match(OPENAI_DELTA);
    if (m && pending && pending.before === m[1] && pending.after === m[3]) {
      pending.text += m[2];
      continue;
    }
    flush();
    if (m) {
      pending = { before: m[1], text: m[2], after: m[3] };
    } else {
      out.push(ev);
    }
  }
  flush();
  return Buffer.from(out.join('\n\n'), 'latin1');
}

function normalise(bytes, error, stack) {
  const parsed = splitResponse(bytes);
  const { head, body: rawBody } = dechunk(parsed);
  let body = rawBody;
  const type = (headerValue(head, 'content-type') || '').toLowerCase();
  if (type.startsWith('text/event-stream')) {
    body = normaliseSse(body);
  }
  let text = body.toString('latin1');
  // Mask 3a: OpenAI `created` timestamps (within a day of now).
  const now = Math.floor(Date.now() / 1000);
  text = text.replace(/"created":(\d+)/g, (all, v) => (Math.abs(Number(v) - now) < 86400 ? '"created":<CREATED>' : all));
  // Mask 3b: values known to be random per run (the governance key id).
  for (const [value, mask] of stack.masks) {
    text = text.split(value).join(mask);
  }
  // Mask 3c: the random boot part of request ids (req_sluice_<16 hex>_<shard>_<n>), in the head and
  // the body; the shard and the count stay exact.
  const bootId = /req_sluice_[0-9a-f]{16}_/g;
  text = text.replace(bootId, 'req_sluice_<BOOT>_');
  const maskedHead = head.replace(bootId, 'req_sluice_<BOOT>_');
  let out = parsed.complete ? `${maskedHead}\r\n\r\n${text}` : maskedHead;
  if (!parsed.complete) out += '\n<<<no complete response head>>>\n';
  if (error) out += `\n<<<connection error: ${error}>>>\n`;
  return Buffer.from(out, 'latin1');
}

// ------------------------------------------------------------------------------------------ compare
// A readable account of the first difference: the lines around it, and, for long lines, where in the
// line the two first differ.
function firstDifference(expected, actual) {
  const e = expected.toString('utf8').split('\n');
  const a = actual.toString('utf8').split('\n');
  let i = 0;
  while (i < e.length && i < a.length && e[i] === a[i]) ++i;
  const clip = (l) => (l.length > 300 ? l.slice(0, 300) + '…' : l);
  const show = (lines, from, to) =>
    lines
      .slice(from, to)
      .map((l, k) => `  ${String(from + k + 1).padStart(4)}| ${clip(l.replace(/\r$/, '\\r'))}`)
      .join('\n');
  const from = Math.max(0, i - 3);
  let text =
    `first difference at line ${i + 1}\n` +
    `--- expected (lines ${from + 1}-${Math.min(e.length, i + 4)} of ${e.length}):\n${show(e, from, i + 4)}\n` +
    `+++ actual (lines ${from + 1}-${Math.min(a.length, i + 4)} of ${a.length}):\n${show(a, from, i + 4)}`;
  if (i < e.length && i < a.length) {
    let c = 0;
    while (c < e[i].length && c < a[i].length && e[i][c] === a[i][c]) ++c;
    const at = Math.max(0, c - 60);
    text +=
      `\nline ${i + 1} first differs at column ${c + 1}:\n` +
      `  expected: ${at > 0 ? '…' : ''}${e[i].slice(at, c + 80)}\n` +
      `  actual:   ${at > 0 ? '…' : ''}${a[i].slice(at, c + 80)}`;
  }
  return text;
}

// ------------------------------------------------------------------------------------------ main
async function main() {
  const selected = exchanges.filter((x) => !opts.only || opts.only.has(x.name));
  if (opts.only && selected.length !== opts.only.size) {
    const known = new Set(exchanges.map((x) => x.name));
    usage(`unknown exchange(s): ${[...opts.only].filter((n) => !known.has(n)).join(', ')}`);
  }
  const names = new Set();
  for (const x of exchanges) {
    if (names.has(x.name)) throw new Error(`duplicate exchange name ${x.name}`);
    names.add(x.name);
  }
  workDir = mkdtempSync(join(tmpdir(), 'sluice-recorded-'));
  const rulesDir = makeRulesDir();
  if (opts.record) mkdirSync(expectedDir, { recursive: true });
  if (opts.actualDir) mkdirSync(opts.actualDir, { recursive: true });
  if (opts.rawDir) mkdirSync(opts.rawDir, { recursive: true });

  let passed = 0;
  let failed = 0;
  let firstFailure = '';
  const t0 = Date.now();
  // Exchanges run in list order, stack by stack (each stack starts fresh, so its ids start at 1).
  // With --only, the ids of the exchanges that are run still depend on the ones before them: --only
  // is for looking at responses, a comparison is meaningful on the whole list.
  for (const kind of ['main', 'governance']) {
    const list = selected.filter((x) => x.stack === kind);
    if (list.length === 0) continue;
    let stack;
    try {
      stack = await startStack(kind, rulesDir);
    } catch (e) {
      console.error(`record_and_compare: cannot start the ${kind} stack: ${e.message}`);
      cleanup();
      console.log(`${passed} passed, ${selected.length - passed} failed`);
      process.exit(1);
    }
    try {
      for (const x of list) {
        const res = await exchange(stack.port, x.request(stack.ctx));
        if (opts.rawDir) writeFileSync(join(opts.rawDir, `${x.name}.raw`), res.bytes);
        const actual = normalise(res.bytes, res.error, stack);
        if (opts.actualDir) writeFileSync(join(opts.actualDir, `${x.name}.http`), actual);
        const file = join(expectedDir, `${x.name}.http`);
        if (opts.record) {
          writeFileSync(file, actual);
          const status = actual.toString('latin1').split('\r\n')[0];
          console.log(`recorded ${x.name}: ${status}${res.error ? ` (connection error: ${res.error})` : ''}`);
          ++passed;
          continue;
        }
        if (!existsSync(file)) {
          ++failed;
          console.log(`FAIL ${x.name}: no expected/${x.name}.http (record it with --record)`);
          continue;
        }
        const expected = readFileSync(file);
        if (Buffer.compare(expected, actual) === 0) {
          ++passed;
          console.log(`ok   ${x.name}`);
        } else {
          ++failed;
          console.log(`FAIL ${x.name}`);
          if (!firstFailure) {
            firstFailure = `${x.name}: ${firstDifference(expected, actual)}`;
            if (res.error) {
              // A connection problem: what the processes said may explain it.
              firstFailure += `\n(connection error: ${res.error}; process output follows)\n${stack.output().slice(-4000)}`;
            }
          }
        }
      }
    } finally {
      await stack.stop();
    }
  }
  if (opts.record && !opts.only) {
    // Expected files of exchanges that no longer exist would never be compared: remove them.
    for (const f of readdirSync(expectedDir)) {
      if (f.endsWith('.http') && !names.has(f.slice(0, -5))) {
        rmSync(join(expectedDir, f));
        console.log(`removed expected/${f} (no such exchange)`);
      }
    }
  }
  if (firstFailure) {
    console.log(`\nfirst failing exchange: ${firstFailure}`);
    console.log('(re-run with --actual-dir DIR to keep every actual response; README.md says how to re-record)');
  }
  if (opts.record) console.log(`recorded ${passed} exchange(s) into ${expectedDir}`);
  console.log(`(${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  console.log(`${passed} passed, ${failed} failed`);
  cleanup();
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(`record_and_compare: ${e.stack || e.message}`);
  cleanup();
  console.log('0 passed, 1 failed');
  process.exit(1);
});
