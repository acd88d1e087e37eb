import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLocalEnvironment } from '@terrapulse/infra-runner';
import mqtt, { type MqttClient } from 'mqtt';

/** Connection settings of the local servers (`npm run infra -- up`). */
export function localServers() {
  const vars = readLocalEnvironment();
  const required = (name: string): string => {
    const value = vars[name];
    if (value === undefined || value === '') throw new Error(`local environment lacks ${name}`);
    return value;
  };
  return {
    mqttUrl: required('MQTT_URL'),
    mqttAdmin: { username: required('MQTT_ADMIN_USERNAME'), password: required('MQTT_ADMIN_PASSWORD') },
    mqttBridge: { username: required('MQTT_BRIDGE_USERNAME'), password: required('MQTT_BRIDGE_PASSWORD') },
    kafkaBrokers: required('KAFKA_BROKERS').split(','),
  };
}

/** A short unique token for device prefixes, share groups, topics and group ids. */
export function uniqueToken(): string {
  return randomUUID().slice(0, 8);
}

export async function temporaryFile(name: string): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'tp-simulator-')), name);
}

export interface ReceivedMessage {
  readonly topic: string;
  readonly payload: string;
}

/**
 * A plain subscriber with the bridge's credentials on its own share group: it gets a copy of every
 * uplink whatever other bridges (another engineer's run) consume. Keeps only topics under `prefix`.
 */
export async function subscribeUplinks(
  servers: ReturnType<typeof localServers>,
  prefix: string,
): Promise<{ client: MqttClient; received: ReceivedMessage[] }> {
  const client = await mqtt.connectAsync(servers.mqttUrl, {
    ...servers.mqttBridge,
    clientId: `tp-sim-test-${uniqueToken()}`,
    protocolVersion: 5,
    reconnectPeriod: 0,
  });
  const received: ReceivedMessage[] = [];
  const root = `terrapulse/v1/devices/${prefix}`;
  client.on('message', (topic, payload) => {
    if (topic.startsWith(root)) received.push({ topic, payload: payload.toString('utf8') });
  });
  await client.subscribeAsync(`$share/sim-test-${uniqueToken()}/terrapulse/v1/devices/+/up/+`, { qos: 1 });
  return { client, received };
}

/** Polls until `check` holds or the deadline passes; returns whether it held. */
export async function eventually(check: () => boolean, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}
