// DOM helpers. Every text from the API goes through text nodes, never innerHTML, so a device
// name or an error message can never inject markup (and the strict CSP stays satisfiable).

/**
 * Builds an element: h('a', { href: '#/x', class: 'link' }, 'text', child).
 * Attributes starting with "on" are listeners; `false`/`null`/`undefined` attributes are skipped.
 * @param {string} tag
 * @param {Record<string, unknown> | null} [attrs]
 * @param {...(Node | string | number | null | undefined | false | Array<Node | string>)} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2).toLowerCase(), /** @type {EventListener} */ (value));
    } else if (name === 'dataset' && typeof value === 'object') {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

/**
 * @param {Element} parent
 * @param {unknown[]} children
 */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * Replaces the content of an element.
 * @param {Element} el
 * @param {...unknown} children
 */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** Announces a short message to screen readers (and shows it in the status bar). */
export function announce(message) {
  const live = document.getElementById('live');
  if (live) live.textContent = message;
}

/** A labelled form field: label + control + hint + the slot where field errors appear. */
export function field({ name, label, control, hint, required = false }) {
  const id = `f-${name}`;
  control.id = id;
  control.name = name;
  if (required) control.required = true;
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  return h(
    'div',
    { class: 'field', 'data-field': name },
    h(
      'label',
      { for: id },
      label,
      required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null,
    ),
    control,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: errorId, 'data-error-for': name }),
  );
}

/**
 * A <select> with an optional empty first option.
 * @param {string[]} values
 * @param {{ empty?: string, value?: string }} [opts]
 */
export function select(values, opts = {}) {
  const el = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      null,
      opts.empty !== undefined ? h('option', { value: '' }, opts.empty) : null,
      values.map((v) => h('option', { value: v }, v)),
    )
  );
  if (opts.value !== undefined) el.value = opts.value;
  return el;
}
