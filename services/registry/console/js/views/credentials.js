// The MQTT credentials of a provisioning answer. The password exists only in this answer (the
// registry keeps a hash), so the panel says so, offers to copy it, and can forget it on demand.
import { announce, h } from '../dom.js';

/**
 * @param {{ device: { deviceId: string }, credentials: { username: string, password: string, topics: { json: string, senml: string } }, jobId?: string }} answer
 * @param {{ rotation?: boolean }} [opts]
 */
export function credentialsPanel(answer, opts = {}) {
  const { device, credentials } = answer;
  const password = h('code', { class: 'secret', 'data-testid': 'mqtt-password' }, credentials.password);
  const panel = h(
    'section',
    { class: 'card credentials', 'aria-labelledby': 'credentials-title', 'data-testid': 'credentials' },
    h('h2', { id: 'credentials-title', tabindex: '-1' }, `MQTT credentials of ${device.deviceId}`),
    h(
      'div',
      { class: 'alert alert-warning', role: 'alert' },
      h('strong', null, 'Shown once. '),
      'Copy the password now and put it in the device configuration: the registry keeps only a hash and cannot show it again. ',
      opts.rotation
        ? 'The previous password no longer works.'
        : 'If it is lost, rotate the credentials from the device page.',
    ),
    h(
      'dl',
      { class: 'props' },
      h('dt', null, 'Username'),
      h(
        'dd',
        null,
        h('code', { 'data-testid': 'mqtt-username' }, credentials.username),
        ' ',
        copyButton('username', credentials.username),
      ),
      h('dt', null, 'Password'),
      h('dd', { class: 'password-cell' }, password, ' ', copyButton('password', credentials.password)),
      h('dt', null, 'Topic (JSON)'),
      h('dd', null, h('code', { 'data-testid': 'topic-json' }, credentials.topics.json)),
      h('dt', null, 'Topic (SenML)'),
      h('dd', null, h('code', null, credentials.topics.senml)),
      answer.jobId ? [h('dt', null, 'Provisioning job'), h('dd', null, h('code', null, answer.jobId))] : null,
    ),
    h(
      'p',
      { class: 'muted' },
      'Mosquitto receives the credentials in a background job; the device shows "provisioned" once it is done.',
    ),
  );
  const forget = h(
    'button',
    {
      type: 'button',
      onclick: () => {
        panel.querySelector('.password-cell')?.replaceChildren(h('span', { class: 'muted' }, 'hidden'));
        forget.remove();
        announce('Password removed from the page');
      },
    },
    'I have stored it: hide the password',
  );
  panel.append(h('div', { class: 'actions' }, forget));
  return panel;
}

/**
 * @param {string} what
 * @param {string} value
 */
function copyButton(what, value) {
  const button = h('button', { type: 'button', class: 'small', 'aria-label': `Copy the ${what}` }, 'Copy');
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(value);
      button.textContent = 'Copied';
      announce(`The ${what} was copied to the clipboard`);
    } catch {
      // No clipboard access (permissions, insecure origin): select the text for a manual copy.
      const code = button.parentElement?.querySelector('code');
      const range = document.createRange();
      if (code) range.selectNodeContents(code);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      announce(`Press Ctrl+C to copy the selected ${what}`);
    }
  });
  return button;
}
