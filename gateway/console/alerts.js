// Alerts: budget thresholds and anomalies (usage spikes, new client addresses, unusual hours) from the
// audit log, newest first, filterable by kind and key.
import { h, api, flash, fmt, daysAgo } from './dom.js';

function describe(r) {
  if (r.kind === 'budget_threshold') {
    return `${Math.round(r.threshold * 100)}% of the ${r.hard_budget ? 'hard' : 'soft'} budget reached (${(r.used_fraction * 100).toFixed(1)}% used, ${r.month})`;
  }
  return r.detail || '';
}

export async function render(root) {
  const kind = h('select', { id: 'alert-kind' }, h('option', { value: '' }, 'all kinds'),
    ['budget_threshold', 'usage_spike', 'new_ip', 'unusual_hour'].map(k => h('option', { value: k }, k.replace('_', ' '))));
  const key = h('input', { type: 'search', placeholder: 'key id or name', id: 'alert-key' });
  const tbody = h('tbody');
  const note = h('p', { class: 'muted' });
  root.replaceChildren(
    h('div', { class: 'toolbar' }, h('h1', { class: 'grow' }, 'Alerts'), h('label', null, 'Kind', kind), h('label', null, 'Key', key),
      h('button', { type: 'button', class: 'quiet', onclick: () => load() }, 'Refresh')),
    h('div', { class: 'card' }, h('table', { id: 'alerts-table' },
      h('thead', null, h('tr', null, ['Time', 'Kind', 'Key', 'What'].map(t => h('th', null, t)))), tbody), note));
  let records = [];
  const draw = () => {
    const q = key.value.trim().toLowerCase();
    const rows = document.createDocumentFragment();
    let shown = 0;
    for (const r of records) {
      if (kind.value && r.kind !== kind.value) continue;
      if (q && !`${r.key_id} ${r.key_name}`.toLowerCase().includes(q)) continue;
      shown++;
      rows.append(h('tr', { class: 'alert-row' }, h('td', { class: 'mono' }, fmt.time(r.ts)), h('td', null, r.kind),
        h('td', null, r.key_name, h('div', { class: 'muted mono' }, r.key_id)), h('td', null, describe(r))));
    }
    if (!shown) rows.append(h('tr', null, h('td', { colSpan: 4, class: 'muted' }, 'No alerts match.')));
    tbody.replaceChildren(rows);
  };
  const load = async () => {
    try {
      const data = await api('GET', `/admin/audit?type=alert.*&limit=1000&from=${daysAgo(90)}`);
      records = data.records.reverse();
      note.textContent = `The last 90 days${data.truncated ? ' (the newest 1,000 alerts)' : ''}.`;
      draw();
    } catch (e) { flash(`Alerts: ${e.message}`, true); }
  };
  kind.addEventListener('change', draw);
  key.addEventListener('input', draw);
  await load();
}
