// The console's entry point: login, navigation between pages (kept in the URL hash, which holds
// nothing secret), logout.
import { api, flash, setUnauthorizedHandler } from './dom.js';
import * as keys from './keys.js';
import * as usage from './usage.js';
import * as alerts from './alerts.js';
import * as audit from './audit.js';
import * as live from './live.js';

const pages = { keys, usage, alerts, audit, live };

function showLogin(message) {
  live.stop();
  document.getElementById('app').hidden = true;
  document.getElementById('login').hidden = false;
  document.getElementById('login-error').textContent = message || '';
  document.getElementById('login-token').focus();
}

async function show(name) {
  if (!pages[name]) name = 'keys';
  live.stop();
  flash('');
  for (const b of document.querySelectorAll('#nav button')) b.classList.toggle('active', b.dataset.page === name);
  const root = document.getElementById('page');
  root.dataset.page = name;
  root.dataset.ready = '';
  const started = performance.now();
  try { await pages[name].render(root); } catch (e) { flash(`${name}: ${e.message}`, true); }
  root.dataset.ready = name;
  root.dataset.renderMs = (performance.now() - started).toFixed(1);
}

function enter() {
  document.getElementById('login').hidden = true;
  document.getElementById('app').hidden = false;
  show(location.hash.slice(1));
}

async function login(event) {
  event.preventDefault();
  const input = document.getElementById('login-token');
  const token = input.value;
  input.value = '';  // the page keeps no copy: the session cookie (HttpOnly) is the credential now
  try {
    await api('POST', '/console/login', { token });
    enter();
  } catch (e) { showLogin(e.message); }
}

document.getElementById('login-form').addEventListener('submit', login);
document.getElementById('logout').addEventListener('click', async () => {
  try { await api('POST', '/console/logout'); } catch { /* the session is gone either way */ }
  showLogin('Logged out.');
});
document.getElementById('nav').addEventListener('click', e => {
  const page = e.target.dataset && e.target.dataset.page;
  if (page) location.hash = page;
});
window.addEventListener('hashchange', () => { if (!document.getElementById('app').hidden) show(location.hash.slice(1)); });
setUnauthorizedHandler(() => showLogin('Your session has ended: log in again.'));

// A session cookie from an earlier login may still be valid: ask once before showing the form.
api('GET', '/admin/metrics').then(enter, () => showLogin(''));
