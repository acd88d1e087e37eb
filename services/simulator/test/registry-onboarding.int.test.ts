import { silentLogger } from '@terrapulse/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The registry's own test harness: a real registry on a free port with its own Redis prefix/topics.
import { RegistryHarness } from '../../registry/test/registry-harness.js';
import { CredentialsFile } from '../src/adapters/file/credentials-file.js';
import { MqttDeviceConnector } from '../src/adapters/mqtt/mqtt-device-connector.js';
import { RegistryApiOnboarding } from '../src/adapters/registry-api/registry-api-onboarding.js';
import { buildTerritory } from '../src/domain/territory.js';
import { registryRecords } from '../src/engine/publish-registry.js';
import { temporaryFile, uniqueToken } from './support.js';

const prefix = `ob-${uniqueToken()}-`;
// One unknown device: it stays out of the registry, as `seed --registry-url` leaves it.
const fleet = buildTerritory({ devices: 4, unknownDevices: 1, prefix });
const records = registryRecords(fleet.devices);

describe('simulator onboarding through a real registry', () => {
  const h = new RegistryHarness();
  let credentialsPath: string;
  let onboarding: RegistryApiOnboarding;
  const connector = new MqttDeviceConnector({
    url: h.env.MQTT_URL ?? '',
    logger: silentLogger,
    reconnectPeriodMs: 0,
  });

  async function states(): Promise<string[]> {
    return Promise.all(
      records.map(async (r) => (await h.api('GET', `/api/v1/devices/${r.deviceId}`)).body.device?.state),
    );
  }

  async function auditCount(): Promise<number> {
    const counts = await Promise.all(
      records.map(
        async (r) => (await h.api('GET', `/api/v1/audit?deviceId=${r.deviceId}`)).body.items.length,
      ),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  beforeAll(async () => {
    await h.start();
    credentialsPath = await temporaryFile('credentials.json');
    onboarding = new RegistryApiOnboarding({
      url: h.baseUrl,
      token: h.adminToken,
      concurrency: 4,
      provisionTimeoutMs: 30_000,
    });
  });

  afterAll(async () => {
    // Decommissioning removes each device's Mosquitto client and role; then the harness cleans up.
    for (const r of records) {
      await h
        .api('POST', `/api/v1/devices/${r.deviceId}/decommission`, { body: { reason: 'test over' } })
        .catch(() => undefined);
    }
    await h.close();
  });

  it('should register and provision every registered device of the fleet, and only those', async () => {
    expect(records.length).toBeGreaterThanOrEqual(3);
    const result = await onboarding.onboard(records, await CredentialsFile.open(credentialsPath));
    expect(result).toMatchObject({ registered: records.length, provisioned: records.length, unchanged: 0 });
    expect([...result.passwords.keys()].sort()).toEqual(records.map((r) => r.deviceId).sort());
    expect(new Set(result.passwords.values()).size).toBe(records.length);
    expect(await states()).toEqual(records.map(() => 'provisioned'));

    const stored = await h.api('GET', `/api/v1/devices/${records[0]?.deviceId}`);
    const { state: _s, stateReason: _r, updatedAt: _u, ...draft } = records[0] ?? ({} as never);
    expect(stored.body.device).toMatchObject(draft);
    const unknown = fleet.devices.find((d) => !d.registered)?.record.deviceId;
    expect((await h.api('GET', `/api/v1/devices/${unknown}`)).status).toBe(404);
  });

  it('should change nothing on a second onboarding with the same credentials file', async () => {
    const before = await Promise.all(
      records.map(async (r) => (await h.api('GET', `/api/v1/devices/${r.deviceId}`)).body.device),
    );
    const audited = await auditCount();
    const again = await onboarding.onboard(records, await CredentialsFile.open(credentialsPath));
    expect(again).toMatchObject({ registered: 0, provisioned: 0, unchanged: records.length });
    const after = await Promise.all(
      records.map(async (r) => (await h.api('GET', `/api/v1/devices/${r.deviceId}`)).body.device),
    );
    expect(after).toEqual(before);
    expect(await auditCount()).toBe(audited);
  });

  it('should give working passwords: each device connects to Mosquitto with its own', async () => {
    const store = await CredentialsFile.open(credentialsPath);
    for (const r of records) {
      const connection = await connector.connect({
        deviceId: r.deviceId,
        password: store.get(r.deviceId) ?? '',
      });
      expect(connection.isConnected()).toBe(true);
      await connection.close();
    }
    const [first, second] = records.map((r) => r.deviceId);
    await expect(
      connector.connect({ deviceId: first ?? '', password: store.get(second ?? '') ?? '' }),
    ).rejects.toThrow();
  });

  it('should rotate a password the file lost, and wait until the new one works', async () => {
    const lost = records[1]?.deviceId ?? '';
    const store = await CredentialsFile.open(credentialsPath);
    const oldPassword = store.get(lost) ?? '';
    store.delete(lost);
    await store.save();
    const renewed = await onboarding.onboard(records, await CredentialsFile.open(credentialsPath));
    expect(renewed).toMatchObject({ registered: 0, provisioned: 1, unchanged: records.length - 1 });
    const newPassword = renewed.passwords.get(lost) ?? '';
    expect(newPassword).not.toBe(oldPassword);
    expect((await CredentialsFile.open(credentialsPath)).get(lost)).toBe(newPassword);
    // No wait here: onboard() resolves only once the rotation job applied the new password.
    const connection = await connector.connect({ deviceId: lost, password: newPassword });
    await connection.close();
    await expect(connector.connect({ deviceId: lost, password: oldPassword })).rejects.toThrow();
  });
});
