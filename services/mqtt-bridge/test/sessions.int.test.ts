import { deviceUplinkTopic, RAW_HEADERS } from '@terrapulse/contracts';
import type { DynsecClient } from '@terrapulse/infra-runner';
import type { Admin, Consumer } from 'kafkajs';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectRecords,
  connectDynsec,
  counterValue,
  createRawTopic,
  eventually,
  hasSeen,
  kafka,
  localEnv,
  type SeenRecord,
  startTestBridge,
  type TestBridge,
  TestDevice,
  uniqueName,
} from './support/servers.js';

let dynsec: DynsecClient;
let admin: Admin;
let devices: TestDevice[] = [];
const topics: string[] = [];
const consumers: Consumer[] = [];
/** Bridges whose sessions the test must end, whatever happens. */
const running: TestBridge[] = [];

beforeAll(async () => {
  dynsec = await connectDynsec();
  admin = kafka.admin();
  await admin.connect();
  devices = [await TestDevice.create(dynsec), await TestDevice.create(dynsec)];
});

afterAll(async () => {
  await Promise.all(running.map((b) => b.bridge.stop({ endSessions: true, drainTimeoutMs: 2_000 })));
  await Promise.all(consumers.map((c) => c.disconnect()));
  await admin?.deleteTopics({ topics }).catch(() => undefined);
  await admin?.disconnect();
  await Promise.all(devices.map((d) => d.remove(dynsec)));
  await dynsec?.close();
});

async function newTopic(): Promise<{ topic: string; records: SeenRecord[] }> {
  const topic = uniqueName('it-raw');
  topics.push(topic);
  await createRawTopic(admin, topic);
  const { records, consumer } = await collectRecords(topic);
  consumers.push(consumer);
  return { topic, records };
}

async function bridge(vars: Record<string, string>): Promise<TestBridge> {
  const built = startTestBridge({ BRIDGE_CONNECTIONS: '3', BRIDGE_RETRY_MAX_MS: '300', ...vars });
  running.push(built);
  await built.started;
  return built;
}

/** Publishes `count` QoS 1 messages per device, concurrently, and returns their payloads. */
async function publishAll(count: number, tag: string): Promise<string[]> {
  const payloads: string[] = [];
  await Promise.all(
    devices.map(async (device) => {
      const sends: Array<Promise<unknown>> = [];
      for (let i = 0; i < count; i++) {
        const payload = JSON.stringify({ v: 1, device: device.id, tag, i });
        payloads.push(payload);
        sends.push(device.client.publishAsync(deviceUplinkTopic(device.id, 'json'), payload, { qos: 1 }));
      }
      await Promise.all(sends);
    }),
  );
  return payloads;
}

/**
 * The payloads of this file's devices. A test bridge forwards every uplink on the broker, other
 * tests' and simulators' too, so assertions look at these devices only.
 */
function values(records: readonly SeenRecord[]): string[] {
  const ids = new Set(devices.map((device) => device.id));
  return records.filter((r) => ids.has(r.key)).map((r) => r.value.toString('utf8'));
}

describe('bridge sessions and share groups', () => {
  it('should split the messages between two instances of one share group and forward each exactly once', async () => {
    const { topic, records } = await newTopic();
    const group = uniqueName('it-group');
    const [idA, idB] = [uniqueName('it-a'), uniqueName('it-b')];
    await bridge({ BRIDGE_INSTANCE_ID: idA, BRIDGE_SHARE_GROUP: group, TOPIC_RAW: topic });
    await bridge({ BRIDGE_INSTANCE_ID: idB, BRIDGE_SHARE_GROUP: group, TOPIC_RAW: topic });

    const payloads = await publishAll(150, uniqueName('split'));
    await eventually(() => values(records).length >= payloads.length, 30_000, 'every record');
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(values(records).sort()).toEqual([...payloads].sort());
    const ids = new Set(devices.map((device) => device.id));
    const forwardedBy = records.filter((r) => ids.has(r.key)).map((r) => r.headers[RAW_HEADERS.bridgeId]);
    expect(forwardedBy.filter((id) => id === idA).length).toBeGreaterThan(0);
    expect(forwardedBy.filter((id) => id === idB).length).toBeGreaterThan(0);
  });

  it('should deliver, after a restart with the same instance id, the messages published while it was down', async () => {
    const { topic, records } = await newTopic();
    const vars = {
      BRIDGE_INSTANCE_ID: uniqueName('it-restart'),
      BRIDGE_SHARE_GROUP: uniqueName('it-group'),
      TOPIC_RAW: topic,
    };
    const first = await bridge(vars);
    // A normal stop keeps the sessions: the broker queues for them while the bridge is away.
    await first.bridge.stop();
    running.splice(running.indexOf(first), 1);

    const payloads = await publishAll(40, uniqueName('while-down'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(values(records)).toHaveLength(0);

    await bridge(vars);
    await eventually(() => values(records).length >= payloads.length, 30_000, 'the queued messages');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(values(records).sort()).toEqual([...payloads].sort());
  });

  it.each([
    ['pipelined', 'lean'],
    ['serial', 'lean'],
    ['pipelined', 'mqttjs'],
    ['serial', 'mqttjs'],
  ])(
    'should leave a message Kafka has not taken un-acknowledged with the broker, so a restart forwards it (%s, %s MQTT client)',
    async (ackMode, mqttClient) => {
      const topic = uniqueName('it-late');
      topics.push(topic);
      const vars = {
        BRIDGE_INSTANCE_ID: uniqueName('it-crash'),
        BRIDGE_SHARE_GROUP: uniqueName('it-group'),
        BRIDGE_ACK_MODE: ackMode,
        BRIDGE_MQTT_CLIENT: mqttClient,
        TOPIC_RAW: topic,
      };
      const first = await bridge({ ...vars, BRIDGE_CONNECTIONS: '1' });
      const [device] = devices;
      if (device === undefined) throw new Error('no device');
      const payload = JSON.stringify({ v: 1, marker: uniqueName('held') });
      await device.client.publishAsync(deviceUplinkTopic(device.id, 'json'), payload, { qos: 1 });
      await eventually(() => hasSeen(first, payload), 20_000, 'the bridge to receive the message');
      // The topic does not exist yet, so Kafka cannot take the record: the bridge must not ack it.
      await eventually(
        async () => (await counterValue(first, 'terrapulse_bridge_kafka_errors_total')) >= 1,
        30_000,
      );
      await first.bridge.stop({ drainTimeoutMs: 0 });
      running.splice(running.indexOf(first), 1);
      expect(await counterValue(first, 'terrapulse_bridge_pubacks_total')).toBe(0);

      await createRawTopic(admin, topic);
      const { records, consumer } = await collectRecords(topic);
      consumers.push(consumer);
      const second = await bridge({ ...vars, BRIDGE_CONNECTIONS: '1' });
      await eventually(
        () => records.some((r) => r.value.toString() === payload),
        30_000,
        'the redelivered message',
      );
      await eventually(async () => (await counterValue(second, 'terrapulse_bridge_pubacks_total')) >= 1);
      expect(values(records).filter((v) => v === payload)).toHaveLength(1);
    },
  );

  it('should report degraded while a connection is down, and resubscribe and forward again when the broker dropped its session', async () => {
    const { topic, records } = await newTopic();
    const instanceId = uniqueName('it-takeover');
    const built = await bridge({
      BRIDGE_INSTANCE_ID: instanceId,
      BRIDGE_SHARE_GROUP: uniqueName('it-group'),
      BRIDGE_CONNECTIONS: '1',
      TOPIC_RAW: topic,
    });
    expect(built.bridge.health().status).toBe('ok');

    // Another client takes the bridge's client id with a clean start: the broker closes the
    // bridge's connection and discards its session, subscription included.
    const intruder = await mqtt.connectAsync(localEnv.MQTT_URL ?? '', {
      username: localEnv.MQTT_BRIDGE_USERNAME ?? '',
      password: localEnv.MQTT_BRIDGE_PASSWORD ?? '',
      clientId: `${instanceId}-0`,
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: 0,
    });
    await eventually(() => built.bridge.health().status === 'degraded', 5_000, 'degraded health');
    expect(built.bridge.health().checks).toMatchObject({ mqtt: { ok: false, connected: 0, total: 1 } });
    await intruder.endAsync(true).catch(() => undefined);

    await eventually(() => built.bridge.health().status === 'ok', 15_000, 'the bridge to reconnect');
    const payloads = await publishAll(10, uniqueName('after-takeover'));
    await eventually(() => values(records).length >= payloads.length, 20_000, 'records after the takeover');
    expect(values(records).sort()).toEqual([...payloads].sort());
  });

  it('should fail to start, not retry forever, when the broker refuses its credentials', async () => {
    const refused = startTestBridge({
      BRIDGE_INSTANCE_ID: uniqueName('it-refused'),
      BRIDGE_SHARE_GROUP: uniqueName('it-group'),
      MQTT_BRIDGE_PASSWORD: 'not-the-password',
    });
    await expect(refused.started).rejects.toThrow(/bad user name or password|not authorized/i);
    expect(refused.bridge.health().status).toBe('stopping');
  });
});
