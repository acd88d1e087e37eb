import { silentLogger } from '@terrapulse/service-kit';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynsecAccessAdmin } from '../src/adapters/dynsec/dynsec-access-admin.js';
import { CredentialsFile } from '../src/adapters/file/credentials-file.js';
import { LeanMqttConnector } from '../src/adapters/mqtt/lean-mqtt-connector.js';
import { MqttDeviceConnector } from '../src/adapters/mqtt/mqtt-device-connector.js';
import { buildTerritory } from '../src/domain/territory.js';
import { deprovisionFleet, provisionFleet } from '../src/engine/provision-fleet.js';
import type { PublishError } from '../src/errors.js';
import type { DeviceConnection, DeviceConnector } from '../src/ports/device-connector.js';
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
const fleet = buildTerritory({ devices: 2, prefix });
const [self, other] = fleet.devices.map((d) => d.record.deviceId) as [string, string];
const uplink = (deviceId: string) => `terrapulse/v1/devices/${deviceId}/up/json`;

const adapters: Array<[string, () => DeviceConnector]> = [
  [
    'lean',
    () => new LeanMqttConnector({ url: servers.mqttUrl, logger: silentLogger, reconnectPeriodMs: 200 }),
  ],
  [
    'MQTT.js',
    () => new MqttDeviceConnector({ url: servers.mqttUrl, logger: silentLogger, reconnectPeriodMs: 200 }),
  ],
];

function publish(
  connection: DeviceConnection,
  topic: string,
  payload: string,
): Promise<PublishError | undefined> {
  return new Promise((resolve) => connection.publish(topic, payload, resolve));
}

// One conformance suite, run against every device connector.
describe.each(adapters)('%s device connector', (_name, create) => {
  let admin: DynsecAccessAdmin;
  let passwords: Map<string, string>;
  let subscriber: { client: MqttClient; received: ReceivedMessage[] };
  const connector = create();

  beforeAll(async () => {
    admin = await DynsecAccessAdmin.connect(servers.mqttUrl, servers.mqttAdmin);
    const store = await CredentialsFile.open(await temporaryFile('credentials.json'));
    passwords = (await provisionFleet(fleet.devices, { admin, store })).passwords;
    subscriber = await subscribeUplinks(servers, prefix);
  });

  afterAll(async () => {
    await subscriber?.client.endAsync();
    if (admin !== undefined) {
      await deprovisionFleet(fleet.devices, { admin });
      await admin.close();
    }
  });

  const open = () => connector.connect({ deviceId: self, password: passwords.get(self) ?? '' });

  it('should deliver a publish on its own topic and report the success PUBACK', async () => {
    const connection = await open();
    expect(connection.isConnected()).toBe(true);
    const payload = `{"marker":"${uniqueToken()}"}`;
    expect(await publish(connection, uplink(self), payload)).toBeUndefined();
    await connection.close();
    expect(
      await eventually(() =>
        subscriber.received.some((m) => m.payload === payload && m.topic === uplink(self)),
      ),
    ).toBe(true);
  });

  it('should report a publish on another device topic as refused, not delivered', async () => {
    const connection = await open();
    const payload = `{"marker":"${uniqueToken()}"}`;
    const error = await publish(connection, uplink(other), payload);
    expect(error).toMatchObject({ name: 'PublishError', refused: true, reasonCode: 0x87 });
    expect(await publish(connection, uplink(self), '{}')).toBeUndefined();
    await connection.close();
    expect(subscriber.received.some((m) => m.payload === payload)).toBe(false);
  });

  it('should refuse to connect with a wrong password', async () => {
    await expect(connector.connect({ deviceId: self, password: 'not-the-password' })).rejects.toThrow(
      /bad user name or password|not authorized/i,
    );
  });

  it('should settle every pending publish exactly once when closed', async () => {
    const connection = await open();
    const outcomes: Array<PublishError | undefined> = [];
    let calls = 0;
    await new Promise<void>((resolve) => {
      connection.batch(() => {
        for (let i = 0; i < 300; i++) {
          connection.publish(uplink(self), `{"i":${i}}`, (error) => {
            calls++;
            outcomes.push(error);
            if (calls === 300) resolve();
          });
        }
      });
      void connection.close(true);
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toBe(300);
    expect(outcomes.every((e) => e === undefined || e.refused === false)).toBe(true);
  });

  it('should reconnect after the broker drops the connection and publish again', async () => {
    const connection = await open();
    // A second client with the same id takes the session over: the broker disconnects ours.
    const intruder = await mqtt.connectAsync(servers.mqttUrl, {
      clientId: self,
      username: self,
      password: passwords.get(self) ?? '',
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    expect(await eventually(() => !connection.isConnected(), 5_000)).toBe(true);
    await intruder.endAsync(true).catch(() => undefined);
    expect(await eventually(() => connection.isConnected(), 10_000)).toBe(true);
    const payload = `{"marker":"${uniqueToken()}"}`;
    expect(await publish(connection, uplink(self), payload)).toBeUndefined();
    await connection.close();
    expect(await eventually(() => subscriber.received.some((m) => m.payload === payload))).toBe(true);
  });
});
