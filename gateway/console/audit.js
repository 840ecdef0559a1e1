// Audit: the newest records, filtered by type and key on the server; the head hash; and Verify, the
// chain check `sluice audit verify` makes, run by the gateway over its log directory.
import { h, api, flash, fmt, daysAgo } from './dom.js';

const TYPES = ['', 'request', 'key.created', 'key.updated', 'key.rotated', 'key.revoked', 'alert.*', 'admin.*', 'checkpoint'];

function summary(r) {
  const skip = new Set(['seq', 'ts', 'type', 'prev', 'key_id']);
  return Object.entries(r).filter(([k]) => !skip.has(k)).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`).join('  ');
}

export async function render(root) {
  const type = h('select', { id: 'audit-type' }, TYPES.map(t => h('option', { value: t }, t || 'all types')));
  const key = h('input', { type: 'search', placeholder: 'key_…', id: 'audit-key' });
  const limit = h('select', { id: 'audit-limit' }, [100, 500, 1000].map(n => h('option', { value: n }, String(n))));
  const head = h('code', { id: 'audit-head' });
  const verdict = h('div', { id: 'audit-verify-result' });
  const tbody = h('tbody');
  const verify = h('button', { type: 'button', id: 'audit-verify', onclick: () => runVerify() }, 'Verify chain');
  root.replaceChildren(
    h('div', { class: 'toolbar' }, h('h1', { class: 'grow' }, 'Audit'), h('label', null, 'Type', type), h('label', null, 'Key', key),
      h('label', null, 'Newest', limit), h('button', { type: 'button', class: 'quiet', onclick: () => load() }, 'Apply')),
    h('div', { class: 'card' }, h('div', null, h('span', { class: 'muted' }, 'Head hash: '), head), h('p', null, verify), verdict),
    h('div', { class: 'card' }, h('table', { id: 'audit-table' },
      h('thead', null, h('tr', null, ['Seq', 'Time', 'Type', 'Key', 'Details'].map(t => h('th', null, t)))), tbody)));

  const load = async () => {
    const q = new URLSearchParams({ limit: limit.value, from: daysAgo(31) });
    if (type.value) q.set('type', type.value);
    if (key.value.trim()) q.set('key_id', key.value.trim());
    try {
      const [data, h2] = await Promise.all([api('GET', `/admin/audit?${q}`), api('GET', '/admin/audit/head')]);
      head.textContent = h2.head || '(empty log)';
      const rows = document.createDocumentFragment();
      for (const r of data.records.reverse()) {
        rows.append(h('tr', { class: 'audit-row' }, h('td', { class: 'num' }, r.seq), h('td', { class: 'mono' }, fmt.time(r.ts)), h('td', null, r.type),
          h('td', { class: 'mono' }, r.key_id || r.caller || ''), h('td', { class: 'muted mono' }, summary(r))));
      }
      if (!data.records.length) rows.append(h('tr', null, h('td', { colSpan: 5, class: 'muted' }, 'No records match (last 31 days).')));
      tbody.replaceChildren(rows);
    } catch (e) { flash(`Audit: ${e.message}`, true); }
  };
  const runVerify = async () => {
    verdict.replaceChildren(h('span', { class: 'muted' }, 'Verifying…'));
    try {
      const r = await api('GET', '/admin/audit/verify');
      verdict.replaceChildren(r.ok
        ? h('p', { class: 'ok' }, `Chain intact: ${fmt.int(r.records)} records from seq ${r.first_seq}, head ${r.head}.`)
        : h('p', { class: 'error' }, `${r.problem}: ${r.message} (${r.file}, line ${r.line}, seq ${r.seq})`));
    } catch (e) { verdict.replaceChildren(h('p', { class: 'error' }, e.message)); }
  };
  await load();
}
