import { deviceUplinkTopic, encodeRawHeaders, uplinkContentType } from '@terrapulse/contracts';
import {
  createRegistry,
  type DeviceHealth,
  DynsecMqttAccess,
  loadConfig,
  type Registry,
  registryExtensions,
} from '@terrapulse/registry';
import { silentLogger } from '@terrapulse/service-kit';
import { Redis } from 'ioredis';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../support/environment.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { eventually } from '../support/waiting.js';

/** Short enough that a test sees silence within seconds: silent after 3 s x 2 without a reading. */
const EXPECTED_INTERVAL_S = 3;
const SILENCE_FACTOR = 2;

/**
 * The registry in front of the real pipeline: devices onboarded and provisioned through the
 * registry API publish through Mosquitto -> bridge -> validator, the validator reads the registry
 * topic the registry's outbox publishes to, and the registry's health tracker reads the validator's
 * readings and dead letters.
 */
describe('registry with the real pipeline', () => {
  const pipeline = new PipelineHarness('regpipe');
  const prefix = `tp:test:${pipeline.runId}:`;
  const tenant = uniqueName('commune');
  const env = pipeline.env;
  let registry: Registry;
  let baseUrl = '';
  const access = new DynsecMqttAccess({
    url: env.MQTT_URL ?? '',
    username: env.MQTT_ADMIN_USERNAME ?? '',
    password: env.MQTT_ADMIN_PASSWORD ?? '',
    logger: silentLogger,
  });
  const devices: string[] = [];

  // biome-ignore lint/suspicious/noExplicitAny: JSON answers of the API under test, checked by the assertions
  async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${env.REGISTRY_ADMIN_TOKEN}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text) };
  }

  /** A water meter of the test's tenant, expected every EXPECTED_INTERVAL_S. */
  function meterDraft(deviceId: string) {
    return {
      deviceId,
      tenant,
      site: 'pumping-station',
      domain: 'water',
      kind: 'water_meter',
      model: 'Acme WM-1',
      metrics: ['water.volume_index'],
      expectedIntervalS: EXPECTED_INTERVAL_S,
      installedAt: '2024-03-01',
    };
  }

  async function onboard(name: string): Promise<{ deviceId: string; password: string; topic: string }> {
    const deviceId = `${name}-${pipeline.runId}`;
    devices.push(deviceId);
    const created = await api('POST', '/api/v1/devices', meterDraft(deviceId));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const provisioned = await api('POST', `/api/v1/devices/${deviceId}/provision`);
    expect(provisioned.status, JSON.stringify(provisioned.body)).toBe(202);
    await eventually(async () => (await device(deviceId)).state === 'provisioned', 20_000, 200);
    return {
      deviceId,
      password: provisioned.body.credentials.password,
      topic: provisioned.body.credentials.topics.json,
    };
  }

  async function device(deviceId: string): Promise<{ state: string; stateReason?: string }> {
    return (await api('GET', `/api/v1/devices/${deviceId}`)).body.device;
  }

  async function health(deviceId: string): Promise<DeviceHealth> {
    return (await api('GET', `/api/v1/devices/${deviceId}/health`)).body;
  }

  function envelope(deviceId: string, value: number): string {
    return JSON.stringify({
      v: 1,
      deviceId,
      ts: Date.now(),
      readings: [{ metric: 'water.volume_index', value }],
    });
  }

  async function publish(deviceId: string, password: string, payloads: string[]): Promise<void> {
    const connect = () =>
      mqtt.connectAsync(env.MQTT_URL ?? '', {
        username: deviceId,
        password,
        clientId: deviceId,
        protocolVersion: 5,
        reconnectPeriod: 0,
        connectTimeout: 10_000,
      });
    // A broker busy with the rest of the machine's tests may miss one CONNACK; a refusal is final.
    const client = await connect().catch((error: Error) => {
      if (/connack timeout/i.test(error.message)) return connect();
      throw error;
    });
    try {
      for (const payload of payloads)
        await client.publishAsync(deviceUplinkTopic(deviceId, 'json'), payload, { qos: 1 });
    } finally {
      await client.endAsync();
    }
  }

  beforeAll(async () => {
    await pipeline.createTopics();
    await pipeline.start('validator');
    await pipeline.start('mqtt-bridge');
    registry = createRegistry({
      config: loadConfig({
        ...env,
        LOG_LEVEL: 'warn',
        REGISTRY_HTTP_PORT: '0',
        OPS_PORT: '0',
        REGISTRY_KEY_PREFIX: prefix,
        KAFKA_CLIENT_ID: `tp-regpipe-${pipeline.runId}`,
        TOPIC_REGISTRY: pipeline.topics.registry,
        TOPIC_READINGS: pipeline.topics.readings,
        TOPIC_REJECTED: pipeline.topics.rejected,
        REGISTRY_SILENCE_FACTOR: String(SILENCE_FACTOR),
        REGISTRY_SWEEP_INTERVAL_MS: '500',
        REGISTRY_PROVISION_BACKOFF_MS: '100',
      }),
      logger: silentLogger,
      processMetrics: false,
      ...registryExtensions,
    });
    const { httpPort } = await registry.start();
    baseUrl = `http://127.0.0.1:${httpPort}`;
  }, 180_000);

  afterAll(async () => {
    await registry?.stop();
    for (const id of devices) await access.revoke(id).catch(() => undefined);
    await access.close();
    await pipeline.teardown();
    const redis = new Redis(env.REDIS_URL ?? '');
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  });

  it('a provisioned device should turn active on its first valid reading, then silent when it stops', async () => {
    const meter = await onboard('meter');
    expect((await health(meter.deviceId)).lastSeenAt).toBeNull();

    await publish(meter.deviceId, meter.password, [envelope(meter.deviceId, 1042.5)]);
    await eventually(async () => (await device(meter.deviceId)).state === 'active', 30_000, 250);
    const seen = await health(meter.deviceId);
    expect(seen).toMatchObject({
      readingsLastHour: 1,
      expectedPerHour: 1200,
      rejectedCount: 0,
      silentSince: null,
    });
    expect(Date.parse(seen.lastSeenAt ?? '')).toBeGreaterThan(Date.now() - 30_000);
    const readings = await api('GET', `/api/v1/devices/${meter.deviceId}/readings`);
    expect(readings.body.items).toEqual([
      { ts: expect.any(String), metric: 'water.volume_index', value: 1042.5, unit: 'm3' },
    ]);

    // Silent after 3 s x 2 without a reading; the sweeper runs every 500 ms.
    await eventually(async () => (await device(meter.deviceId)).state === 'silent', 20_000, 250);
    const silent = await health(meter.deviceId);
    expect(Date.parse(silent.silentSince ?? '')).toBe(
      Date.parse(seen.lastSeenAt ?? '') + EXPECTED_INTERVAL_S * SILENCE_FACTOR * 1000,
    );

    // Its next reading makes it active again.
    await publish(meter.deviceId, meter.password, [envelope(meter.deviceId, 1043)]);
    await eventually(async () => (await device(meter.deviceId)).state === 'active', 30_000, 250);
    expect((await health(meter.deviceId)).readingsLastHour).toBe(2);
    const audit = await api('GET', `/api/v1/audit?deviceId=${meter.deviceId}`);
    const system = audit.body.items
      .filter((e: { actor: { role: string } }) => e.actor.role === 'system')
      .map((e: { action: string }) => e.action);
    expect(system).toEqual(['device.activate', 'device.silence', 'device.activate']);
  });

  it("a suspended device's reading in flight should be rejected DEVICE_SUSPENDED and show in its health", async () => {
    const meter = await onboard('suspended');
    const suspended = await api('POST', `/api/v1/devices/${meter.deviceId}/suspend`, { reason: 'stolen' });
    expect(suspended.status).toBe(200);
    // Its credentials no longer connect, so the message comes as one the bridge forwarded just
    // before the suspension: straight onto the raw topic, once the validator knows the new state.
    await expect(publish(meter.deviceId, meter.password, [envelope(meter.deviceId, 1)])).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 2_000));
    const producer = pipeline.kafkaClient().producer();
    await producer.connect();
    const topic = deviceUplinkTopic(meter.deviceId, 'json');
    await producer.send({
      topic: pipeline.topics.raw,
      messages: [
        {
          key: meter.deviceId,
          value: envelope(meter.deviceId, 7),
          headers: encodeRawHeaders({
            'tp-mqtt-topic': topic,
            'tp-received-at': Date.now(),
            'tp-mqtt-qos': 1,
            'tp-bridge-id': 'test-in-flight',
            'tp-content-type': uplinkContentType.json,
          }),
        },
      ],
    });
    await producer.disconnect();
    await eventually(async () => (await health(meter.deviceId)).rejectedCount === 1, 30_000, 250);
    const h = await health(meter.deviceId);
    expect(h.lastRejection).toMatchObject({ reason: 'DEVICE_SUSPENDED', at: expect.any(String) });
    expect(h.lastSeenAt).toBeNull();
    expect((await device(meter.deviceId)).state).toBe('suspended');
  });

  it('readings of a device the registry does not know should be rejected UNKNOWN_DEVICE and show once it is registered', async () => {
    // Credentials made outside the registry: a sensor installed before anyone registered it.
    const deviceId = `unknown-${pipeline.runId}`;
    devices.push(deviceId);
    const password = uniqueName('pw');
    await access.grant(deviceId, password);
    await publish(deviceId, password, [envelope(deviceId, 1), envelope(deviceId, 2)]);

    await new Promise((r) => setTimeout(r, 3_000));
    const created = await api('POST', '/api/v1/devices', meterDraft(deviceId));
    expect(created.status).toBe(201);
    await eventually(async () => (await health(deviceId)).rejectedCount === 2, 30_000, 250);
    const h = await health(deviceId);
    expect(h.lastRejection).toMatchObject({ reason: 'UNKNOWN_DEVICE' });
    expect(h.lastSeenAt).toBeNull();
    expect((await device(deviceId)).state).toBe('registered');
  });
});
