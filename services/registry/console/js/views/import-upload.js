// CSV upload: the file goes as is (text/csv) to POST /api/v1/imports; the import runs as a job
// and its page follows the progress.
import { api, paths } from '../api.js';
import { field, h, replace } from '../dom.js';
import { clearErrors, formSummary, showErrors } from '../form-errors.js';

/** The API's CSV body limit: checked here too so a too large file fails before its upload. */
const MAX_CSV_BYTES = 5 * 1024 * 1024;

const COLUMNS =
  'deviceId, tenant, site, siteName, domain, kind, model, metrics, expectedIntervalS, installedAt, lat, lon, devEui, serialNumber, meterPointId, floorAreaM2, timezone, meterRole';

/**
 * @param {HTMLElement} main
 * @param {import('../main.js').ViewContext} ctx
 */
export function renderImportUpload(main, { navigate }) {
  const file = /** @type {HTMLInputElement} */ (h('input', { type: 'file', accept: '.csv,text/csv' }));
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { class: 'card', novalidate: true, 'aria-labelledby': 'import-title' },
      h('h1', { id: 'import-title' }, 'Import devices from CSV'),
      h(
        'p',
        null,
        'Each row is checked on its own: good rows are registered, bad rows are reported with their line number. Importing the same file again creates nothing twice.',
      ),
      formSummary(),
      field({
        name: 'file',
        label: 'CSV file',
        control: file,
        required: true,
        hint: 'Up to 5 MiB, header row required.',
      }),
      h(
        'details',
        null,
        h('summary', null, 'File format'),
        h('p', null, 'Columns (any order, unknown columns refused): ', h('code', null, COLUMNS), '.'),
        h(
          'p',
          null,
          'Several metrics are separated by "|", e.g. ',
          h('code', null, 'water.volume_index|water.flow'),
          '. An empty cell leaves an optional field out; lat and lon go together.',
        ),
      ),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Upload and import')),
    )
  );
  replace(main, form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const chosen = file.files?.[0];
    if (!chosen) {
      showErrors(form, {
        message: 'Choose a file first',
        issues: [{ path: 'file', message: 'No file chosen' }],
      });
      return;
    }
    if (chosen.size > MAX_CSV_BYTES) {
      showErrors(form, {
        message: 'File too large',
        issues: [{ path: 'file', message: 'The limit is 5 MiB; split the file' }],
      });
      return;
    }
    const submit = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
    submit.disabled = true;
    try {
      const { importId } = await api('POST', paths.imports, { body: chosen, contentType: 'text/csv' });
      navigate(`#/imports/${encodeURIComponent(importId)}`);
    } catch (error) {
      showErrors(form, error);
    } finally {
      submit.disabled = false;
    }
  });
}
