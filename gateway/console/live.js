// Live: the process's own governance metrics, polled every two seconds: requests per second,
// refusals by reason, policy verdicts and the gateway's added latency (p50/p99 from its histogram).
import { h, api, fmt } from './dom.js';
import { line } from './chart.js';

const SLOTS = 60;
let timer = null;

export function stop() { clearInterval(timer); timer = null; }

function countTable(id, title, counts) {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return h('div', { class: 'card' }, h('h2', null, title), h('table', { id },
    h('tbody', null, entries.length ? entries.map(([k, v]) => h('tr', null, h('td', null, k), h('td', { class: 'num' }, fmt.int(v))))
      : h('tr', null, h('td', { class: 'muted' }, 'none yet')))));
}

export async function render(root) {
  stop();
  const rps = h('div', { class: 'stat', id: 'live-rps' }, '…');
  const p50 = h('div', { class: 'stat', id: 'live-p50' }, '…');
  const p99 = h('div', { class: 'stat', id: 'live-p99' }, '…');
  const total = h('div', { class: 'muted' });
  const chart = h('div', { class: 'chart' });
  const tables = h('div', { class: 'grid' });
  root.replaceChildren(h('h1', null, 'Live'),
    h('div', { class: 'grid' },
      h('div', { class: 'card' }, h('div', { class: 'muted' }, 'Requests per second'), rps, total),
      h('div', { class: 'card' }, h('div', { class: 'muted' }, 'Added latency p50'), p50),
      h('div', { class: 'card' }, h('div', { class: 'muted' }, 'Added latency p99'), p99)),
    h('div', { class: 'card' }, h('h2', null, 'Requests per second, last two minutes'), chart), tables);
  const history = [];
  let previous = null;
  const tick = async () => {
    let m;
    try { m = await api('GET', '/admin/metrics'); } catch { return; }
    const refused = Object.values(m.refusals).reduce((a, b) => a + b, 0);
    const now = { t: m.ts_ms, n: m.requests_total + refused };
    if (previous && now.t > previous.t) {
      history.push((now.n - previous.n) / ((now.t - previous.t) / 1000));
      if (history.length > SLOTS) history.shift();
      rps.textContent = history[history.length - 1].toFixed(1);
    } else if (!previous) rps.textContent = '–';
    previous = now;
    total.textContent = `${fmt.int(m.requests_total)} settled, ${fmt.int(refused)} refused since start`;
    p50.textContent = m.added_latency.count ? `${m.added_latency.p50_ms.toFixed(2)} ms` : '–';
    p99.textContent = m.added_latency.count ? `${m.added_latency.p99_ms.toFixed(2)} ms` : '–';
    chart.replaceChildren(line(history, SLOTS, v => v.toFixed(1)));
    tables.replaceChildren(countTable('live-refusals', 'Refusals by reason', m.refusals),
      countTable('live-verdicts', 'Policy verdicts', m.verdicts),
      countTable('live-status', 'Settled requests by status', m.requests_by_status));
  };
  await tick();
  timer = setInterval(tick, 2000);
}
