// Device list: filters kept in the URL hash (shareable, back button works), a table of devices with
// their state and health, and "Load more" over the API's cursor.
import { api, paths } from '../api.js';
import { loadCatalogue } from '../catalogue.js';
import { h, replace, select } from '../dom.js';
import { errorBlock } from '../form-errors.js';
import { rate, STATES, stateBadge, time } from '../format.js';

const FILTERS = ['tenant', 'site', 'domain', 'kind', 'state', 'q'];
const PAGE = 50;

/**
 * @param {HTMLElement} main
 * @param {import('../main.js').ViewContext} ctx
 */
export function renderDeviceList(main, { me, params, navigate }) {
  let alive = true;
  const tbody = h('tbody');
  const status = h('p', { class: 'muted', role: 'status' }, 'Loading devices…');
  const more = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', hidden: true }, 'Load more'));
  const errors = h('div');
  const filters = filterForm(me, params, navigate);
  const table = h(
    'table',
    { class: 'data', 'aria-describedby': 'devices-status' },
    h('caption', { class: 'visually-hidden' }, 'Devices'),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ['Device', 'Tenant', 'Site', 'Kind', 'State', 'Last seen', 'Readings, last hour', 'Rejected'].map(
          (c) => h('th', { scope: 'col' }, c),
        ),
      ),
    ),
    tbody,
  );
  status.id = 'devices-status';
  replace(
    main,
    h(
      'section',
      { 'aria-labelledby': 'devices-title' },
      h(
        'div',
        { class: 'page-head' },
        h('h1', { id: 'devices-title' }, 'Devices'),
        me.role === 'viewer'
          ? null
          : h('a', { class: 'button primary', href: '#/devices/new' }, 'Onboard a device'),
      ),
      filters,
      errors,
      h('div', { class: 'table-wrap' }, table),
      status,
      h('div', { class: 'actions' }, more),
    ),
  );

  let count = 0;
  /** @param {string | null} cursor */
  const load = async (cursor) => {
    more.disabled = true;
    table.setAttribute('aria-busy', 'true');
    try {
      const query = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? undefined]));
      const page = await api('GET', paths.devices, {
        query: { ...query, limit: String(PAGE), cursor: cursor ?? undefined },
      });
      if (!alive) return;
      for (const view of page.items) tbody.append(deviceRow(view));
      count += page.items.length;
      status.textContent =
        count === 0 ? 'No device matches these filters.' : `${count} device${count > 1 ? 's' : ''} shown.`;
      more.hidden = !page.nextCursor;
      more.onclick = () => load(page.nextCursor);
    } catch (error) {
      if (alive) replace(errors, errorBlock(error));
      status.textContent = '';
    } finally {
      more.disabled = false;
      table.removeAttribute('aria-busy');
    }
  };
  load(null);
  return () => {
    alive = false;
  };
}

/** @param {{ device: any, health: any }} view */
function deviceRow({ device, health }) {
  return h(
    'tr',
    { 'data-device-id': device.deviceId },
    h(
      'td',
      null,
      h('a', { href: `#/devices/${encodeURIComponent(device.deviceId)}`, class: 'mono' }, device.deviceId),
    ),
    h('td', null, device.tenant),
    h('td', null, device.siteName ? `${device.siteName} (${device.site})` : device.site),
    h('td', null, device.kind),
    h('td', null, stateBadge(device.state)),
    h('td', null, time(health?.lastSeenAt, 'never')),
    h('td', null, rate(health)),
    h('td', { class: 'num' }, health ? String(health.rejectedCount) : '—'),
  );
}

/**
 * @param {import('../main.js').Me} me
 * @param {URLSearchParams} params
 * @param {(hash: string) => void} navigate
 */
function filterForm(me, params, navigate) {
  const control = (name, label, el) => {
    el.id = `filter-${name}`;
    el.name = name;
    if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) el.value = params.get(name) ?? '';
    return h('div', { class: 'field' }, h('label', { for: el.id }, label), el);
  };
  const domain = select([], { empty: 'Any' });
  const kind = select([], { empty: 'Any' });
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { class: 'filters', role: 'search', 'aria-label': 'Filter devices' },
      h('div', { class: 'filter-grid' }, [
        me.role === 'admin'
          ? control('tenant', 'Tenant', h('input', { type: 'text', autocomplete: 'off' }))
          : null,
        control('site', 'Site', h('input', { type: 'text', autocomplete: 'off' })),
        control('domain', 'Domain', domain),
        control('kind', 'Kind', kind),
        control('state', 'State', select(STATES, { empty: 'Any' })),
        control('q', 'Search', h('input', { type: 'search', placeholder: 'id, model, site name…' })),
      ]),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, 'Apply filters'),
        h('button', { type: 'reset' }, 'Clear'),
      ),
    )
  );
  // Domains and kinds come from the OpenAPI document; fill them in when it arrives.
  loadCatalogue().then((catalogue) => {
    for (const [el, values] of [
      [domain, catalogue.domains],
      [kind, catalogue.kinds],
    ]) {
      const name = /** @type {HTMLSelectElement} */ (el).name;
      for (const v of values) el.append(h('option', { value: v }, v));
      /** @type {HTMLSelectElement} */ (el).value = params.get(name) ?? '';
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (typeof value === 'string' && value.trim() !== '') next.set(key, value.trim());
    }
    const query = next.toString();
    navigate(query ? `#/devices?${query}` : '#/devices');
  });
  form.addEventListener('reset', (event) => {
    event.preventDefault();
    navigate('#/devices');
  });
  return form;
}
