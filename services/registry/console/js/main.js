// The console shell: session (token + who am I), navigation, and a hash router that renders one
// view at a time into <main>. Views may return a cleanup function (e.g. to stop polling).
import { api, clearToken, getToken, paths } from './api.js';
import { h, replace } from './dom.js';
import { errorBlock } from './form-errors.js';
import { renderDeviceDetail } from './views/device-detail.js';
import { renderDeviceList } from './views/device-list.js';
import { renderOnboard } from './views/device-onboard.js';
import { renderImportStatus } from './views/import-status.js';
import { renderImportUpload } from './views/import-upload.js';
import { renderSignIn } from './views/sign-in.js';

/** @typedef {{ name: string, role: 'admin' | 'operator' | 'viewer', tenant: string | null }} Me */
/** @typedef {{ me: Me, params: URLSearchParams, navigate: (hash: string) => void }} ViewContext */

const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));
const identity = /** @type {HTMLElement} */ (document.getElementById('identity'));

/** @type {Me | null} */
let me = null;
/** @type {(() => void) | void} */
let cleanup;

/** Routes: a hash pattern and its view; `:id` segments are passed to the view. */
const routes = [
  { pattern: /^\/devices\/?$/, view: renderDeviceList, nav: 'devices' },
  { pattern: /^\/devices\/new$/, view: renderOnboard, nav: 'onboard', write: true },
  { pattern: /^\/devices\/([^/]+)$/, view: renderDeviceDetail, nav: 'devices' },
  { pattern: /^\/imports\/?$/, view: renderImportUpload, nav: 'imports', write: true },
  { pattern: /^\/imports\/([^/]+)$/, view: renderImportStatus, nav: 'imports' },
];

function navigate(hash) {
  if (window.location.hash === hash) route();
  else window.location.hash = hash;
}

function route() {
  if (typeof cleanup === 'function') cleanup();
  cleanup = undefined;
  if (!me) return;
  const raw = window.location.hash.replace(/^#/, '') || '/devices';
  const [path = '/devices', search = ''] = raw.split('?');
  const params = new URLSearchParams(search);
  for (const r of routes) {
    const match = r.pattern.exec(path);
    if (!match) continue;
    renderNav(r.nav);
    if (r.write && me.role === 'viewer') {
      replace(main, errorBlock(new Error('A viewer cannot change devices.')));
      return;
    }
    const arg = match[1] ? decodeURIComponent(match[1]) : undefined;
    cleanup = r.view(main, { me, params, navigate }, arg);
    focusHeading();
    return;
  }
  replace(
    main,
    h(
      'div',
      { class: 'card' },
      h('h1', { tabindex: '-1' }, 'Page not found'),
      h('a', { href: '#/devices' }, 'Back to devices'),
    ),
  );
}

/** Moves focus to the new view's heading so keyboard and screen reader users land on it. */
function focusHeading() {
  const heading = main.querySelector('h1');
  if (!heading) return;
  heading.setAttribute('tabindex', '-1');
  heading.focus({ preventScroll: true });
  document.title = `${heading.textContent} · Terrapulse registry`;
}

function renderNav(current) {
  const links = [
    { key: 'devices', href: '#/devices', label: 'Devices' },
    { key: 'onboard', href: '#/devices/new', label: 'Onboard a device', write: true },
    { key: 'imports', href: '#/imports', label: 'Import CSV', write: true },
  ].filter((l) => !(l.write && me?.role === 'viewer'));
  replace(
    nav,
    h(
      'ul',
      null,
      links.map((l) =>
        h('li', null, h('a', { href: l.href, 'aria-current': l.key === current ? 'page' : false }, l.label)),
      ),
    ),
  );
}

function renderIdentity() {
  if (!me) {
    identity.replaceChildren();
    return;
  }
  replace(
    identity,
    h(
      'span',
      { class: 'who', 'data-testid': 'identity' },
      h('span', { class: 'who-name' }, me.name),
      ' ',
      h('span', { class: `role role-${me.role}` }, me.role),
      me.tenant ? h('span', { class: 'who-tenant' }, ` · ${me.tenant}`) : null,
    ),
    h('button', { type: 'button', class: 'link-button', onclick: signOut }, 'Sign out'),
  );
}

function signedIn(who) {
  me = who;
  renderIdentity();
  route();
}

function signOut(reason) {
  clearToken();
  me = null;
  renderIdentity();
  nav.replaceChildren();
  if (typeof cleanup === 'function') cleanup();
  cleanup = undefined;
  renderSignIn(main, { onSignedIn: signedIn, reason: typeof reason === 'string' ? reason : undefined });
}

window.addEventListener('hashchange', route);
window.addEventListener('console:unauthorized', () => {
  // A 401 while signed in: the token was revoked or the registry restarted with another one.
  if (me) signOut('Your token was refused. Sign in again.');
});

async function boot() {
  if (!getToken()) {
    signOut();
    return;
  }
  try {
    signedIn(await api('GET', paths.me));
  } catch (error) {
    if (!me) signOut(error instanceof Error ? error.message : undefined);
  }
}

boot();
