// The lifecycle buttons a device offers in its state, each behind a confirmation.
import { api, paths } from '../api.js';
import { h } from '../dom.js';
import { errorBlock } from '../form-errors.js';
import { confirmAction } from './lifecycle-dialog.js';

/**
 * @param {{ deviceId: string, state: string }} device
 * @param {{ onDone: (result: any, info: { rotation: boolean }) => void }} opts
 */
export function deviceActions(device, { onDone }) {
  const id = device.deviceId;
  const s = device.state;
  const post = (action, body) => api('POST', paths.deviceAction(id, action), body ? { json: body } : {});
  const error = h('div', { class: 'action-error' });
  /** @param {string} label @param {() => Promise<unknown>} run @param {string} [cls] @param {boolean} [rotation] */
  const button = (label, run, cls = '', rotation = false) => {
    const b = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: cls }, label));
    b.addEventListener('click', async () => {
      b.disabled = true;
      error.replaceChildren();
      try {
        const result = await run();
        if (result) onDone(result, { rotation });
      } catch (e) {
        error.replaceChildren(errorBlock(e));
      } finally {
        b.disabled = false;
      }
    });
    return b;
  };
  const buttons = [];
  if (s === 'registered') buttons.push(button('Provision', () => post('provision'), 'primary'));
  if (s === 'provisioned' || s === 'active' || s === 'silent') {
    buttons.push(
      button(
        'Rotate credentials',
        () =>
          confirmAction({
            title: `Rotate the credentials of ${id}?`,
            explanation: 'A new password is issued and shown once; the current one stops working.',
            confirmLabel: 'Rotate credentials',
            run: () => post('provision'),
          }),
        '',
        true,
      ),
    );
  }
  if (s !== 'suspended' && s !== 'decommissioned') {
    buttons.push(
      button('Suspend', () =>
        confirmAction({
          title: `Suspend ${id}?`,
          explanation:
            'Its MQTT access is revoked at once (an open connection is closed) and its readings are rejected until it is resumed.',
          confirmLabel: 'Suspend device',
          reason: true,
          danger: true,
          run: (body) => post('suspend', body),
        }),
      ),
    );
  }
  if (s === 'suspended') {
    buttons.push(
      button(
        'Resume',
        () =>
          confirmAction({
            title: `Resume ${id}?`,
            explanation:
              'Its MQTT access is restored with its current credentials; it becomes active on its next reading.',
            confirmLabel: 'Resume device',
            run: () => post('resume'),
          }),
        'primary',
      ),
    );
  }
  if (s !== 'decommissioned') {
    buttons.push(
      button(
        'Decommission',
        () =>
          confirmAction({
            title: `Decommission ${id}?`,
            explanation:
              'Its MQTT account and role are deleted and its readings rejected. Its data is kept. This cannot be undone.',
            confirmLabel: 'Decommission device',
            reason: true,
            acknowledge: 'I understand that decommissioning is final',
            danger: true,
            run: (body) => post('decommission', body),
          }),
        'danger',
      ),
    );
  }
  if (buttons.length === 0) return [h('p', { class: 'muted' }, 'Decommissioned: no action left.')];
  return [...buttons, error];
}
