// Confirmation of a lifecycle action in a modal <dialog>: the action, its consequence, a reason
// when the API asks for one, and for the final ones an explicit acknowledgement.
import { field, h } from '../dom.js';
import { clearErrors, formSummary, showErrors } from '../form-errors.js';

/**
 * @typedef {object} LifecycleAction
 * @property {string} title dialog title, e.g. "Suspend wm-0042?"
 * @property {string} explanation what happens
 * @property {string} confirmLabel label of the confirm button
 * @property {boolean} [reason] ask for a reason (sent as {reason})
 * @property {string} [acknowledge] a checkbox the operator must tick (final actions)
 * @property {boolean} [danger]
 * @property {(body: { reason?: string }) => Promise<unknown>} run
 */

/**
 * Opens the dialog; resolves with the action's result, or null when cancelled.
 * @param {LifecycleAction} action
 * @returns {Promise<unknown>}
 */
export function confirmAction(action) {
  return new Promise((resolve) => {
    const reason = h('textarea', { rows: '3', maxlength: '500' });
    const ack = action.acknowledge
      ? h('input', { type: 'checkbox', id: 'f-acknowledge', name: 'acknowledge' })
      : null;
    const confirm = /** @type {HTMLButtonElement} */ (
      h('button', { type: 'submit', class: action.danger ? 'danger' : 'primary' }, action.confirmLabel)
    );
    const cancel = h('button', { type: 'button' }, 'Cancel');
    const form = /** @type {HTMLFormElement} */ (
      h(
        'form',
        { novalidate: true },
        h('h2', { id: 'dialog-title' }, action.title),
        h('p', { id: 'dialog-desc' }, action.explanation),
        formSummary(),
        action.reason
          ? field({
              name: 'reason',
              label: 'Reason',
              control: reason,
              required: true,
              hint: 'Kept in the device record and the audit log',
            })
          : null,
        ack
          ? h(
              'div',
              { class: 'field check-field', 'data-field': 'acknowledge' },
              h('label', { class: 'check', for: 'f-acknowledge' }, ack, ` ${action.acknowledge}`),
              h('p', { class: 'field-error', 'data-error-for': 'acknowledge' }),
            )
          : null,
        h('div', { class: 'actions' }, confirm, cancel),
      )
    );
    const dialog = /** @type {HTMLDialogElement} */ (
      h(
        'dialog',
        { class: 'dialog', 'aria-labelledby': 'dialog-title', 'aria-describedby': 'dialog-desc' },
        form,
      )
    );
    let settled = false;
    const finish = (value) => {
      if (settled) return;
      settled = true;
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    cancel.addEventListener('click', () => finish(null));
    // Escape closes a modal dialog natively; treat it as a cancel.
    dialog.addEventListener('close', () => finish(null));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(form);
      const text = /** @type {HTMLTextAreaElement} */ (reason).value.trim();
      if (action.reason && text === '') {
        showErrors(form, {
          message: 'Give a reason',
          issues: [{ path: 'reason', message: 'A reason is required' }],
        });
        return;
      }
      if (ack && !(/** @type {HTMLInputElement} */ (ack).checked)) {
        showErrors(form, {
          message: 'Confirm first',
          issues: [{ path: 'acknowledge', message: 'Tick the box to confirm' }],
        });
        return;
      }
      confirm.disabled = true;
      try {
        finish(await action.run(action.reason ? { reason: text } : {}));
      } catch (error) {
        showErrors(form, error);
      } finally {
        confirm.disabled = false;
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    /** @type {HTMLElement} */ (action.reason ? reason : confirm).focus();
  });
}
