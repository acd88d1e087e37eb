// Field errors of a 400 answer, shown next to the field they concern; issues that no field of the
// form holds (or the error of a whole request) go to the form's summary at the top.
import { ApiError } from './api.js';
import { h, replace } from './dom.js';

/** Issue paths whose field in the form has another name (nested objects of the device record). */
const ALIASES = { location: 'lat', externalIds: 'devEui' };

/**
 * The form field an issue path points at: the deepest named segment that the form holds.
 * `location.lat` -> lat, `metrics.2` -> metrics, `externalIds.devEui` -> devEui.
 * @param {string | Array<string | number>} path
 * @param {(name: string) => boolean} has
 * @returns {string | null}
 */
export function fieldOfIssue(path, has) {
  const segments = (Array.isArray(path) ? path.map(String) : String(path ?? '').split('.')).filter(
    (s) => s !== '' && !/^\d+$/.test(s),
  );
  for (let i = segments.length - 1; i >= 0; i--) {
    const name = /** @type {string} */ (segments[i]);
    if (has(name)) return name;
    const alias = ALIASES[name];
    if (alias && has(alias)) return alias;
  }
  return null;
}

/** @param {HTMLFormElement} form */
export function clearErrors(form) {
  for (const slot of form.querySelectorAll('[data-error-for]')) slot.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const summary = form.querySelector('.form-summary');
  if (summary) {
    summary.hidden = true;
    summary.replaceChildren();
  }
}

/** zod's default wording, as an operator would say it; other messages are kept as they are. */
const PLAIN = [
  [/^Invalid input: expected \w+, received (undefined|NaN)$/, () => 'Required'],
  [/^Invalid option: expected one of /, () => 'Choose one of the options'],
  [/^Too small: expected array to have >=1 items?$/, () => 'Choose at least one'],
  [/^Too small: expected number to be >=?(-?[\d.]+)$/, (m) => `At least ${m[1]}`],
  [/^Too big: expected number to be <=?(-?[\d.]+)$/, (m) => `At most ${m[1]}`],
  [/^Invalid ISO date$/, () => 'Not a date (YYYY-MM-DD)'],
  [/^Invalid string: must match pattern /, () => 'Not in the expected format (see the hint)'],
];

/**
 * The message shown under a field: the API speaks zod ("Invalid input: expected string, received
 * undefined", or a list of every kind the catalogue has), a form speaks to a person.
 * @param {string} message
 */
export function plainMessage(message) {
  for (const [pattern, say] of PLAIN) {
    const match = /** @type {RegExp} */ (pattern).exec(message);
    if (match) return /** @type {(m: RegExpExecArray) => string} */ (say)(match);
  }
  return message;
}

/**
 * Shows an API error on a form; focuses the summary so keyboard and screen reader users hear it.
 * @param {HTMLFormElement} form
 * @param {unknown} error
 */
export function showErrors(form, error) {
  clearErrors(form);
  const err = asApiError(error);
  const has = (name) => form.querySelector(`[data-error-for="${CSS.escape(name)}"]`) !== null;
  /** @type {string[]} */
  const unplaced = [];
  for (const issue of err.issues) {
    const name = fieldOfIssue(issue.path, has);
    if (!name) {
      unplaced.push(
        issue.path ? `${issue.path}: ${plainMessage(issue.message)}` : plainMessage(issue.message),
      );
      continue;
    }
    const slot = /** @type {HTMLElement} */ (form.querySelector(`[data-error-for="${CSS.escape(name)}"]`));
    const message = plainMessage(issue.message);
    slot.textContent = slot.textContent ? `${slot.textContent}; ${message}` : message;
    for (const control of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
      control.setAttribute('aria-invalid', 'true');
    }
  }
  const summary = /** @type {HTMLElement | null} */ (form.querySelector('.form-summary'));
  if (!summary) return;
  replace(
    summary,
    h(
      'p',
      { class: 'error-title' },
      // "invalid device" says little; the fields below say what to fix.
      err.code === 'invalid_request' && err.issues.length > 0
        ? 'Not saved: correct the fields marked in red.'
        : err.message,
      err.status ? h('span', { class: 'error-code' }, ` (${err.code})`) : null,
    ),
    unplaced.length > 0
      ? h(
          'ul',
          null,
          unplaced.map((m) => h('li', null, m)),
        )
      : null,
  );
  summary.hidden = false;
  summary.focus();
}

/**
 * Errors checked in the browser ({message, issues}) take the same path as the API's.
 * @param {unknown} error
 * @returns {ApiError}
 */
function asApiError(error) {
  if (error instanceof ApiError) return error;
  const e = /** @type {any} */ (error);
  return new ApiError(0, 'client_error', String(e?.message ?? e), Array.isArray(e?.issues) ? e.issues : []);
}

/** The summary slot a form shows its errors in. */
export function formSummary() {
  return h('div', { class: 'form-summary alert alert-error', role: 'alert', tabindex: '-1', hidden: true });
}

/**
 * A block that shows an error outside of a form (a failed load).
 * @param {unknown} error
 */
export function errorBlock(error) {
  const err = error instanceof ApiError ? error : null;
  return h(
    'div',
    { class: 'alert alert-error', role: 'alert' },
    h(
      'p',
      { class: 'error-title' },
      err ? err.message : String(/** @type {any} */ (error)?.message ?? error),
    ),
    err ? h('p', { class: 'error-code' }, `${err.code}${err.status ? ` · HTTP ${err.status}` : ''}`) : null,
    err && err.issues.length > 0
      ? h(
          'ul',
          null,
          err.issues.map((i) => h('li', null, `${i.path}: ${i.message}`)),
        )
      : null,
  );
}
