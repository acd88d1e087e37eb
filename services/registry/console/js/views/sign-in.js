// Sign-in: the operator pastes an API token; it lives in sessionStorage (gone with the tab) and
// is checked at once against GET /api/v1/me.
import { api, clearToken, paths, setToken } from '../api.js';
import { field, h } from '../dom.js';
import { formSummary, showErrors } from '../form-errors.js';

/**
 * @param {HTMLElement} main
 * @param {{ onSignedIn: (me: { name: string, role: string, tenant: string | null }) => void, reason?: string }} opts
 */
export function renderSignIn(main, { onSignedIn, reason }) {
  const token = /** @type {HTMLInputElement} */ (
    h('input', { type: 'password', autocomplete: 'off', spellcheck: 'false', class: 'mono' })
  );
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { class: 'card narrow', 'aria-labelledby': 'signin-title', novalidate: true },
      h('h1', { id: 'signin-title' }, 'Sign in'),
      h('p', null, 'Paste an API token of the registry. It is kept for this browser tab only.'),
      reason ? h('div', { class: 'alert alert-info', role: 'status' }, reason) : null,
      formSummary(),
      field({
        name: 'token',
        label: 'API token',
        control: token,
        required: true,
        hint: 'An admin gets one from REGISTRY_ADMIN_TOKEN in .terrapulse/terrapulse.env; others from an admin.',
      }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Sign in')),
    )
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = token.value.trim();
    if (value === '') {
      showErrors(form, { message: 'Paste a token first' });
      token.focus();
      return;
    }
    setToken(value);
    const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
    button.disabled = true;
    try {
      const me = await api('GET', paths.me);
      onSignedIn(me);
    } catch (error) {
      clearToken();
      showErrors(form, error);
    } finally {
      button.disabled = false;
    }
  });
  main.replaceChildren(form);
  token.focus();
}
