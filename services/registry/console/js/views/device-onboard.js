// Onboard one device: the form posts a DeviceDraft; the answer's field errors appear next to their
// fields. Once registered, "Provision" issues the MQTT credentials and shows them once.
import { api, paths } from '../api.js';
import { loadCatalogue } from '../catalogue.js';
import { deviceDraftOf } from '../device-draft.js';
import { announce, field, h, replace, select } from '../dom.js';
import { clearErrors, errorBlock, formSummary, showErrors } from '../form-errors.js';
import { stateBadge } from '../format.js';
import { credentialsPanel } from './credentials.js';

/**
 * @param {HTMLElement} main
 * @param {import('../main.js').ViewContext} ctx
 */
export function renderOnboard(main, { me }) {
  const input = (attrs = {}) => h('input', { type: 'text', autocomplete: 'off', ...attrs });
  const domain = select([], { empty: 'Choose…' });
  const kind = select([], { empty: 'Choose…' });
  const meterRole = select([], { empty: 'None' });
  const metrics = h('div', { class: 'checks', id: 'f-metrics' });
  const tenant =
    me.role === 'admin'
      ? input()
      : input({ value: me.tenant ?? '', readonly: true, 'aria-readonly': 'true' });
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { class: 'card', novalidate: true, 'aria-labelledby': 'onboard-title' },
      h('h1', { id: 'onboard-title' }, 'Onboard a device'),
      h(
        'p',
        { class: 'muted' },
        'Register the device, then provision its MQTT credentials. Fields marked * are required.',
      ),
      formSummary(),
      h(
        'fieldset',
        null,
        h('legend', null, 'Identity'),
        h('div', { class: 'grid' }, [
          field({
            name: 'deviceId',
            label: 'Device id',
            control: input({ class: 'mono' }),
            required: true,
            hint: 'Lower-case letters, digits and dashes, e.g. wm-lyon-0042',
          }),
          field({
            name: 'tenant',
            label: 'Tenant',
            control: tenant,
            required: true,
            hint: me.role === 'admin' ? 'Commune or syndicate owning the device' : 'Your tenant',
          }),
          field({
            name: 'site',
            label: 'Site',
            control: input(),
            required: true,
            hint: 'Building, network sector or road section id',
          }),
          field({ name: 'siteName', label: 'Site name', control: input() }),
        ]),
      ),
      h(
        'fieldset',
        null,
        h('legend', null, 'Equipment'),
        h('div', { class: 'grid' }, [
          field({ name: 'domain', label: 'Domain', control: domain, required: true }),
          field({ name: 'kind', label: 'Kind', control: kind, required: true }),
          field({
            name: 'model',
            label: 'Model',
            control: input(),
            required: true,
            hint: 'Manufacturer and model',
          }),
          field({
            name: 'expectedIntervalS',
            label: 'Expected interval (s)',
            control: input({ type: 'number', min: '1', step: '1', inputmode: 'numeric' }),
            required: true,
            hint: 'Seconds between two uplinks; drives silence detection',
          }),
          field({
            name: 'installedAt',
            label: 'Installed on',
            control: input({ type: 'date' }),
            required: true,
          }),
        ]),
        h(
          'fieldset',
          { class: 'field', 'data-field': 'metrics', 'aria-describedby': 'f-metrics-error' },
          h('legend', null, 'Metrics', h('span', { class: 'required', 'aria-hidden': 'true' }, ' *')),
          metrics,
          h('p', { class: 'field-error', id: 'f-metrics-error', 'data-error-for': 'metrics' }),
        ),
      ),
      h(
        'fieldset',
        null,
        h('legend', null, 'Location and external ids (optional)'),
        h('div', { class: 'grid' }, [
          field({
            name: 'lat',
            label: 'Latitude',
            control: input({ inputmode: 'decimal' }),
            hint: 'WGS 84, with the longitude',
          }),
          field({ name: 'lon', label: 'Longitude', control: input({ inputmode: 'decimal' }) }),
          field({ name: 'timezone', label: 'Time zone', control: input({ placeholder: 'Europe/Paris' }) }),
          field({ name: 'floorAreaM2', label: 'Floor area (m²)', control: input({ inputmode: 'decimal' }) }),
          field({
            name: 'devEui',
            label: 'LoRaWAN DevEUI',
            control: input({ class: 'mono' }),
            hint: '16 hex digits',
          }),
          field({ name: 'serialNumber', label: 'Serial number', control: input() }),
          field({ name: 'meterPointId', label: 'Meter point id', control: input(), hint: 'PRM, PDL or PCE' }),
          field({
            name: 'meterRole',
            label: 'Meter role',
            control: meterRole,
            hint: "Water meters: production or consumption in the sector's network yield",
          }),
        ]),
      ),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Register device')),
    )
  );
  const result = h('div');
  replace(main, h('section', null, form, result));

  loadCatalogue().then((catalogue) => fillChoices({ domain, kind, metrics, meterRole }, catalogue));
  domain.addEventListener('change', () => filterMetrics(metrics, domain.value));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const submit = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
    submit.disabled = true;
    try {
      const view = await api('POST', paths.devices, { json: deviceDraftOf(new FormData(form)) });
      form.hidden = true;
      replace(result, registeredPanel(view.device));
      announce(`Device ${view.device.deviceId} registered`);
      result.querySelector('h2')?.focus();
    } catch (error) {
      showErrors(form, error);
    } finally {
      submit.disabled = false;
    }
  });
}

/** @param {{ deviceId: string, state: string, tenant: string, site: string }} device */
function registeredPanel(device) {
  const out = h('div');
  const provision = /** @type {HTMLButtonElement} */ (
    h('button', { type: 'button', class: 'primary' }, 'Provision')
  );
  provision.addEventListener('click', async () => {
    provision.disabled = true;
    try {
      const answer = await api('POST', paths.deviceAction(device.deviceId, 'provision'));
      provision.remove();
      replace(out, credentialsPanel(answer));
      /** @type {HTMLElement | null} */ (out.querySelector('h2'))?.focus();
    } catch (error) {
      provision.disabled = false;
      replace(out, errorBlock(error));
    }
  });
  return h(
    'div',
    null,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'registered-title' },
      h('h2', { id: 'registered-title', tabindex: '-1' }, `Device ${device.deviceId} registered`),
      h('p', null, 'State: ', stateBadge(device.state), ` · ${device.tenant} / ${device.site}`),
      h('p', { class: 'muted' }, 'It has no credentials yet: provision it to create its MQTT account.'),
      h(
        'div',
        { class: 'actions' },
        provision,
        h(
          'a',
          { class: 'button', href: `#/devices/${encodeURIComponent(device.deviceId)}` },
          'Open the device page',
        ),
        h(
          'a',
          { class: 'button', href: '#/devices/new', onclick: () => window.location.reload() },
          'Onboard another',
        ),
      ),
    ),
    out,
  );
}

/**
 * @param {{ domain: HTMLSelectElement, kind: HTMLSelectElement, metrics: HTMLElement, meterRole: HTMLSelectElement }} els
 * @param {import('../catalogue.js').Catalogue} catalogue
 */
function fillChoices({ domain, kind, metrics, meterRole }, catalogue) {
  for (const d of catalogue.domains) domain.append(h('option', { value: d }, d));
  for (const k of catalogue.kinds) kind.append(h('option', { value: k }, k));
  for (const r of catalogue.meterRoles) meterRole.append(h('option', { value: r }, r));
  // A registry whose records have no meter role: no field for it.
  if (catalogue.meterRoles.length === 0) meterRole.closest('.field')?.remove();
  if (catalogue.domains.length === 0) asTextInput(domain);
  if (catalogue.kinds.length === 0) asTextInput(kind);
  if (catalogue.metrics.length === 0) {
    // No catalogue: a free text list, the API validates the ids.
    replace(
      metrics,
      h('input', { type: 'text', name: 'metrics', 'aria-label': 'Metric ids separated by |', class: 'mono' }),
    );
    return;
  }
  replace(
    metrics,
    catalogue.metrics.map((m) =>
      h(
        'label',
        { class: 'check', 'data-metric': m },
        h('input', { type: 'checkbox', name: 'metrics', value: m }),
        ` ${m}`,
      ),
    ),
  );
  filterMetrics(metrics, domain.value);
}

/**
 * Without the OpenAPI document a select has no choices: swap it for a text input (the API checks).
 * @param {HTMLSelectElement} el
 */
function asTextInput(el) {
  const input = h('input', {
    type: 'text',
    autocomplete: 'off',
    id: el.id,
    name: el.name,
    required: el.required,
  });
  const described = el.getAttribute('aria-describedby');
  if (described) input.setAttribute('aria-describedby', described);
  el.replaceWith(input);
}

/**
 * Metric ids start with their domain ("water.flow"): show those of the chosen domain only.
 * @param {HTMLElement} metrics
 * @param {string} domain
 */
function filterMetrics(metrics, domain) {
  for (const label of metrics.querySelectorAll('[data-metric]')) {
    const match =
      domain === '' || /** @type {HTMLElement} */ (label).dataset.metric?.startsWith(`${domain}.`);
    /** @type {HTMLElement} */ (label).hidden = !match;
    const box = /** @type {HTMLInputElement} */ (label.querySelector('input'));
    if (!match) box.checked = false;
  }
}
