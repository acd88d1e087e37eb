// An import's progress and per-row results, polled until the job is completed or failed.
import { api, paths } from '../api.js';
import { announce, h, replace } from '../dom.js';
import { errorBlock } from '../form-errors.js';

const POLL_MS = 1000;

/**
 * @param {HTMLElement} main
 * @param {import('../main.js').ViewContext} _ctx
 * @param {string} importId
 */
export function renderImportStatus(main, _ctx, importId) {
  let alive = true;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {any} */
  let last = null;
  const summary = h('div', { 'data-testid': 'import-summary' });
  const onlyProblems = /** @type {HTMLInputElement} */ (
    h('input', { type: 'checkbox', id: 'only-problems' })
  );
  const rows = h('div');
  onlyProblems.addEventListener('change', () => last && renderRows(rows, last, onlyProblems.checked));
  replace(
    main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '#/imports' }, 'Import CSV'), ' / ', importId),
    h('h1', null, 'Import results'),
    summary,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'rows-title' },
      h(
        'div',
        { class: 'page-head' },
        h('h2', { id: 'rows-title' }, 'Rows'),
        h('label', { class: 'check', for: 'only-problems' }, onlyProblems, ' Only rows with problems'),
      ),
      rows,
    ),
  );

  const poll = async () => {
    try {
      const status = await api('GET', paths.import(importId));
      if (!alive) return;
      const finished = status.state === 'completed' || status.state === 'failed';
      if (finished && last?.state !== status.state) {
        announce(
          `Import ${status.state}: ${status.created} created, ${status.unchanged} unchanged, ${status.rejected} rejected`,
        );
      }
      last = status;
      renderSummary(summary, status);
      renderRows(rows, status, onlyProblems.checked);
      if (!finished) timer = setTimeout(poll, POLL_MS);
    } catch (error) {
      if (!alive) return;
      replace(summary, errorBlock(error));
      // A transient failure (registry restarting) should not end the follow-up of a running import.
      if (!last || (last.state !== 'completed' && last.state !== 'failed'))
        timer = setTimeout(poll, POLL_MS * 3);
    }
  };
  poll();
  return () => {
    alive = false;
    clearTimeout(timer);
  };
}

function renderSummary(el, s) {
  const total = Math.max(s.total, 0);
  replace(
    el,
    h(
      'div',
      { class: 'card' },
      h(
        'p',
        null,
        'State: ',
        h('span', { class: `badge badge-import-${s.state}`, 'data-testid': 'import-state' }, s.state),
      ),
      h(
        'div',
        { class: 'progress-line' },
        h('label', { for: 'import-progress' }, 'Progress'),
        h('progress', { id: 'import-progress', max: String(total || 1), value: String(s.processed) }),
        h('span', null, `${s.processed} / ${total} rows`),
      ),
      h(
        'dl',
        { class: 'counts' },
        [
          ['Created', s.created, 'created'],
          ['Unchanged', s.unchanged, 'unchanged'],
          ['Rejected', s.rejected, 'rejected'],
        ].map(([label, n, key]) =>
          h('div', { 'data-count': key }, h('dt', null, label), h('dd', null, String(n))),
        ),
      ),
    ),
  );
}

function renderRows(el, s, onlyProblems) {
  const list = onlyProblems
    ? s.rows.filter((r) => r.status === 'invalid' || r.status === 'conflict')
    : s.rows;
  if (list.length === 0) {
    replace(
      el,
      h('p', { class: 'muted' }, s.rows.length === 0 ? 'No row processed yet.' : 'No row with a problem.'),
    );
    return;
  }
  replace(
    el,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data', 'data-testid': 'import-rows' },
        h('caption', { class: 'visually-hidden' }, 'Result of each row'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ['Line', 'Device', 'Status', 'Errors'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h(
          'tbody',
          null,
          list.map((r) =>
            h(
              'tr',
              { 'data-line': String(r.line), 'data-status': r.status },
              h('td', { class: 'num' }, String(r.line)),
              h(
                'td',
                { class: 'mono' },
                r.deviceId && (r.status === 'created' || r.status === 'unchanged' || r.status === 'conflict')
                  ? h('a', { href: `#/devices/${encodeURIComponent(r.deviceId)}` }, r.deviceId)
                  : (r.deviceId ?? '—'),
              ),
              h('td', null, h('span', { class: `badge badge-row-${r.status}` }, r.status)),
              h(
                'td',
                null,
                r.errors.length === 0
                  ? ''
                  : h(
                      'ul',
                      { class: 'row-errors' },
                      r.errors.map((e) =>
                        h(
                          'li',
                          null,
                          e.field ? h('code', null, e.field) : null,
                          e.field ? `: ${e.message}` : e.message,
                        ),
                      ),
                    ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
