// Small helpers shared by the console's pages: element building (text only, never HTML strings, so
// nothing from the API can become markup), the admin API call, messages and dialogs.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name in el && name !== 'list') el[name] = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

// Every call carries the console header: the gateway accepts the session cookie only with it, and a
// page on another site cannot add it (the admin listener answers no CORS preflight).
let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

export async function api(method, path, body) {
  const headers = { 'X-Sluice-Console': '1' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin', cache: 'no-store',
  });
  let data = {};
  try { data = await response.json(); } catch { data = {}; }
  if (response.status === 401 && !path.startsWith('/console/')) onUnauthorized();
  if (!response.ok) {
    const message = (data.error && data.error.message) || `HTTP ${response.status}`;
    throw new Error(message);
  }
  return data;
}

export function flash(message, bad = false) {
  const el = document.getElementById('flash');
  el.textContent = message;
  el.classList.toggle('bad', bad);
  el.hidden = !message;
}

// Shows `content` in the modal dialog with the given buttons; resolves with the value of the button
// pressed ('' for Escape). `onOpen` may focus a field.
export function modal(title, content, buttons) {
  const dialog = document.getElementById('modal');
  const form = document.getElementById('modal-form');
  form.replaceChildren(h('h2', null, title), content,
    h('div', { class: 'buttons' }, buttons.map(b => h('button', { value: b.value, class: b.class || '' }, b.label))));
  return new Promise(resolve => {
    dialog.addEventListener('close', () => {
      // Nothing shown in a dialog outlives it (a secret least of all); callers keep the inputs they read.
      form.replaceChildren();
      resolve(dialog.returnValue);
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
  });
}

// A secret shown once, with a copy button; the caller drops it from the page when the dialog closes.
export function secretBox(secret) {
  const code = h('code', { class: 'secret-value' }, secret);
  const copy = h('button', {
    type: 'button', class: 'quiet small copy', onclick: async () => {
      try { await navigator.clipboard.writeText(secret); copy.textContent = 'Copied'; }
      catch { getSelection().selectAllChildren(code); copy.textContent = 'Selected: press Ctrl+C'; }
    },
  }, 'Copy');
  return h('div', null,
    h('p', null, 'This is the only time the secret is shown. Store it now; the gateway keeps only its hash.'),
    h('div', { class: 'secret' }, code, copy));
}

export const fmt = {
  int: n => Number(n || 0).toLocaleString('en-US'),
  usd: n => {
    const v = Number(n || 0);
    if (v === 0) return '$0';
    return '$' + (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(2));
  },
  time: iso => iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '',
  day: iso => iso ? iso.slice(0, 10) : '',
};

export function monthStart() {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 10);
}

export function daysAgo(n) {
  return new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
}
