import { setTimeout as sleep } from 'node:timers/promises';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/support/chromium.js';
import { registryExtensions } from '../src/extensions.js';
import { RegistryHarness, uniqueName, waitFor } from './registry-harness.js';

// The operator console in a real browser (Debian's chromium, installed by the test setup when
// missing) against a real registry in-process on Redis, Kafka and Mosquitto.

const harness = new RegistryHarness();
const tenant = uniqueName('it-console');
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Messages the page logged as errors, and uncaught exceptions: a CSP violation lands here. */
const pageProblems: string[] = [];
const clients: MqttClient[] = [];
/** Devices given MQTT credentials, decommissioned at the end so Mosquitto keeps no test client. */
const provisioned: string[] = [];

/** The onboarded device, shared by the onboarding and suspension tests. */
const onboarded = { deviceId: uniqueName('it-wm'), username: '', password: '' };

beforeAll(async () => {
  browser = await launchChromium();
  await harness.start(registryExtensions);
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('console', (message) => {
    // 4xx answers the test provokes on purpose are logged by Chromium as failed resources.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      pageProblems.push(message.text());
    }
  });
  page.on('pageerror', (error) => pageProblems.push(`uncaught: ${error.message}`));
}, 600_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  for (const deviceId of provisioned) {
    await harness
      .api('POST', `/api/v1/devices/${deviceId}/decommission`, { body: { reason: 'test cleanup' } })
      .catch(() => undefined);
  }
  await context?.close();
  await browser?.close();
  await harness.close();
});

async function deviceState(deviceId: string): Promise<string | undefined> {
  const r = await harness.api('GET', `/api/v1/devices/${deviceId}`);
  return r.status === 200 ? (r.body.device.state as string) : undefined;
}

function connectDevice(username: string, password: string): Promise<MqttClient> {
  return mqtt.connectAsync(harness.env.MQTT_URL ?? '', {
    clientId: uniqueName('it-console-dev'),
    username,
    password,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
  });
}

describe('operator console', () => {
  it('console should refuse an unknown token and sign in with the admin token', async () => {
    const response = await page.goto(`${harness.baseUrl}/console/`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

    await page.getByLabel('API token').fill('not-a-token-of-this-registry');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('unknown token');

    await page.getByLabel('API token').fill(harness.adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const identity = page.getByTestId('identity');
    await identity.waitFor();
    expect(await identity.textContent()).toContain('admin');
    // The token stays in this tab's session storage only.
    // (Expressions as strings: the test's TypeScript has no DOM types.)
    expect(await page.evaluate<number>('localStorage.length')).toBe(0);
    expect(await page.evaluate<string[]>('Object.values(sessionStorage)')).toContain(harness.adminToken);
  });

  it('onboarding should show field errors, register the device and show a password that lets it connect once provisioned', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Onboard a device' })
      .click();
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Onboard a device' }) });
    await page.getByLabel('Device id').fill('Not A Valid Id');
    await page.getByLabel('Tenant').fill(tenant);
    await page.getByRole('textbox', { name: 'Site', exact: true }).fill('reservoir-nord');
    await page.getByLabel('Domain').selectOption('water');
    await page.getByLabel('Kind').selectOption('water_meter');
    await page.getByLabel('Model').fill('Acme WM-2');
    await page.getByLabel('Expected interval (s)').fill('900');
    await page.getByLabel('Installed on').fill('2024-05-02');
    await page.getByRole('checkbox', { name: 'water.volume_index' }).check();
    await page.getByLabel('Meter role').selectOption('consumption');
    await page.getByLabel('Latitude').fill('45.75');
    await page.getByRole('button', { name: 'Register device' }).click();

    // The API's field errors appear next to their fields, and the fields are marked invalid.
    const idError = form.locator('[data-error-for="deviceId"]');
    await expect.poll(() => idError.textContent()).not.toBe('');
    expect(await page.getByLabel('Device id').getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator('[data-error-for="lon"]').textContent()).not.toBe('');
    expect(await deviceState(onboarded.deviceId)).toBeUndefined();

    await page.getByLabel('Device id').fill(onboarded.deviceId);
    await page.getByLabel('Longitude').fill('4.85');
    await page.getByRole('button', { name: 'Register device' }).click();
    await page.getByRole('heading', { name: `Device ${onboarded.deviceId} registered` }).waitFor();
    const stored = await harness.api('GET', `/api/v1/devices/${onboarded.deviceId}`);
    expect(stored.body.device).toMatchObject({
      state: 'registered',
      tenant,
      metrics: ['water.volume_index'],
      location: { lat: 45.75, lon: 4.85 },
      meterRole: 'consumption',
    });

    await page.getByRole('button', { name: 'Provision' }).click();
    const credentials = page.getByTestId('credentials');
    await credentials.waitFor();
    expect(await credentials.getByRole('alert').textContent()).toContain('Shown once');
    onboarded.username = (await page.getByTestId('mqtt-username').textContent()) ?? '';
    onboarded.password = (await page.getByTestId('mqtt-password').textContent()) ?? '';
    provisioned.push(onboarded.deviceId);
    expect(onboarded.username).toBe(onboarded.deviceId);
    expect(onboarded.password.length).toBeGreaterThanOrEqual(16);

    await waitFor(
      async () => (await deviceState(onboarded.deviceId)) === 'provisioned',
      'device provisioned',
    );
    const client = await connectDevice(onboarded.username, onboarded.password);
    clients.push(client);
    expect(client.connected).toBe(true);

    // Shown once: the device page (and the API behind it) never shows the password again.
    await page.getByRole('link', { name: 'Open the device page' }).click();
    await page.getByTestId('device-state').locator('[data-state="provisioned"]').waitFor();
    expect(await page.content()).not.toContain(onboarded.password);
  });

  it('CSV upload should import the good rows and report each bad row with its line number', async () => {
    const good1 = uniqueName('it-tc');
    const good2 = uniqueName('it-wm');
    const csv = [
      'deviceId,tenant,site,domain,kind,model,metrics,expectedIntervalS,installedAt,lat,lon',
      `${good1},${tenant},pont-sud,mobility,traffic_counter,Acme TC,mobility.vehicle_count,300,2024-01-10,45.7,4.8`,
      `${uniqueName('it-bad')},${tenant},pont-sud,mobility,teleporter,Acme X,mobility.vehicle_count,300,2024-01-10,,`,
      `${good2},${tenant},quartier-est,water,water_meter,Acme WM,water.volume_index|water.flow,900,2024-02-01,,`,
      `${uniqueName('it-bad')},${tenant},quartier-est,water,water_meter,Acme WM,water.volume_index,-5,2024-02-01,,`,
    ].join('\n');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import CSV' }).click();
    await page.getByLabel('CSV file').setInputFiles({
      name: 'devices.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${csv}\n`),
    });
    await page.getByRole('button', { name: 'Upload and import' }).click();
    // The upload answers 202 with the import's id; its page then follows the job.
    await page.waitForURL(/#\/imports\/[^/]+$/, { timeout: 10_000 });
    await page.getByTestId('import-state').filter({ hasText: 'completed' }).waitFor({ timeout: 30_000 });

    const rows = page.getByTestId('import-rows').locator('tbody tr');
    expect(await rows.count()).toBe(4);
    const statusOf = (line: number) => page.locator(`tr[data-line="${line}"]`).getAttribute('data-status');
    expect(await statusOf(2)).toBe('created');
    expect(await statusOf(3)).toBe('invalid');
    expect(await statusOf(4)).toBe('created');
    expect(await statusOf(5)).toBe('invalid');
    expect(await page.locator('tr[data-line="3"]').textContent()).toContain('kind');
    expect(await page.locator('tr[data-line="5"]').textContent()).toContain('expectedIntervalS');
    expect(await page.locator('[data-count="created"] dd').textContent()).toBe('2');
    expect(await page.locator('[data-count="rejected"] dd').textContent()).toBe('2');
    expect(await deviceState(good1)).toBe('registered');
    expect(await deviceState(good2)).toBe('registered');

    await page.getByLabel('Only rows with problems').check();
    expect(await rows.count()).toBe(2);

    // The list, filtered on this tenant and kind, shows the imported traffic counter only.
    await page.goto(`${harness.baseUrl}/console/#/devices?tenant=${tenant}&kind=traffic_counter`);
    await page.locator(`tr[data-device-id="${good1}"]`).waitFor();
    expect(await page.locator('tbody tr[data-device-id]').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Load more' }).isVisible()).toBe(false);
  });

  it('suspending should ask for a reason and a confirmation, show the new state and cut the device off MQTT', async () => {
    const [client] = clients;
    if (!client) throw new Error('the onboarding test did not connect the device');
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));

    await page.goto(`${harness.baseUrl}/console/#/devices/${onboarded.deviceId}`);
    await page.getByRole('button', { name: 'Suspend' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Suspend device' }).click();
    // No reason: nothing is sent, the field says why.
    await expect.poll(() => dialog.locator('[data-error-for="reason"]').textContent()).toContain('reason');
    expect(await deviceState(onboarded.deviceId)).toBe('provisioned');

    await dialog.getByLabel('Reason').fill('meter removed for inspection');
    await dialog.getByRole('button', { name: 'Suspend device' }).click();
    await page.getByTestId('device-state').locator('[data-state="suspended"]').waitFor();
    expect(await page.getByTestId('device-state').textContent()).toContain('meter removed for inspection');
    expect(await deviceState(onboarded.deviceId)).toBe('suspended');

    // The broker dropped the open connection and refuses a new one with the same credentials.
    await waitFor(
      () => Promise.race([closed.then(() => true), sleep(200).then(() => undefined)]),
      'MQTT disconnect',
      10_000,
    );
    await expect(connectDevice(onboarded.username, onboarded.password)).rejects.toThrow(/not authori[sz]ed/i);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
    const row = page.locator(`tr[data-device-id="${onboarded.deviceId}"]`);
    await row.waitFor();
    expect(await row.locator('[data-state]').textContent()).toBe('suspended');
  });

  it('console pages should run under their content security policy without errors', () => {
    expect(pageProblems).toEqual([]);
  });
});
