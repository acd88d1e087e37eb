import { DynsecClient } from '@terrapulse/infra-runner';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnvironment, uniqueName } from '../support/environment.js';

const env = testEnvironment();
const uplink = (deviceId: string): string => `terrapulse/v1/devices/${deviceId}/up/json`;

/** Creates a device the way the registry will: its own client and a role for its own topic only. */
async function createDevice(dynsec: DynsecClient, deviceId: string, password: string): Promise<void> {
  await dynsec.run({
    command: 'createRole',
    rolename: `device-${deviceId}`,
    acls: [{ acltype: 'publishClientSend', topic: `terrapulse/v1/devices/${deviceId}/up/#`, allow: true }],
  });
  await dynsec.run({
    command: 'createClient',
    username: deviceId,
    password,
    roles: [{ rolename: `device-${deviceId}` }],
  });
}

function connectDevice(username: string, password: string): Promise<MqttClient> {
  return mqtt.connectAsync(env.mqttUrl, {
    username,
    password,
    clientId: username,
    protocolVersion: 5,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
  });
}

function collect(client: MqttClient): Array<{ topic: string; payload: string }> {
  const received: Array<{ topic: string; payload: string }> = [];
  client.on('message', (topic, payload) => received.push({ topic, payload: payload.toString() }));
  return received;
}

async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('Mosquitto with the dynamic security plugin', () => {
  let dynsec: DynsecClient;
  let bridge: MqttClient;
  let received: Array<{ topic: string; payload: string }>;
  const deviceA = uniqueName('meter-a');
  const deviceB = uniqueName('meter-b');
  const passwordA = uniqueName('pw');
  const passwordB = uniqueName('pw');

  beforeAll(async () => {
    dynsec = await DynsecClient.connect(env.mqttUrl, env.mqttAdmin);
    await createDevice(dynsec, deviceA, passwordA);
    await createDevice(dynsec, deviceB, passwordB);
    bridge = await mqtt.connectAsync(env.mqttUrl, {
      ...env.mqttBridge,
      clientId: uniqueName('tp-bridge-test'),
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    received = collect(bridge);
    await bridge.subscribeAsync(`$share/${uniqueName('g')}/terrapulse/v1/devices/+/up/+`, { qos: 1 });
  });

  afterAll(async () => {
    await bridge?.endAsync();
    for (const id of [deviceA, deviceB]) {
      await dynsec?.send({ command: 'deleteClient', username: id });
      await dynsec?.send({ command: 'deleteRole', rolename: `device-${id}` });
    }
    await dynsec?.close();
  });

  it('delivers a device publish under its own topic to the bridge shared subscription', async () => {
    const device = await connectDevice(deviceA, passwordA);
    const payload = JSON.stringify({ v: 1, deviceId: deviceA, marker: uniqueName('m') });
    await device.publishAsync(uplink(deviceA), payload, { qos: 1 });
    await device.endAsync();
    expect(await eventually(() => received.some((m) => m.payload === payload))).toBe(true);
    expect(received.find((m) => m.payload === payload)?.topic).toBe(uplink(deviceA));
  });

  it('refuses a device publish under another device topic', async () => {
    const device = await connectDevice(deviceA, passwordA);
    const spoof = JSON.stringify({ v: 1, deviceId: deviceB, marker: uniqueName('spoof') });
    // MQTT 5 answers a refused QoS 1 publish with PUBACK reason 0x87 (not authorized).
    await expect(device.publishAsync(uplink(deviceB), spoof, { qos: 1 })).rejects.toThrow(/not authorized/i);
    await device.endAsync().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    expect(received.some((m) => m.payload === spoof)).toBe(false);
  });

  it('refuses a connection with a wrong password', async () => {
    await expect(connectDevice(deviceA, 'not-the-password')).rejects.toThrow(
      /bad user name or password|not authorized/i,
    );
  });

  it('refuses an anonymous connection', async () => {
    await expect(
      mqtt.connectAsync(env.mqttUrl, {
        protocolVersion: 5,
        reconnectPeriod: 0,
        clientId: uniqueName('anon'),
      }),
    ).rejects.toThrow();
  });
});
