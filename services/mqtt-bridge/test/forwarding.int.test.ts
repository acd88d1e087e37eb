import {
  decodeRawHeaders,
  deviceUplinkTopic,
  MAX_UPLINK_PAYLOAD_BYTES,
  RAW_HEADERS,
  uplinkContentType,
} from '@terrapulse/contracts';
import type { DynsecClient } from '@terrapulse/infra-runner';
import type { Admin, Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectRecords,
  connectDynsec,
  counterValue,
  createRawTopic,
  eventually,
  hasSeen,
  kafka,
  type SeenRecord,
  startTestBridge,
  type TestBridge,
  TestDevice,
  uniqueName,
} from './support/servers.js';

let dynsec: DynsecClient;
let admin: Admin;
let device: TestDevice;
const topics: string[] = [];
const consumers: Consumer[] = [];
const bridges: TestBridge[] = [];

beforeAll(async () => {
  dynsec = await connectDynsec();
  admin = kafka.admin();
  await admin.connect();
  device = await TestDevice.create(dynsec);
});

afterAll(async () => {
  // Ending the sessions matters: a leftover session of a unique share group would queue a copy
  // of every uplink anyone publishes, for days.
  await Promise.all(bridges.map((b) => b.bridge.stop({ endSessions: true, drainTimeoutMs: 2_000 })));
  await Promise.all(consumers.map((c) => c.disconnect()));
  await admin?.deleteTopics({ topics }).catch(() => undefined);
  await admin?.disconnect();
  await device?.remove(dynsec);
  await dynsec?.close();
});

function bridgeFor(topic: string, vars: Record<string, string> = {}): TestBridge {
  const built = startTestBridge({
    BRIDGE_INSTANCE_ID: uniqueName('it-bridge'),
    BRIDGE_SHARE_GROUP: uniqueName('it-group'),
    BRIDGE_CONNECTIONS: '2',
    BRIDGE_RETRY_MAX_MS: '300',
    TOPIC_RAW: topic,
    ...vars,
  });
  bridges.push(built);
  return built;
}

async function readTopic(topic: string): Promise<SeenRecord[]> {
  const { records, consumer } = await collectRecords(topic);
  consumers.push(consumer);
  return records;
}

describe.each([
  ['pipelined', 'lean', 'lean'],
  ['serial', 'lean', 'lean'],
  ['pipelined', 'mqttjs', 'lean'],
  ['serial', 'mqttjs', 'lean'],
  ['pipelined', 'lean', 'kafkajs'],
] as const)(
  'bridge in %s ack mode with the %s MQTT client and the %s Kafka client',
  (ackMode, mqttClient, kafkaClient) => {
    it('should forward each uplink to Kafka with the device key, the contract headers and the payload bytes unchanged', async () => {
      const topic = uniqueName('it-raw');
      topics.push(topic);
      await createRawTopic(admin, topic);
      const shareGroup = uniqueName('it-group');
      const instanceId = uniqueName('it-bridge');
      const built = bridgeFor(topic, {
        BRIDGE_ACK_MODE: ackMode,
        BRIDGE_MQTT_CLIENT: mqttClient,
        BRIDGE_KAFKA_CLIENT: kafkaClient,
        BRIDGE_SHARE_GROUP: shareGroup,
        BRIDGE_INSTANCE_ID: instanceId,
      });
      await built.started;
      const records = await readTopic(topic);

      const marker = uniqueName('m');
      const sent = [
        {
          topic: deviceUplinkTopic(device.id, 'json'),
          payload: Buffer.from(JSON.stringify({ v: 1, marker })),
        },
        // Not UTF-8 on purpose: the bridge must not decode or re-encode anything.
        {
          topic: deviceUplinkTopic(device.id, 'senml'),
          payload: Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x41]),
        },
        // An unknown format still reaches Kafka, so the validator can dead-letter it.
        { topic: `terrapulse/v1/devices/${device.id}/up/xml`, payload: Buffer.from(`<m>${marker}</m>`) },
        // Over the contract's payload limit, under the broker's packet limit (that limit + 2 KiB):
        // forwarded whole, the validator refuses it with its bytes.
        {
          topic: deviceUplinkTopic(device.id, 'json'),
          payload: Buffer.alloc(MAX_UPLINK_PAYLOAD_BYTES + 1_000, 0x61),
        },
      ];
      const before = Date.now();
      for (const message of sent)
        await device.client.publishAsync(message.topic, message.payload, { qos: 1 });

      // The bridge forwards every uplink on the broker, other tests' too: look at this device's only.
      const mine = (): SeenRecord[] => records.filter((r) => r.key === device.id);
      await eventually(() => mine().length >= sent.length, 20_000, 'records in Kafka');
      const after = Date.now();
      expect(mine()).toHaveLength(sent.length);
      const expectedTypes = [
        uplinkContentType.json,
        uplinkContentType.senml,
        'application/octet-stream',
        uplinkContentType.json,
      ];
      sent.forEach((message, index) => {
        const record = mine().find((r) => r.value.equals(message.payload));
        expect(record, `record of message ${index}`).toBeDefined();
        expect(record?.key).toBe(device.id);
        expect(record?.headers[RAW_HEADERS.mqttTopic]).toBe(message.topic);
        expect(record?.headers[RAW_HEADERS.contentType]).toBe(expectedTypes[index]);
        expect(record?.headers[RAW_HEADERS.bridgeId]).toBe(instanceId);
        const decoded = decodeRawHeaders(Object.entries(record?.headers ?? {}));
        expect(decoded.success).toBe(true);
        if (!decoded.success) return;
        expect(decoded.data[RAW_HEADERS.mqttQos]).toBe(1);
        expect(decoded.data[RAW_HEADERS.mqttRetain]).toBe(false);
        expect(decoded.data[RAW_HEADERS.receivedAt]).toBeGreaterThanOrEqual(before);
        expect(decoded.data[RAW_HEADERS.receivedAt]).toBeLessThanOrEqual(after);
      });
      // A device's messages share one partition: that is what the key is for.
      expect(new Set(mine().map((r) => r.partition)).size).toBe(1);
      await eventually(
        async () => (await counterValue(built, 'terrapulse_bridge_pubacks_total')) >= sent.length,
      );
    });

    it('should not acknowledge the broker while Kafka refuses the record, and should once the topic exists', async () => {
      const topic = uniqueName('it-missing');
      topics.push(topic);
      const built = bridgeFor(topic, {
        BRIDGE_ACK_MODE: ackMode,
        BRIDGE_MQTT_CLIENT: mqttClient,
        BRIDGE_KAFKA_CLIENT: kafkaClient,
        BRIDGE_CONNECTIONS: '1',
      });
      await built.started;

      const payload = Buffer.from(JSON.stringify({ v: 1, marker: uniqueName('wait') }));
      // The device's PUBACK comes from Mosquitto once it stored the message, whatever the bridge does.
      await device.client.publishAsync(deviceUplinkTopic(device.id, 'json'), payload, { qos: 1 });
      await eventually(() => hasSeen(built, payload), 20_000, 'the bridge to receive the message');
      // Kafka auto-create is off, so every send fails until the topic exists.
      await eventually(
        async () => (await counterValue(built, 'terrapulse_bridge_kafka_errors_total')) >= 1,
        30_000,
      );
      expect(await counterValue(built, 'terrapulse_bridge_pubacks_total')).toBe(0);
      expect(built.bridge.health().status).toBe('degraded');

      await createRawTopic(admin, topic);
      const records = await readTopic(topic);
      await eventually(
        () => records.some((r) => r.value.equals(payload)),
        30_000,
        'the record after the topic appeared',
      );
      await eventually(async () => (await counterValue(built, 'terrapulse_bridge_pubacks_total')) >= 1);
      await eventually(() => built.bridge.health().status === 'ok', 10_000, 'health back to ok');
    });
  },
);
