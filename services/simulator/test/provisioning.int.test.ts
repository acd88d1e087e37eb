import { stat } from 'node:fs/promises';
import { DeviceRecord, TOPICS } from '@terrapulse/contracts';
import { createKafka, silentLogger } from '@terrapulse/service-kit';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynsecAccessAdmin } from '../src/adapters/dynsec/dynsec-access-admin.js';
import { CredentialsFile } from '../src/adapters/file/credentials-file.js';
import { KafkaRegistrySink } from '../src/adapters/kafka/kafka-registry-sink.js';
import { MqttDeviceConnector } from '../src/adapters/mqtt/mqtt-device-connector.js';
import { buildTerritory } from '../src/domain/territory.js';
import { deprovisionFleet, deviceRoleName, provisionFleet } from '../src/engine/provision-fleet.js';
import { publishRegistry } from '../src/engine/publish-registry.js';
import type { PublishError } from '../src/errors.js';
import type { DeviceConnection } from '../src/ports/device-connector.js';
import {
  eventually,
  localServers,
  type ReceivedMessage,
  subscribeUplinks,
  temporaryFile,
  uniqueToken,
} from './support.js';

const servers = localServers();
const prefix = `t-${uniqueToken()}-`;
const fleet = buildTerritory({ devices: 6, unknownDevices: 1, prefix });
const [first, second] = fleet.devices;
const connector = new MqttDeviceConnector({
  url: servers.mqttUrl,
  logger: silentLogger,
  reconnectPeriodMs: 0,
});

function publish(
  connection: DeviceConnection,
  topic: string,
  payload: string,
): Promise<PublishError | undefined> {
  return new Promise((resolve) => connection.publish(topic, payload, (error) => resolve(error)));
}

describe('fleet provisioning against Mosquitto dynamic security', () => {
  let admin: DynsecAccessAdmin;
  let credentialsPath: string;
  let subscriber: { client: MqttClient; received: ReceivedMessage[] };

  beforeAll(async () => {
    admin = await DynsecAccessAdmin.connect(servers.mqttUrl, servers.mqttAdmin);
    credentialsPath = await temporaryFile('credentials.json');
    subscriber = await subscribeUplinks(servers, prefix);
  });

  afterAll(async () => {
    await subscriber?.client.endAsync();
    if (admin !== undefined) {
      await deprovisionFleet(fleet.devices, { admin });
      await admin.close();
    }
  });

  it('should give every device, unknown ones included, its own client, role and password in a 0600 file', async () => {
    const store = await CredentialsFile.open(credentialsPath);
    const result = await provisionFleet(fleet.devices, { admin, store });
    expect(result).toMatchObject({ createdClients: 7, createdRoles: 7, updatedClients: 0, unchanged: 0 });
    expect(new Set(result.passwords.values()).size).toBe(7);

    const clients = await admin.listClients();
    const roles = await admin.listRoles();
    for (const device of fleet.devices) {
      const id = device.record.deviceId;
      expect(clients.get(id)).toEqual([deviceRoleName(id)]);
      expect(roles.get(deviceRoleName(id))).toEqual([
        expect.objectContaining({
          acltype: 'publishClientSend',
          topic: `terrapulse/v1/devices/${id}/up/#`,
          allow: true,
        }),
      ]);
    }
    expect((await stat(credentialsPath)).mode & 0o777).toBe(0o600);
    const reopened = await CredentialsFile.open(credentialsPath);
    expect(fleet.devices.map((d) => reopened.get(d.record.deviceId))).toEqual(
      fleet.devices.map((d) => result.passwords.get(d.record.deviceId)),
    );
  });

  it('should change nothing on a second run, and renew only a password the file lost', async () => {
    const store = await CredentialsFile.open(credentialsPath);
    const again = await provisionFleet(fleet.devices, { admin, store });
    expect(again).toMatchObject({ createdClients: 0, createdRoles: 0, updatedClients: 0, unchanged: 7 });

    const lost = first?.record.deviceId ?? '';
    const oldPassword = store.get(lost) ?? '';
    store.delete(lost);
    await store.save();
    const renewed = await provisionFleet(fleet.devices, {
      admin,
      store: await CredentialsFile.open(credentialsPath),
    });
    expect(renewed).toMatchObject({ createdClients: 0, updatedClients: 1, unchanged: 6 });
    const newPassword = renewed.passwords.get(lost) ?? '';
    expect(newPassword).not.toBe(oldPassword);
    await expect(connector.connect({ deviceId: lost, password: oldPassword })).rejects.toThrow();
    const connection = await connector.connect({ deviceId: lost, password: newPassword });
    await connection.close();
  });

  it('should let a device publish under its own topic only', async () => {
    const store = await CredentialsFile.open(credentialsPath);
    const id = first?.record.deviceId ?? '';
    const other = second?.record.deviceId ?? '';
    const connection = await connector.connect({ deviceId: id, password: store.get(id) ?? '' });
    const own = `{"v":1,"deviceId":"${id}","marker":"${uniqueToken()}"}`;
    const spoof = `{"v":1,"deviceId":"${other}","marker":"${uniqueToken()}"}`;
    expect(await publish(connection, `terrapulse/v1/devices/${id}/up/json`, own)).toBeUndefined();
    const refused = await publish(connection, `terrapulse/v1/devices/${other}/up/json`, spoof);
    expect(refused).toMatchObject({ refused: true, reasonCode: 0x87 });
    await connection.close();

    expect(await eventually(() => subscriber.received.some((m) => m.payload === own))).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(subscriber.received.some((m) => m.payload === spoof)).toBe(false);
  });

  it('should publish the registered devices, and only those, to the registry topic keyed by device id', async () => {
    const kafka = createKafka({
      brokers: servers.kafkaBrokers,
      clientId: `tp-sim-test-${uniqueToken()}`,
      logger: silentLogger,
    });
    const topic = `test.registry.${uniqueToken()}`;
    const spec = TOPICS.registryDevices;
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    const consumer = kafka.consumer({ groupId: `tp-sim-test-${uniqueToken()}` });
    try {
      await kafkaAdmin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic,
            numPartitions: spec.partitions,
            configEntries: [
              { name: 'cleanup.policy', value: spec.cleanupPolicy },
              ...Object.entries(spec.config).map(([name, value]) => ({ name, value })),
            ],
          },
        ],
      });
      await producer.connect();
      expect(await publishRegistry(fleet.devices, new KafkaRegistrySink(producer, topic))).toBe(6);

      const seen = new Map<string, DeviceRecord>();
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          seen.set(
            message.key?.toString() ?? '',
            DeviceRecord.parse(JSON.parse(message.value?.toString() ?? 'null')),
          );
        },
      });
      const registered = fleet.devices.filter((d) => d.registered);
      expect(await eventually(() => seen.size >= registered.length, 30_000)).toBe(true);
      expect([...seen.keys()].sort()).toEqual(registered.map((d) => d.record.deviceId).sort());
      for (const device of registered) expect(seen.get(device.record.deviceId)).toEqual(device.record);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await kafkaAdmin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await kafkaAdmin.disconnect();
    }
  });
});
