// A device's page: state and lifecycle actions, health, last readings, record and history.
// Health and readings refresh every few seconds (the state moves on its own: a provisioning job
// finishes, the first reading activates the device, the sweeper marks it silent).
import { api, paths } from '../api.js';
import { announce, h, replace } from '../dom.js';
import { errorBlock } from '../form-errors.js';
import { ago, interval, rate, stateBadge, time } from '../format.js';
import { credentialsPanel } from './credentials.js';
import { deviceActions } from './device-actions.js';

const REFRESH_MS = 3000;

/**
 * @param {HTMLElement} main
 * @param {import('../main.js').ViewContext} ctx
 * @param {string} deviceId
 */
export function renderDeviceDetail(main, { me }, deviceId) {
  let alive = true;
  let shown = '';
  const title = h('h1', null, h('span', { class: 'mono' }, deviceId));
  const header = h('div', { class: 'device-state', 'data-testid': 'device-state' });
  const actions = h('div', { class: 'actions toolbar', role: 'group', 'aria-label': 'Lifecycle actions' });
  const notice = h('div');
  const health = h('section', { class: 'card', 'aria-labelledby': 'health-title' });
  const readings = h('section', { class: 'card', 'aria-labelledby': 'readings-title' });
  const details = h('section', { class: 'card', 'aria-labelledby': 'details-title' });
  const history = h('section', { class: 'card', 'aria-labelledby': 'history-title' });
  replace(
    main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '#/devices' }, 'Devices'), ' / ', deviceId),
    h('div', { class: 'page-head start' }, title, header),
    me.role === 'viewer' ? null : actions,
    notice,
    h('div', { class: 'columns' }, health, readings),
    details,
    me.role === 'viewer' ? null : history,
  );

  /** @param {{ device: any, health: any }} view */
  const show = (view) => {
    const key = JSON.stringify(view.device);
    renderHealth(health, view.health, view.device);
    if (key === shown) return;
    // Re-render the record parts only when the record changed, so polling never moves the focus.
    shown = key;
    replace(
      header,
      stateBadge(view.device.state),
      view.device.stateReason ? h('span', { class: 'state-reason' }, view.device.stateReason) : null,
    );
    replace(actions, deviceActions(view.device, { onDone: afterAction }));
    renderDetails(details, view.device);
    if (me.role !== 'viewer') loadHistory(history, deviceId);
  };
  /** @param {{ device: any, health?: any, credentials?: any }} result @param {{ rotation: boolean }} info */
  const afterAction = (result, { rotation }) => {
    if (result.credentials) {
      replace(notice, credentialsPanel(/** @type {any} */ (result), { rotation }));
    } else {
      notice.replaceChildren();
    }
    if (result.device) announce(`${deviceId} is now ${result.device.state}`);
    // The action buttons are rebuilt for the new state: put the focus somewhere stable.
    /** @type {HTMLElement | null} */ (notice.querySelector('h2') ?? title).focus();
    refresh();
  };
  const refresh = async () => {
    try {
      const [view, last] = await Promise.all([
        api('GET', paths.device(deviceId)),
        api('GET', paths.deviceAction(deviceId, 'readings'), { query: { limit: '20' } }).catch((error) => ({
          error,
        })),
      ]);
      if (!alive) return;
      show(view);
      renderReadings(readings, last);
    } catch (error) {
      if (alive && !shown)
        replace(
          main,
          h('h1', null, deviceId),
          errorBlock(error),
          h('a', { href: '#/devices' }, 'Back to devices'),
        );
    }
  };
  refresh();
  const timer = setInterval(() => {
    if (!document.hidden && !document.querySelector('dialog[open]')) refresh();
  }, REFRESH_MS);
  return () => {
    alive = false;
    clearInterval(timer);
  };
}

function renderHealth(section, health, device) {
  const lastRejection = health.lastRejection;
  replace(
    section,
    h('h2', { id: 'health-title' }, 'Health'),
    h(
      'dl',
      { class: 'props', 'data-testid': 'health' },
      h('dt', null, 'Last seen'),
      h('dd', null, time(health.lastSeenAt, 'never')),
      h('dt', null, 'Readings, last hour'),
      h('dd', { class: rateClass(health.rateRatio) }, rate(health)),
      h('dt', null, 'Expected interval'),
      h('dd', null, device.expectedIntervalS ? interval(device.expectedIntervalS) : '—'),
      h('dt', null, 'Rejected readings'),
      h('dd', { 'data-testid': 'rejected-count' }, String(health.rejectedCount)),
      h('dt', null, 'Last rejection'),
      h(
        'dd',
        null,
        lastRejection
          ? [h('code', null, lastRejection.reason), ` ${lastRejection.detail ?? ''} `, time(lastRejection.at)]
          : h('span', { class: 'muted' }, 'none'),
      ),
      health.silentSince ? [h('dt', null, 'Silent since'), h('dd', null, time(health.silentSince))] : null,
    ),
  );
}

/** @param {number | null} ratio */
function rateClass(ratio) {
  if (ratio === null || ratio === undefined) return '';
  return ratio < 0.5 ? 'rate-low' : '';
}

function renderReadings(section, last) {
  const body = last?.error
    ? errorBlock(last.error)
    : last.items.length === 0
      ? h('p', { class: 'muted' }, 'No reading received yet.')
      : h(
          'table',
          { class: 'data compact' },
          h('caption', { class: 'visually-hidden' }, 'Last readings, newest first'),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ['Time', 'Metric', 'Value'].map((c) => h('th', { scope: 'col' }, c)),
            ),
          ),
          h(
            'tbody',
            null,
            last.items.map((r) =>
              h(
                'tr',
                null,
                h('td', null, h('time', { datetime: r.ts, title: r.ts }, ago(new Date(r.ts)))),
                h('td', { class: 'mono' }, r.metric),
                h('td', { class: 'num' }, `${r.value}${r.unit ? ` ${r.unit}` : ''}`),
              ),
            ),
          ),
        );
  replace(section, h('h2', { id: 'readings-title' }, 'Last readings'), body);
}

function renderDetails(section, d) {
  const rows = [
    ['Tenant', d.tenant],
    ['Site', d.siteName ? `${d.siteName} (${d.site})` : d.site],
    ['Domain', d.domain],
    ['Kind', d.kind],
    ['Model', d.model],
    ['Metrics', d.metrics.join(', ')],
    ['Installed on', d.installedAt],
    ['Location', d.location ? `${d.location.lat}, ${d.location.lon}` : null],
    ['Time zone', d.timezone],
    ['Floor area', d.floorAreaM2 ? `${d.floorAreaM2} m²` : null],
    ['DevEUI', d.externalIds?.devEui],
    ['Serial number', d.externalIds?.serialNumber],
    ['Meter point', d.externalIds?.meterPointId],
    ['Meter role', d.meterRole],
    ['Updated', time(d.updatedAt)],
  ].filter(([, v]) => v !== null && v !== undefined && v !== '');
  replace(
    section,
    h('h2', { id: 'details-title' }, 'Record'),
    h(
      'dl',
      { class: 'props' },
      rows.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
    ),
  );
}

async function loadHistory(section, deviceId) {
  replace(section, h('h2', { id: 'history-title' }, 'History'), h('p', { class: 'muted' }, 'Loading…'));
  try {
    const { items } = await api('GET', paths.audit, { query: { deviceId, limit: '20' } });
    replace(
      section,
      h('h2', { id: 'history-title' }, 'History'),
      items.length === 0
        ? h('p', { class: 'muted' }, 'No recorded action.')
        : h(
            'ol',
            { class: 'history' },
            items.map((e) =>
              h(
                'li',
                null,
                time(e.at),
                ' ',
                h('strong', null, e.action),
                ` by ${e.actor.name} (${e.actor.role})`,
                reasonOf(e),
              ),
            ),
          ),
    );
  } catch (error) {
    replace(section, h('h2', { id: 'history-title' }, 'History'), errorBlock(error));
  }
}

/** The reason an audit entry's new state carries, when it has one. */
function reasonOf(entry) {
  const reason = entry.after?.stateReason;
  return reason && reason !== entry.before?.stateReason
    ? h('span', { class: 'muted' }, ` — ${reason}`)
    : null;
}
