// Starts the upstream simulator and a gateway with governance (keys required, SQLite store, chained
// audit log, admin listener with the console) on ports the OS picks, and stops them afterwards.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const sluiceBin = process.env.SLUICE_BIN || resolve(here, '../../build/sluice');
const rulesDir = process.env.SLUICE_RULES_DIR || resolve(here, '../../engine/rules');
export const adminToken = 'browser-test-admin-token-0123456789';

function config(dir) {
  return `providers:
  targets:
    - id: claude
      provider: anthropic:chat:claude-sonnet-4-20250514
      secret_key_ref:
        env: SLUICE_BROWSER_UPSTREAM_KEY
      default_max_tokens: 64
governance:
  require_keys: true
  store: ${join(dir, 'sluice.db')}
  usage_flush_interval_ms: 100
  admin:
    listen: 127.0.0.1:0
policies:
  chain: [pii-detector, audit-logger]
  policy:
    pii-detector:
      action: redact
      entities: [EMAIL]
    audit-logger:
      directory: ${join(dir, 'audit')}
      flush_interval_ms: 50
`;
}

// Spawns `args`; resolves once every pattern in `wanted` matched the output, with the matches.
function start(args, env, wanted, name) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(sluiceBin, args, { env: { ...process.env, SLUICE_RULES_DIR: rulesDir, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    let done = false;
    const timer = setTimeout(() => {
      if (!done) { done = true; child.kill('SIGKILL'); reject(new Error(`${name} did not start within 30 s:\n${seen}`)); }
    }, 30000);
    const onData = chunk => {
      seen += chunk.toString();
      const matches = wanted.map(re => seen.match(re));
      if (!done && matches.every(Boolean)) {
        done = true;
        clearTimeout(timer);
        resolvePromise({ child, matches, output: () => seen });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', code => {
      if (!done) { done = true; clearTimeout(timer); reject(new Error(`${name} exited with ${code}:\n${seen}`)); }
    });
  });
}

export async function startStack() {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-browser-'));
  const sim = await start(['upstream-sim', '--port', '0'], {}, [/listening on http:\/\/127\.0\.0\.1:(\d+)/], 'upstream-sim');
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, config(dir));
  let gateway;
  try {
    gateway = await start(
      ['gateway', 'run', '--listen', '127.0.0.1:0', '--threads', '1', '--policy-config', file, '--upstream', `http://127.0.0.1:${sim.matches[0][1]}`],
      { SLUICE_BROWSER_UPSTREAM_KEY: 'sk-upstream-test', SLUICE_ADMIN_TOKEN: adminToken },
      [/gateway listening on 127\.0\.0\.1:(\d+)/, /admin API listening on port (\d+)/], 'gateway');
  } catch (e) {
    sim.child.kill('SIGKILL');
    throw e;
  }
  const children = [gateway.child, sim.child];
  return {
    dir,
    store: join(dir, 'sluice.db'),
    gatewayUrl: `http://127.0.0.1:${gateway.matches[0][1]}`,
    adminUrl: `http://127.0.0.1:${gateway.matches[1][1]}`,
    output: gateway.output,
    async stop() {
      for (const p of children) p.kill('SIGTERM');
      await new Promise(r => setTimeout(r, 300));
      for (const p of children) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// One Messages API call through the gateway with a virtual key.
export async function callGateway(url, secret, text) {
  const response = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': secret, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'claude-sonnet-4-20250514', max_tokens: 32, messages: [{ role: 'user', content: text }] }),
  });
  return { status: response.status, body: await response.text() };
}

// The admin API with the bearer token (seeding, not what the browser does).
export async function admin(url, method, path, body) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}
