// Inline SVG charts drawn from data: stacked daily bars and a line. Colours come from presentation
// attributes (the CSP allows no inline style).
const NS = 'http://www.w3.org/2000/svg';
export const palette = ['#1f6feb', '#e36209', '#2e7d32', '#8250df', '#bf3989', '#0a7b83', '#8c959f'];

function s(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

// labels: x labels; series: [{name, values: [..per label], color}], stacked. format: axis numbers.
export function stackedBars(labels, series, format = String, width = 900, height = 260) {
  const left = 60, bottom = 24, top = 10, right = 10;
  const plotW = width - left - right, plotH = height - top - bottom;
  const totals = labels.map((_, i) => series.reduce((t, x) => t + (x.values[i] || 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'chart' });
  for (let g = 0; g <= 4; g++) {
    const y = top + plotH - (plotH * g) / 4;
    svg.append(s('line', { x1: left, x2: width - right, y1: y, y2: y, stroke: '#e5e9ef' }));
    svg.append(s('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#5b6675' }, format((max * g) / 4)));
  }
  const step = plotW / Math.max(1, labels.length);
  const barW = Math.max(1, step * 0.75);
  labels.forEach((label, i) => {
    let y = top + plotH;
    for (const x of series) {
      const v = x.values[i] || 0;
      if (v <= 0) continue;
      const hgt = (plotH * v) / max;
      y -= hgt;
      const rect = s('rect', { x: left + i * step + (step - barW) / 2, y, width: barW, height: hgt, fill: x.color });
      rect.append(s('title', {}, `${label} ${x.name}: ${format(v)}`));
      svg.append(rect);
    }
    const every = Math.ceil(labels.length / 12);
    if (i % every === 0) {
      svg.append(s('text', { x: left + i * step + step / 2, y: height - 6, 'text-anchor': 'middle', 'font-size': 11, fill: '#5b6675' }, label.slice(5)));
    }
  });
  return svg;
}

// points: numbers, newest last; drawn left to right over a fixed number of slots.
export function line(points, slots, format = String, width = 600, height = 140, color = '#1f6feb') {
  const left = 50, top = 8, bottom = 8, right = 8;
  const plotW = width - left - right, plotH = height - top - bottom;
  const max = niceMax(Math.max(0, ...points));
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'chart' });
  for (let g = 0; g <= 2; g++) {
    const y = top + plotH - (plotH * g) / 2;
    svg.append(s('line', { x1: left, x2: width - right, y1: y, y2: y, stroke: '#e5e9ef' }));
    svg.append(s('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#5b6675' }, format((max * g) / 2)));
  }
  const start = slots - points.length;
  const xy = points.map((v, i) => `${(left + ((start + i) * plotW) / Math.max(1, slots - 1)).toFixed(1)},${(top + plotH - (plotH * v) / max).toFixed(1)}`);
  if (xy.length) svg.append(s('polyline', { points: xy.join(' '), fill: 'none', stroke: color, 'stroke-width': 2 }));
  return svg;
}
