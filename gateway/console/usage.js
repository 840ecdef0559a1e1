// Usage: tokens or cost per UTC day, grouped by team, project, key or model; a stacked bar chart of
// the largest groups, a table of totals and a CSV export of the daily rows.
import { h, api, flash, fmt, monthStart, daysAgo } from './dom.js';
import { stackedBars, palette } from './chart.js';

const TOP = 6;

function csvCell(v) {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function render(root) {
  const group = h('select', { id: 'usage-group' }, ['team', 'project', 'key', 'model'].map(g => h('option', { value: g }, g)));
  const measure = h('select', { id: 'usage-measure' }, h('option', { value: 'cost' }, 'cost (USD)'), h('option', { value: 'tokens' }, 'tokens'));
  const range = h('select', { id: 'usage-range' }, h('option', { value: '30' }, 'last 30 days'), h('option', { value: 'month' }, 'this month'), h('option', { value: '90' }, 'last 90 days'));
  const csv = h('button', { type: 'button', class: 'quiet', id: 'usage-csv' }, 'Export CSV');
  const chart = h('div', { class: 'chart', id: 'usage-chart' });
  const legend = h('div', { class: 'legend' });
  const tbody = h('tbody');
  root.replaceChildren(
    h('div', { class: 'toolbar' }, h('h1', { class: 'grow' }, 'Usage'),
      h('label', null, 'Group by', group), h('label', null, 'Show', measure), h('label', null, 'Range', range), csv),
    h('div', { class: 'card' }, chart, legend),
    h('div', { class: 'card' }, h('table', { id: 'usage-table' },
      h('thead', null, h('tr', null, h('th', null, 'Group'), ['Requests', 'Input tokens', 'Output tokens', 'Cost'].map(t => h('th', { class: 'num' }, t)))),
      tbody)));

  let data = null;
  let keyNames = null;  // id -> name, fetched the first time usage is grouped by key
  const label = g => (g === '' ? '(none)' : group.value === 'key' && keyNames && keyNames.has(g) ? `${keyNames.get(g)} (${g})` : g);
  const draw = () => {
    const byGroup = new Map();
    for (const r of data.rows) {
      const t = byGroup.get(r.group) || { requests: 0, input: 0, output: 0, cost: 0 };
      t.requests += r.requests; t.input += r.input_tokens; t.output += r.output_tokens; t.cost += r.cost_usd;
      byGroup.set(r.group, t);
    }
    const value = r => measure.value === 'cost' ? r.cost_usd : r.input_tokens + r.output_tokens;
    const ranked = [...byGroup.entries()].sort((a, b) => (measure.value === 'cost' ? b[1].cost - a[1].cost : (b[1].input + b[1].output) - (a[1].input + a[1].output)));
    const top = ranked.slice(0, TOP).map(([name]) => name);
    const dayIndex = new Map(data.days.map((d, i) => [d, i]));
    const series = top.map((name, i) => ({ name: label(name), color: palette[i], values: new Array(data.days.length).fill(0) }));
    const other = { name: 'other', color: palette[TOP], values: new Array(data.days.length).fill(0) };
    for (const r of data.rows) {
      const at = top.indexOf(r.group);
      (at >= 0 ? series[at] : other).values[dayIndex.get(r.day)] += value(r);
    }
    if (ranked.length > TOP) series.push(other);
    const format = measure.value === 'cost' ? v => fmt.usd(v) : v => (v >= 1e6 ? (v / 1e6).toFixed(1) + 'M' : v >= 1e3 ? (v / 1e3).toFixed(0) + 'k' : String(Math.round(v)));
    chart.replaceChildren(stackedBars(data.days, series, format));
    legend.replaceChildren(...series.map((x, i) => h('span', null, h('span', { class: `swatch sw${i === TOP || x === other ? TOP : i}` }), x.name)));
    const rows = document.createDocumentFragment();
    for (const [name, t] of ranked) {
      rows.append(h('tr', null, h('td', null, label(name)), h('td', { class: 'num' }, fmt.int(t.requests)),
        h('td', { class: 'num' }, fmt.int(t.input)), h('td', { class: 'num' }, fmt.int(t.output)), h('td', { class: 'num' }, fmt.usd(t.cost))));
    }
    if (!ranked.length) rows.append(h('tr', null, h('td', { colSpan: 5, class: 'muted' }, 'No usage in this range.')));
    tbody.replaceChildren(rows);
  };

  const load = async () => {
    const from = range.value === 'month' ? monthStart() : daysAgo(Number(range.value) - 1);
    try {
      const [daily, keys] = await Promise.all([
        api('GET', `/admin/usage/daily?group_by=${group.value}&from=${from}`),
        group.value === 'key' && !keyNames ? api('GET', '/admin/keys') : null,
      ]);
      if (keys) keyNames = new Map(keys.keys.map(k => [k.id, k.name]));
      data = daily;
      draw();
    } catch (e) { flash(`Usage: ${e.message}`, true); }
  };
  group.addEventListener('change', load);
  range.addEventListener('change', load);
  measure.addEventListener('change', () => data && draw());
  csv.addEventListener('click', () => {
    if (!data) return;
    const lines = [['day', data.group_by, 'requests', 'input_tokens', 'output_tokens', 'cost_usd'].join(',')];
    for (const r of data.rows) lines.push([r.day, r.group, r.requests, r.input_tokens, r.output_tokens, r.cost_usd].map(csvCell).join(','));
    const url = URL.createObjectURL(new Blob([lines.join('\n') + '\n'], { type: 'text/csv' }));
    const a = h('a', { href: url, download: `sluice-usage-${data.group_by}-${data.days[0]}.csv` });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  await load();
}
