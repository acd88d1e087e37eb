import { DynsecClient } from '@terrapulse/infra-runner';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceDraft, RegistryHarness, uniqueName, waitFor } from './registry-harness.js';

const connectDevice = (url: string, username: string, password: string): Promise<MqttClient> =>
  mqtt.connectAsync(url, {
    username,
    password,
    clientId: username,
    protocolVersion: 5,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
  });

describe('registry lifecycle against real Mosquitto dynamic security', () => {
  const h = new RegistryHarness();
  const tenant = uniqueName('commune');
  let dynsec: DynsecClient;
  let bridge: MqttClient;
  const received: Array<{ topic: string; payload: string }> = [];
  const devices: string[] = [];
  let operator: string;

  /** Registers and provisions a device; resolves once the job made it provisioned. */
  async function provisioned() {
    const draft = deviceDraft(tenant);
    devices.push(draft.deviceId);
    expect((await h.api('POST', '/api/v1/devices', { token: operator, body: draft })).status).toBe(201);
    const r = await h.api('POST', `/api/v1/devices/${draft.deviceId}/provision`, { token: operator });
    expect(r.status).toBe(202);
    await waitFor(async () => {
      const d = await h.api('GET', `/api/v1/devices/${draft.deviceId}`, { token: operator });
      return d.body.device.state === 'provisioned' ? true : undefined;
    }, 'the provisioning job');
    return { id: draft.deviceId, credentials: r.body.credentials, response: r.body };
  }

  beforeAll(async () => {
    await h.start();
    operator = await h.token('operator', tenant);
    dynsec = await DynsecClient.connect(h.env.MQTT_URL ?? '', {
      username: h.env.MQTT_ADMIN_USERNAME ?? '',
      password: h.env.MQTT_ADMIN_PASSWORD ?? '',
    });
    bridge = await mqtt.connectAsync(h.env.MQTT_URL ?? '', {
      username: h.env.MQTT_BRIDGE_USERNAME ?? '',
      password: h.env.MQTT_BRIDGE_PASSWORD ?? '',
      clientId: uniqueName('tp-registry-test-bridge'),
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    bridge.on('message', (topic, payload) => received.push({ topic, payload: payload.toString() }));
    await bridge.subscribeAsync(`$share/${uniqueName('g')}/terrapulse/v1/devices/+/up/+`, { qos: 1 });
  });

  afterAll(async () => {
    await bridge?.endAsync();
    for (const id of devices) {
      await dynsec?.send({ command: 'deleteClient', username: id });
      await dynsec?.send({ command: 'deleteRole', rolename: `device-${id}` });
    }
    await dynsec?.close();
    await h.close();
  });

  it('provisioned credentials should publish under their own topic only (another device topic: PUBACK 0x87)', async () => {
    const a = await provisioned();
    const b = await provisioned();
    expect(a.credentials).toMatchObject({
      username: a.id,
      password: expect.any(String),
      topics: {
        json: `terrapulse/v1/devices/${a.id}/up/json`,
        senml: `terrapulse/v1/devices/${a.id}/up/senml`,
      },
    });
    expect(a.response.jobId).not.toBe('');
    const client = await connectDevice(h.env.MQTT_URL ?? '', a.id, a.credentials.password);
    const own = JSON.stringify({ marker: uniqueName('own') });
    await client.publishAsync(a.credentials.topics.json, own, { qos: 1 });
    const spoof = JSON.stringify({ marker: uniqueName('spoof') });
    await expect(client.publishAsync(b.credentials.topics.json, spoof, { qos: 1 })).rejects.toThrow(
      /not authorized/i,
    );
    await client.endAsync().catch(() => undefined);
    await waitFor(() => received.some((m) => m.payload === own) || undefined, 'the own-topic publish');
    await new Promise((r) => setTimeout(r, 300));
    expect(received.some((m) => m.payload === spoof)).toBe(false);

    // The password is never stored in clear: not in the record, the audit log or the job queue.
    const audit = await h.api('GET', `/api/v1/audit?deviceId=${a.id}`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      'device.provisioned',
      'device.provision',
      'device.create',
    ]);
    expect(JSON.stringify(audit.body)).not.toContain(a.credentials.password);
  });

  it('provision again should rotate the password: the old one no longer connects', async () => {
    const a = await provisioned();
    const again = await h.api('POST', `/api/v1/devices/${a.id}/provision`, { token: operator });
    expect(again.status).toBe(202);
    expect(again.body.credentials.password).not.toBe(a.credentials.password);
    await waitFor(async () => {
      const c = await connectDevice(h.env.MQTT_URL ?? '', a.id, again.body.credentials.password).catch(
        () => undefined,
      );
      await c?.endAsync();
      return c ? true : undefined;
    }, 'the rotated password to work');
    await expect(connectDevice(h.env.MQTT_URL ?? '', a.id, a.credentials.password)).rejects.toThrow();
  });

  it('suspend should drop an open connection and refuse new ones; resume should let it back in', async () => {
    const a = await provisioned();
    const url = h.env.MQTT_URL ?? '';
    const client = await connectDevice(url, a.id, a.credentials.password);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    const r = await h.api('POST', `/api/v1/devices/${a.id}/suspend`, {
      token: operator,
      body: { reason: 'tampering' },
    });
    expect(r.status).toBe(200);
    expect(r.body.device).toMatchObject({ state: 'suspended', stateReason: 'tampering' });
    await closed;
    await expect(connectDevice(url, a.id, a.credentials.password)).rejects.toThrow(
      /not authorized|bad user name/i,
    );
    const resumed = await h.api('POST', `/api/v1/devices/${a.id}/resume`, { token: operator });
    expect(resumed.body.device.state).toBe('provisioned');
    const back = await connectDevice(url, a.id, a.credentials.password);
    await back.endAsync();
  });

  it('decommission should delete the client and its role, keep the record, and be final', async () => {
    const a = await provisioned();
    const r = await h.api('POST', `/api/v1/devices/${a.id}/decommission`, {
      token: operator,
      body: { reason: 'replaced' },
    });
    expect(r.status).toBe(200);
    expect(r.body.device.state).toBe('decommissioned');
    expect((await dynsec.send({ command: 'getClient', username: a.id })).error).toMatch(/not found/i);
    expect((await dynsec.send({ command: 'getRole', rolename: `device-${a.id}` })).error).toMatch(
      /not found/i,
    );
    await expect(connectDevice(h.env.MQTT_URL ?? '', a.id, a.credentials.password)).rejects.toThrow();
    expect((await h.api('GET', `/api/v1/devices/${a.id}`)).body.device.state).toBe('decommissioned');
    expect((await h.api('POST', `/api/v1/devices/${a.id}/provision`, { token: operator })).status).toBe(409);
  });
});

describe('registry when Mosquitto refuses its admin', () => {
  const h = new RegistryHarness();

  beforeAll(async () => {
    await h.start({}, { MQTT_ADMIN_PASSWORD: 'not-the-password', REGISTRY_PROVISION_ATTEMPTS: '2' });
  });
  afterAll(async () => h.close());

  it('a provisioning job that fails every retry should leave the device registered with the reason', async () => {
    const draft = deviceDraft('commune-x');
    expect((await h.api('POST', '/api/v1/devices', { body: draft })).status).toBe(201);
    expect((await h.api('POST', `/api/v1/devices/${draft.deviceId}/provision`)).status).toBe(202);
    const device = await waitFor(
      async () => {
        const d = (await h.api('GET', `/api/v1/devices/${draft.deviceId}`)).body.device;
        return /provisioning failed/.test(d.stateReason ?? '') ? d : undefined;
      },
      'the failed provisioning to be recorded',
      40_000,
    );
    expect(device.state).toBe('registered');
    expect(device.stateReason).toMatch(/provisioning failed: Mosquitto unreachable/);
  });

  it('a suspension should answer 503 and leave the state unchanged when Mosquitto cannot be administered', async () => {
    const draft = deviceDraft('commune-x');
    await h.api('POST', '/api/v1/devices', { body: draft });
    const r = await h.api('POST', `/api/v1/devices/${draft.deviceId}/suspend`, { body: { reason: 'x' } });
    expect(r.status).toBe(503);
    expect(r.body.error).toBe('unavailable');
    expect((await h.api('GET', `/api/v1/devices/${draft.deviceId}`)).body.device.state).toBe('registered');
  });
});
