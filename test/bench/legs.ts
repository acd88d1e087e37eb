import { randomUUID } from 'node:crypto';
import { InfluxDB } from '@influxdata/influxdb-client';
import { DynsecClient } from '@terrapulse/infra-runner';
import { Kafka, logLevel } from 'kafkajs';
import mqtt, { type MqttClient } from 'mqtt';
import type { TestEnvironment } from '../support/environment.js';

/** Throughput of one leg of the pipeline measured alone with plain clients. */
export interface LegFigure {
  readonly leg: 'mqtt' | 'kafka' | 'influxdb';
  readonly messages: number;
  readonly seconds: number;
  readonly rps: number;
  readonly detail: string;
}

const sampleReading = (deviceId: string, i: number): string =>
  JSON.stringify({
    v: 1,
    deviceId,
    readings: [
      { metric: 'energy.active_power', value: 1000 + (i % 500), unit: 'W', ts: 1_764_000_000_000 + i },
    ],
  });

/**
 * MQTT QoS 1 publish -> subscribe through Mosquitto: `publishers` device
 * connections with their own credentials, one subscriber on a shared
 * subscription acking at once.
 */
export async function measureMqttLeg(
  env: TestEnvironment,
  messages: number,
  publishers = 8,
): Promise<LegFigure> {
  const runId = randomUUID().slice(0, 8);
  const dynsec = await DynsecClient.connect(env.mqttUrl, env.mqttAdmin);
  const devices = Array.from({ length: publishers }, (_, i) => `bench-${runId}-${i}`);
  const password = randomUUID();
  for (const d of devices) {
    await dynsec.run({
      command: 'createRole',
      rolename: d,
      acls: [{ acltype: 'publishClientSend', topic: `terrapulse/v1/devices/${d}/up/#`, allow: true }],
    });
    await dynsec.run({ command: 'createClient', username: d, password, roles: [{ rolename: d }] });
  }
  const subscriber = await mqtt.connectAsync(env.mqttUrl, {
    ...env.mqttBridge,
    clientId: `bench-sub-${runId}`,
    protocolVersion: 5,
    reconnectPeriod: 0,
  });
  let received = 0;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((r) => {
    resolveDone = r;
  });
  const mine = `/bench-${runId}-`;
  subscriber.on('message', (topic) => {
    if (!topic.includes(mine)) return;
    received++;
    if (received === messages) resolveDone();
  });
  await subscriber.subscribeAsync(`$share/bench-${runId}/terrapulse/v1/devices/+/up/+`, { qos: 1 });
  const clients: MqttClient[] = await Promise.all(
    devices.map((d) =>
      mqtt.connectAsync(env.mqttUrl, {
        username: d,
        password,
        clientId: d,
        protocolVersion: 5,
        reconnectPeriod: 0,
      }),
    ),
  );
  const started = performance.now();
  await Promise.all(
    clients.map(async (client, c) => {
      const device = devices[c] as string;
      const topic = `terrapulse/v1/devices/${device}/up/json`;
      const share = Math.ceil(messages / publishers);
      const window = 200;
      let inFlight: Array<Promise<unknown>> = [];
      for (let i = c * share; i < Math.min(messages, (c + 1) * share); i++) {
        inFlight.push(client.publishAsync(topic, sampleReading(device, i), { qos: 1 }));
        if (inFlight.length >= window) {
          await Promise.all(inFlight);
          inFlight = [];
        }
      }
      await Promise.all(inFlight);
    }),
  );
  await Promise.race([done, new Promise((r) => setTimeout(r, 120_000))]);
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.endAsync()));
  await subscriber.endAsync();
  for (const d of devices) {
    await dynsec.send({ command: 'deleteClient', username: d });
    await dynsec.send({ command: 'deleteRole', rolename: d });
  }
  await dynsec.close();
  return {
    leg: 'mqtt',
    messages: received,
    seconds,
    rps: received / seconds,
    detail: `${publishers} publishers QoS 1 -> 1 shared subscriber`,
  };
}

/** Kafka produce (acks -1, batches of 1,000) then consume with one group, on a fresh 6-partition topic. */
export async function measureKafkaLeg(env: TestEnvironment, messages: number): Promise<LegFigure> {
  const kafka = new Kafka({ clientId: 'tp-bench', brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topic = `bench.kafka.${randomUUID().slice(0, 8)}`;
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 6 }] });
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  const value = Buffer.from(sampleReading('bench-device-0001', 1));
  const started = performance.now();
  const batch = 1_000;
  const sends: Array<Promise<unknown>> = [];
  for (let i = 0; i < messages; i += batch) {
    const size = Math.min(batch, messages - i);
    sends.push(
      producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: size }, (_, j) => ({ key: `bench-device-${(i + j) % 500}`, value })),
      }),
    );
    if (sends.length >= 5) await Promise.all(sends.splice(0));
  }
  await Promise.all(sends);
  const produced = performance.now();
  const consumer = kafka.consumer({
    groupId: `bench-${randomUUID()}`,
    maxBytesPerPartition: 4 * 1024 * 1024,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let consumed = 0;
  const consumeStarted = performance.now();
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch: b }) => {
        consumed += b.messages.length;
        if (consumed >= messages) resolve();
      },
    });
  });
  const ended = performance.now();
  await consumer.disconnect();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  const produceS = (produced - started) / 1000;
  const consumeS = (ended - consumeStarted) / 1000;
  // A pipeline leg both produces and consumes every record: its capacity is the harmonic sum.
  const seconds = produceS + consumeS;
  return {
    leg: 'kafka',
    messages,
    seconds,
    rps: messages / seconds,
    detail: `produce ${Math.round(messages / produceS)}/s, consume ${Math.round(messages / consumeS)}/s`,
  };
}

/** InfluxDB line-protocol writes through the official client, batches of 5,000 points. */
export async function measureInfluxLeg(env: TestEnvironment, points: number): Promise<LegFigure> {
  const influx = new InfluxDB({ url: env.influxUrl, token: `${env.influxUsername}:${env.influxPassword}` });
  const measurement = `bench_${randomUUID().slice(0, 8)}`;
  const write = influx.getWriteApi('', `${env.influxDatabase}/autogen`, 'ms', {
    batchSize: 5_000,
    flushInterval: 0,
    maxRetries: 0,
    maxBufferLines: 50_000,
  });
  const t0 = Date.now() - 3_600_000;
  const started = performance.now();
  for (let i = 0; i < points; i++) {
    write.writeRecord(
      `${measurement},device=bench-${i % 500},metric=energy.active_power,site=s${i % 20} value=${1000 + (i % 97)} ${t0 + Math.floor(i / 500)}`,
    );
    if (i % 5_000 === 4_999) await write.flush();
  }
  await write.close();
  const seconds = (performance.now() - started) / 1000;
  const auth = Buffer.from(`${env.influxUsername}:${env.influxPassword}`).toString('base64');
  await fetch(`${env.influxUrl}/query?db=${env.influxDatabase}`, {
    method: 'POST',
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ q: `DROP MEASUREMENT "${measurement}"` }),
  });
  return {
    leg: 'influxdb',
    messages: points,
    seconds,
    rps: points / seconds,
    detail: 'line protocol, 5,000 points per request',
  };
}
