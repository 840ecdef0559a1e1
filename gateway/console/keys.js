// Keys: the list (with this month's budget use and the last day each key was used), create, edit,
// rotate with a grace period, revoke after a confirmation. Secrets appear once, in a dialog, and are
// dropped from the page when it closes.
import { h, api, flash, modal, secretBox, fmt, monthStart } from './dom.js';

function statusOf(key) {
  if (key.status !== 'active') return { text: key.status, cls: `status-${key.status}` };
  if (key.previous_secret_valid_until) {
    return { text: `rotating until ${fmt.time(key.previous_secret_valid_until)}`, cls: 'status-rotating' };
  }
  return { text: 'active', cls: 'status-active' };
}

function budgetCell(key) {
  const used = key.budget_used_this_month || { tokens: 0, usd: 0 };
  const l = key.limits;
  if (l.monthly_usd_budget > 0) {
    return [h('meter', { min: 0, max: l.monthly_usd_budget, value: Math.min(used.usd, l.monthly_usd_budget), high: l.monthly_usd_budget * 0.8, optimum: 0 }),
      h('div', { class: 'muted' }, `${fmt.usd(used.usd)} of ${fmt.usd(l.monthly_usd_budget)}`)];
  }
  if (l.monthly_token_budget > 0) {
    return [h('meter', { min: 0, max: l.monthly_token_budget, value: Math.min(used.tokens, l.monthly_token_budget), high: l.monthly_token_budget * 0.8, optimum: 0 }),
      h('div', { class: 'muted' }, `${fmt.int(used.tokens)} of ${fmt.int(l.monthly_token_budget)} tokens`)];
  }
  return h('span', { class: 'muted' }, `no budget; ${fmt.usd(used.usd)} used`);
}

function scopesText(key) {
  const parts = [];
  parts.push(key.allowed_models.length ? `models: ${key.allowed_models.join(', ')}` : 'any model');
  if (key.allowed_endpoints.length) parts.push(`endpoints: ${key.allowed_endpoints.join(', ')}`);
  if (key.ip_allowlist.length) parts.push(`IPs: ${key.ip_allowlist.join(', ')}`);
  return parts.join('; ');
}

function limitsText(l) {
  const parts = [];
  if (l.requests_per_minute) parts.push(`${fmt.int(l.requests_per_minute)} req/min`);
  if (l.tokens_per_minute) parts.push(`${fmt.int(l.tokens_per_minute)} tok/min`);
  parts.push(l.hard_budget ? 'hard budget' : 'soft budget');
  return parts.join(', ');
}

const listFields = ['allowed_models', 'allowed_endpoints', 'ip_allowlist'];

// The create/edit form; returns [element, read()] where read() gives the JSON body.
function keyForm(key) {
  const k = key || { name: '', team: '', project: '', environment: '', description: '', allowed_models: [], allowed_endpoints: [], ip_allowlist: [], limits: {}, expires_at: null };
  const l = k.limits || {};
  const input = (name, value, type = 'text') => h('input', { name, type, value: value ?? '', step: type === 'number' ? 'any' : undefined, min: type === 'number' ? 0 : undefined });
  const fields = {
    name: input('name', k.name), team: input('team', k.team), project: input('project', k.project),
    environment: input('environment', k.environment), description: input('description', k.description),
    allowed_models: input('allowed_models', k.allowed_models.join(', ')),
    allowed_endpoints: input('allowed_endpoints', k.allowed_endpoints.join(', ')),
    ip_allowlist: input('ip_allowlist', k.ip_allowlist.join(', ')),
    monthly_usd_budget: input('monthly_usd_budget', l.monthly_usd_budget || '', 'number'),
    monthly_token_budget: input('monthly_token_budget', l.monthly_token_budget || '', 'number'),
    requests_per_minute: input('requests_per_minute', l.requests_per_minute || '', 'number'),
    tokens_per_minute: input('tokens_per_minute', l.tokens_per_minute || '', 'number'),
    expires_at: input('expires_at', k.expires_at ? k.expires_at.slice(0, 10) : '', 'date'),
  };
  const hard = h('select', { name: 'hard_budget' }, h('option', { value: 'true' }, 'hard (refuse when reached)'), h('option', { value: 'false' }, 'soft (alert only)'));
  hard.value = l.hard_budget === false ? 'false' : 'true';
  fields.name.required = true;
  const labelled = (text, el) => h('label', null, text, el);
  const el = h('div', { class: 'fields' },
    labelled('Name', fields.name), labelled('Team', fields.team), labelled('Project', fields.project),
    labelled('Environment', fields.environment), labelled('Description', fields.description),
    labelled('Expires (date, optional)', fields.expires_at),
    labelled('Allowed models (globs, comma-separated; empty: any)', fields.allowed_models),
    labelled('Allowed endpoints', fields.allowed_endpoints), labelled('IP allowlist (CIDRs)', fields.ip_allowlist),
    labelled('Monthly budget (USD)', fields.monthly_usd_budget), labelled('Monthly budget (tokens)', fields.monthly_token_budget),
    labelled('Budget kind', hard), labelled('Requests per minute', fields.requests_per_minute),
    labelled('Tokens per minute', fields.tokens_per_minute));
  const read = () => {
    const body = {};
    for (const name of ['name', 'team', 'project', 'environment', 'description']) body[name] = fields[name].value.trim();
    for (const name of listFields) body[name] = fields[name].value.split(',').map(x => x.trim()).filter(Boolean);
    body.expires_at = fields.expires_at.value || null;
    const num = name => Number(fields[name].value || 0);
    body.limits = {
      monthly_usd_budget: num('monthly_usd_budget'), monthly_token_budget: Math.round(num('monthly_token_budget')),
      requests_per_minute: Math.round(num('requests_per_minute')), tokens_per_minute: Math.round(num('tokens_per_minute')),
      hard_budget: hard.value === 'true',
    };
    return body;
  };
  return [el, read];
}

async function showSecret(title, secret) {
  await modal(title, secretBox(secret), [{ label: 'I have stored it', value: 'done' }]);  // cleared on close
}

export async function render(root) {
  const filter = h('input', { type: 'search', placeholder: 'Filter by name, id, team, project…', id: 'key-filter' });
  const showRevoked = h('input', { type: 'checkbox', id: 'show-revoked' });
  const tbody = h('tbody');
  const count = h('span', { class: 'muted', id: 'key-count' });
  // A page of rows at a time: a thousand rows of meters and buttons take the browser far longer to lay
  // out than an operator should wait; the filter searches every key.
  const PAGE = 100;
  let first = 0;
  const prev = h('button', { type: 'button', class: 'quiet small', id: 'keys-prev', onclick: () => { first = Math.max(0, first - PAGE); draw(); } }, '‹ Previous');
  const next = h('button', { type: 'button', class: 'quiet small', id: 'keys-next', onclick: () => { first += PAGE; draw(); } }, 'Next ›');
  const table = h('table', { id: 'keys-table' },
    h('thead', null, h('tr', null, ['Name', 'Team', 'Project', 'Env', 'Scopes', 'Limits', 'Budget this month', 'Last used', 'Status', ''].map(t => h('th', null, t)))),
    tbody);
  root.replaceChildren(
    h('div', { class: 'toolbar' }, h('h1', { class: 'grow' }, 'Keys'), count, h('label', null, h('span', null, 'Show revoked'), showRevoked), filter,
      h('button', { type: 'button', id: 'new-key', onclick: () => create() }, 'New key')),
    h('div', { class: 'card' }, table, h('div', { class: 'toolbar' }, prev, next)));

  let keys = [];
  let lastUsed = new Map();
  const draw = () => {
    const q = filter.value.trim().toLowerCase();
    const rows = document.createDocumentFragment();
    const matching = keys.filter(key => (showRevoked.checked || key.status !== 'revoked') &&
      (!q || [key.name, key.id, key.team, key.project, key.environment].some(x => (x || '').toLowerCase().includes(q))));
    if (first >= matching.length) first = Math.max(0, Math.floor((matching.length - 1) / PAGE) * PAGE);
    for (const key of matching.slice(first, first + PAGE)) {
      const st = statusOf(key);
      rows.append(h('tr', { 'data-key': key.id },
        h('td', null, h('div', null, key.name), h('div', { class: 'muted mono' }, key.id), h('div', { class: 'muted mono' }, key.secret_hint)),
        h('td', null, key.team), h('td', null, key.project), h('td', null, key.environment),
        h('td', { class: 'muted' }, scopesText(key)), h('td', { class: 'muted' }, limitsText(key.limits)),
        h('td', null, budgetCell(key)), h('td', { class: 'muted' }, lastUsed.get(key.id) || 'not this month'),
        h('td', { class: st.cls + ' status' }, st.text),
        h('td', { class: 'actions' }, key.status === 'revoked' ? '' : [
          h('button', { type: 'button', class: 'quiet small edit', onclick: () => edit(key) }, 'Edit'), ' ',
          h('button', { type: 'button', class: 'quiet small rotate', onclick: () => rotate(key) }, 'Rotate'), ' ',
          h('button', { type: 'button', class: 'danger small revoke', onclick: () => revoke(key) }, 'Revoke')])));
    }
    tbody.replaceChildren(rows);
    const last = Math.min(matching.length, first + PAGE);
    count.textContent = matching.length ? `${first + 1}–${last} of ${matching.length} keys` : `0 of ${keys.length} keys`;
    prev.disabled = first === 0;
    next.disabled = last >= matching.length;
  };
  filter.addEventListener('input', () => { first = 0; draw(); });
  showRevoked.addEventListener('change', () => { first = 0; draw(); });

  const load = async () => {
    const [list, usage] = await Promise.all([
      api('GET', '/admin/keys?usage=1'),
      api('GET', `/admin/usage/daily?group_by=key&from=${monthStart()}`),
    ]);
    keys = list.keys.sort((a, b) => (a.status === 'revoked') - (b.status === 'revoked') || a.name.localeCompare(b.name));
    lastUsed = new Map();
    for (const row of usage.rows) if (row.requests > 0 && (lastUsed.get(row.group) || '') < row.day) lastUsed.set(row.group, row.day);
    draw();
  };

  async function create() {
    const [form, read] = keyForm(null);
    if (await modal('New key', form, [{ label: 'Cancel', value: 'cancel', class: 'quiet' }, { label: 'Create', value: 'create' }]) !== 'create') return;
    try {
      const created = await api('POST', '/admin/keys', read());
      await load();
      await showSecret(`Key ${created.key.name} created`, created.secret);
      flash(`Created ${created.key.id}`);
    } catch (e) { flash(`Create failed: ${e.message}`, true); }
  }

  async function edit(key) {
    const [form, read] = keyForm(key);
    if (await modal(`Edit ${key.name}`, form, [{ label: 'Cancel', value: 'cancel', class: 'quiet' }, { label: 'Save', value: 'save' }]) !== 'save') return;
    try { await api('PATCH', `/admin/keys/${encodeURIComponent(key.id)}`, read()); flash(`Updated ${key.id}`); await load(); }
    catch (e) { flash(`Update failed: ${e.message}`, true); }
  }

  async function rotate(key) {
    const grace = h('input', { type: 'number', min: 0, value: 3600, name: 'grace_seconds' });
    const body = h('div', null, h('p', null, `A new secret replaces the current one of ${key.name}. The current secret keeps working during the grace period.`),
      h('label', null, 'Grace period (seconds)', grace));
    if (await modal('Rotate key', body, [{ label: 'Cancel', value: 'cancel', class: 'quiet' }, { label: 'Rotate', value: 'rotate' }]) !== 'rotate') return;
    try {
      const rotated = await api('POST', `/admin/keys/${encodeURIComponent(key.id)}/rotate`, { grace_seconds: Math.max(0, Math.round(Number(grace.value) || 0)) });
      await load();
      await showSecret(`New secret for ${key.name}`, rotated.secret);
      flash(`Rotated ${key.id}`);
    } catch (e) { flash(`Rotate failed: ${e.message}`, true); }
  }

  async function revoke(key) {
    const body = h('p', null, `Revoke ${key.name} (${key.id})? Every request with it is refused at once; this cannot be undone.`);
    if (await modal('Revoke key', body, [{ label: 'Cancel', value: 'cancel', class: 'quiet' }, { label: 'Revoke', value: 'revoke', class: 'danger' }]) !== 'revoke') return;
    try { await api('POST', `/admin/keys/${encodeURIComponent(key.id)}/revoke`); flash(`Revoked ${key.id}`); await load(); }
    catch (e) { flash(`Revoke failed: ${e.message}`, true); }
  }

  await load();
}
