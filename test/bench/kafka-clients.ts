import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Consumer as PltConsumer, Producer as PltProducer, ProduceAcks } from '@platformatic/kafka';
import { LeanKafkaSink } from '@terrapulse/mqtt-bridge';
import { LeanConsumer, silentLogger } from '@terrapulse/service-kit';
import { Kafka, logLevel } from 'kafkajs';
import { testEnvironment } from '../support/environment.js';

/**
 * kafkajs against @platformatic/kafka on the same broker, topic shape and records, in one run:
 * produce (idempotent, acks = all, batches of `--batch`) and consume in a fresh group (eachBatch
 * for kafkajs, the message stream for platformatic), each client in turn, `--rounds` times in
 * alternating order so that the machine's noise hits both. Figures: records/s and the client's
 * own CPU (user + system of this process) per record; the broker runs in another process.
 * The bridge's produce-only LeanKafkaSink is measured too, as a third producer, and service-kit's
 * LeanConsumer reading what it wrote, as a third consumer.
 *
 *   npx tsx --conditions=source test/bench/kafka-clients.ts --messages 100000 --rounds 2
 */
const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '2' },
    batch: { type: 'string', default: '1000' },
    /** Sends awaited together; platformatic's idempotent producer needs 1 (see the report). */
    'in-flight': { type: 'string', default: '1' },
    partitions: { type: 'string', default: '6' },
    json: { type: 'boolean', default: false },
  },
});
const messages = Number(values.messages);
const batchSize = Number(values.batch);
const inFlight = Number(values['in-flight']);
const partitions = Number(values.partitions);
const env = testEnvironment();

interface Figure {
  readonly client: 'kafkajs' | 'platformatic' | 'lean-sink' | 'lean';
  readonly op: 'produce' | 'consume';
  readonly rps: number;
  readonly cpuUsPerMsg: number;
}

/** A record as the bridge writes it to telemetry.raw: JSON payload, six MQTT headers, device key. */
function rawRecord(i: number) {
  const deviceId = `bench-device-${(i % 500).toString().padStart(4, '0')}`;
  const value = Buffer.from(
    JSON.stringify({
      v: 1,
      deviceId,
      readings: [
        { metric: 'energy.active_power', value: 1000 + (i % 500), unit: 'W', ts: 1_764_000_000_000 + i },
      ],
    }),
  );
  const headers: Record<string, string> = {
    'tp-mqtt-topic': `terrapulse/v1/devices/${deviceId}/up/json`,
    'tp-received-at': String(1_764_000_000_000 + i),
    'tp-mqtt-qos': '1',
    'tp-mqtt-retain': 'false',
    'tp-bridge-id': 'bench-bridge-1',
    'tp-content-type': 'application/json',
  };
  return { key: deviceId, value, headers };
}
const records = Array.from({ length: 2_000 }, (_, i) => rawRecord(i));
const recordAt = (i: number) => records[i % records.length] as ReturnType<typeof rawRecord>;
const pltHeaders = records.map(
  (r) => new Map(Object.entries(r.headers).map(([k, v]) => [Buffer.from(k), Buffer.from(v)])),
);

async function measure(
  client: Figure['client'],
  op: Figure['op'],
  run: () => Promise<void>,
): Promise<Figure> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { client, op, rps: messages / seconds, cpuUsPerMsg: (used.user + used.system) / messages };
}

const kafka = new Kafka({
  clientId: 'tp-bench-clients',
  brokers: env.kafkaBrokers,
  logLevel: logLevel.NOTHING,
});
const admin = kafka.admin();
await admin.connect();

async function freshTopic(): Promise<string> {
  const topic = `bench.clients.${randomUUID().slice(0, 8)}`;
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions }] });
  return topic;
}

async function produceKafkajs(topic: string): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const sends: Array<Promise<unknown>> = [];
  for (let i = 0; i < messages; i += batchSize) {
    const size = Math.min(batchSize, messages - i);
    sends.push(
      producer.send({ topic, acks: -1, messages: Array.from({ length: size }, (_, j) => recordAt(i + j)) }),
    );
    if (sends.length >= inFlight) await Promise.all(sends.splice(0));
  }
  await Promise.all(sends);
  await producer.disconnect();
}

async function producePlatformatic(topic: string): Promise<void> {
  const producer = new PltProducer({
    clientId: 'tp-bench-clients',
    bootstrapBrokers: env.kafkaBrokers,
    idempotent: true,
    acks: ProduceAcks.ALL,
  });
  const sends: Array<Promise<unknown>> = [];
  for (let i = 0; i < messages; i += batchSize) {
    const size = Math.min(batchSize, messages - i);
    const batch = Array.from({ length: size }, (_, j) => {
      const r = recordAt(i + j);
      return {
        topic,
        key: Buffer.from(r.key),
        value: r.value,
        headers: pltHeaders[(i + j) % records.length] as Map<Buffer, Buffer>,
      };
    });
    sends.push(producer.send({ messages: batch }));
    if (sends.length >= inFlight) await Promise.all(sends.splice(0));
  }
  await Promise.all(sends);
  await producer.close();
}

async function produceLean(topic: string): Promise<void> {
  const sink = new LeanKafkaSink({
    brokers: env.kafkaBrokers,
    clientId: 'tp-bench-clients',
    topic,
    logger: silentLogger,
  });
  await sink.connect();
  // One send at a time: the sink's idempotence wants a failed batch resent as it was.
  for (let i = 0; i < messages; i += batchSize) {
    const size = Math.min(batchSize, messages - i);
    await sink.send(Array.from({ length: size }, (_, j) => recordAt(i + j)));
  }
  await sink.close();
}

/** Both consumers touch the value and one header, as the validator's first step does. */
let checksum = 0;

async function consumeKafkajs(topic: string): Promise<void> {
  const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}`, maxWaitTimeInMs: 1_000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let consumed = 0;
  await new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages)
          checksum += (m.value?.length ?? 0) + (m.headers?.['tp-mqtt-qos'] ? 1 : 0);
        consumed += batch.messages.length;
        if (consumed >= messages) resolve();
      },
    });
  });
  await consumer.disconnect();
}

async function consumePlatformatic(topic: string): Promise<void> {
  const consumer = new PltConsumer({
    clientId: 'tp-bench-clients',
    groupId: `bench-${randomUUID()}`,
    bootstrapBrokers: env.kafkaBrokers,
    maxWaitTime: 1_000,
  });
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
  let consumed = 0;
  const qos = Buffer.from('tp-mqtt-qos');
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('data', (m) => {
      let hasQos = 0;
      for (const k of m.headers.keys()) if (k.equals(qos)) hasQos = 1;
      checksum += m.value.length + hasQos;
      consumed++;
      if (consumed >= messages) resolve();
    });
  });
  await stream.close();
  await consumer.close();
}

async function consumeLean(topic: string): Promise<void> {
  const consumer = new LeanConsumer({
    brokers: env.kafkaBrokers,
    clientId: 'tp-bench-clients',
    groupId: `bench-${randomUUID()}`,
    logger: silentLogger,
    maxWaitTimeInMs: 1_000,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let consumed = 0;
  await new Promise<void>((resolve) => {
    void consumer.run({
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({ batch, resolveOffset }) => {
        for (const m of batch.messages)
          checksum += (m.value?.length ?? 0) + (m.headers['tp-mqtt-qos'] ? 1 : 0);
        consumed += batch.messages.length;
        resolveOffset(batch.lastOffset());
        if (consumed >= messages) resolve();
      },
    });
  });
  await consumer.disconnect();
}

const figures: Figure[] = [];
const log = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);
const topics: string[] = [];
const report = (round: number, f: Figure): void => {
  figures.push(f);
  log(
    `round ${round + 1} ${f.client.padEnd(12)} ${f.op.padEnd(7)} ${Math.round(f.rps).toString().padStart(7)} /s  ${f.cpuUsPerMsg.toFixed(1).padStart(5)} us CPU/msg`,
  );
};
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    const order =
      round % 2 === 0 ? (['kafkajs', 'platformatic'] as const) : (['platformatic', 'kafkajs'] as const);
    for (const client of order) {
      const topic = await freshTopic();
      topics.push(topic);
      const produce = client === 'kafkajs' ? produceKafkajs : producePlatformatic;
      const consume = client === 'kafkajs' ? consumeKafkajs : consumePlatformatic;
      for (const f of [
        await measure(client, 'produce', () => produce(topic)),
        await measure(client, 'consume', () => consume(topic)),
      ]) {
        report(round, f);
      }
    }
    const topic = await freshTopic();
    topics.push(topic);
    report(round, await measure('lean-sink', 'produce', () => produceLean(topic)));
    report(round, await measure('lean', 'consume', () => consumeLean(topic)));
  }
} finally {
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
}
const summary: Record<string, { rps: number[]; cpuUsPerMsg: number[] }> = {};
for (const f of figures) {
  const key = `${f.client} ${f.op}`;
  const s = summary[key] ?? { rps: [], cpuUsPerMsg: [] };
  summary[key] = s;
  s.rps.push(Math.round(f.rps));
  s.cpuUsPerMsg.push(Number(f.cpuUsPerMsg.toFixed(1)));
}
if (values.json)
  process.stdout.write(`${JSON.stringify({ messages, batchSize, partitions, summary, checksum })}\n`);
else
  for (const [k, s] of Object.entries(summary))
    log(`${k.padEnd(22)} ${s.rps.join(', ')} /s; ${s.cpuUsPerMsg.join(', ')} us CPU/msg`);
