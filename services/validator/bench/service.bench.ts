/**
 * The validator service against the real Kafka, on unique topics (raw with 6 partitions, as in the
 * catalogue): preloads telemetry.raw, then times the validator draining it into readings.
 *   npx tsx --conditions=source services/validator/bench/service.bench.ts [--messages 200000] [--format json|senml|mix] [--main path/to/main.js]
 * Runs the built validator (dist/main.js) as its own process and prints readings/s from its first
 * reading out to its last, its CPU time per reading over that span (from /proc), and its peak RSS.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type DeviceRecord,
  deviceUplinkTopic,
  encodeRawHeaders,
  senmlBaseName,
  TOPICS,
  type TopicSpec,
  uplinkContentType,
} from '@terrapulse/contracts';
import { createKafka, kafkajsGroupConsumers, silentLogger } from '@terrapulse/service-kit';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaOutputSink } from '../src/adapters/kafka/kafka-output-sink.js';
import { KafkaRawUplinkSource } from '../src/adapters/kafka/kafka-raw-uplink-source.js';
import { publishDeviceRecords } from '../src/registry-seed.js';
import { deviceRecord } from '../test/fixtures.js';
import { deleteGroupsOf, kafkaBrokers, uniqueName } from '../test/kafka-harness.js';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '200000' },
    format: { type: 'string', default: 'json' },
    concurrency: { type: 'string', default: '3' },
    'send-bytes': { type: 'string', default: '900000' },
    /** Instead of the validator, forward raw bytes through the same Kafka adapters: the client's own cost. */
    floor: { type: 'boolean', default: false },
    /** Node.js flags of the validator process, e.g. --max-semi-space-size=... */
    'node-options': { type: 'string', default: '' },
    /** Node.js flags that NODE_OPTIONS refuses, on the validator's command line, e.g. --cpu-prof */
    'node-args': { type: 'string', default: '' },
    /** Another build of the validator's main.js (an A/B copy of dist/), instead of this package's. */
    main: { type: 'string' },
  },
});
const MESSAGES = Number(args.messages);
const FORMAT = args.format as 'json' | 'senml' | 'mix';
const DEVICES = 1_000;
const RUN = uniqueName('bench');
const topics = {
  raw: `bench.${RUN}.raw`,
  readings: `bench.${RUN}.readings`,
  rejected: `bench.${RUN}.rejected`,
  registry: `bench.${RUN}.registry`,
};
const kafka = new Kafka({
  clientId: `tp-validator-${RUN}`,
  brokers: kafkaBrokers(),
  logLevel: logLevel.NOTHING,
});

const fleet: DeviceRecord[] = Array.from({ length: DEVICES }, (_, i) =>
  i % 2 === 0
    ? deviceRecord({ deviceId: `bench-${i}` })
    : deviceRecord({
        deviceId: `bench-${i}`,
        domain: 'mobility',
        kind: 'traffic_counter',
        metrics: ['mobility.vehicle_count', 'mobility.average_speed'],
      }),
);

/** Returns the message and how many readings it carries. */
function rawMessage(
  i: number,
  now: number,
): { key: string; value: Buffer; headers: Record<string, string>; readings: number } {
  const senml = FORMAT === 'senml' || (FORMAT === 'mix' && i % 10 === 0);
  const deviceId = `bench-${senml ? 2 * (i % (DEVICES / 2)) + 1 : 2 * (i % (DEVICES / 2))}`;
  const classes = ['car', 'van', 'truck', 'bus', 'motorcycle'];
  const payload = senml
    ? [
        {
          bn: senmlBaseName(deviceId),
          bt: Math.floor(now / 1000) - 900,
          n: 'mobility.vehicle_count/car',
          u: 'count',
          v: i % 90,
        },
        ...classes.slice(1).map((c, k) => ({ n: `mobility.vehicle_count/${c}`, v: (i + k) % 20 })),
        { n: 'mobility.average_speed', u: 'km/h', v: 30 + (i % 40) },
      ]
    : {
        v: 1,
        deviceId,
        ts: now - 1000,
        seq: i,
        readings: [{ metric: 'water.flow', value: (i % 100) / 10, unit: 'L/s' }],
      };
  const format = senml ? 'senml' : 'json';
  return {
    key: deviceId,
    value: Buffer.from(JSON.stringify(payload)),
    headers: encodeRawHeaders({
      'tp-mqtt-topic': deviceUplinkTopic(deviceId, format),
      'tp-received-at': now,
      'tp-mqtt-qos': 1,
      'tp-bridge-id': 'bench',
      'tp-content-type': uplinkContentType[format],
    }),
    readings: senml ? 6 : 1,
  };
}

async function createTopics(): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const like = (topic: string, spec: TopicSpec) => ({
    topic,
    numPartitions: spec.partitions,
    replicationFactor: 1,
    configEntries: [
      { name: 'cleanup.policy', value: spec.cleanupPolicy },
      { name: 'retention.ms', value: String(spec.retentionMs) },
    ],
  });
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      like(topics.raw, TOPICS.raw),
      like(topics.readings, TOPICS.readings),
      like(topics.rejected, TOPICS.rejected),
      like(topics.registry, TOPICS.registryDevices),
    ],
  });
  await admin.disconnect();
}

async function preload(): Promise<number> {
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  await publishDeviceRecords(producer, topics.registry, fleet);
  const now = Date.now();
  let readings = 0;
  const started = performance.now();
  for (let start = 0; start < MESSAGES; start += 2_000) {
    const messages = [];
    for (let i = start; i < Math.min(start + 2_000, MESSAGES); i += 1) {
      const { readings: n, ...message } = rawMessage(i, now);
      readings += n;
      messages.push(message);
    }
    await producer.send({ topic: topics.raw, acks: -1, messages });
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `preloaded ${MESSAGES.toLocaleString('en-US')} raw messages at ${Math.round(MESSAGES / seconds).toLocaleString('en-US')} messages/s (kafkajs producer, one client)`,
  );
  await producer.disconnect();
  return readings;
}

async function highWatermarkSum(admin: ReturnType<Kafka['admin']>, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

/** CPU seconds (user + system) and peak RSS of a process, from /proc (Linux). */
async function processUsage(pid: number): Promise<{ cpuSeconds: number; peakRssMiB: number }> {
  const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(stat[11]) + Number(stat[12]); // utime, stime (fields 14 and 15)
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const hwmKiB = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuSeconds: ticks / 100, peakRssMiB: Math.round(hwmKiB / 1024) };
}

/** The built validator as its own process, as in production, so that its CPU and memory are its own. */
function spawnValidator(): ChildProcess {
  const main = args.main ?? fileURLToPath(new URL('../dist/main.js', import.meta.url));
  if (!existsSync(main)) throw new Error('build first: cd services/validator && npx tsc --build');
  const nodeArgs = args['node-args'].split(' ').filter((arg) => arg !== '');
  return spawn(process.execPath, [...nodeArgs, main], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH,
      NODE_OPTIONS: args['node-options'],
      KAFKA_BROKERS: kafkaBrokers().join(','),
      LOG_LEVEL: 'warn',
      OPS_PORT: '0',
      KAFKA_GROUP_ID: `tp-validator-${RUN}`,
      TOPIC_RAW: topics.raw,
      TOPIC_READINGS: topics.readings,
      TOPIC_REJECTED: topics.rejected,
      TOPIC_REGISTRY: topics.registry,
      PARTITIONS_CONSUMED_CONCURRENTLY: String(args.concurrency),
      OUTPUT_MAX_SEND_BYTES: String(args['send-bytes']),
    },
  });
}

/**
 * The Kafka floor, in process: the validator's own source and sink adapters, one send and one
 * commit per batch, but each raw value forwarded as is. What kafkajs alone costs per message.
 */
async function runFloor(expected: number, admin: ReturnType<Kafka['admin']>): Promise<void> {
  const client = createKafka({ brokers: kafkaBrokers(), clientId: `tp-floor-${RUN}`, logger: silentLogger });
  const source = new KafkaRawUplinkSource(kafkajsGroupConsumers(client), {
    topic: topics.raw,
    groupId: `tp-validator-${RUN}`,
    partitionsConsumedConcurrently: Number(args.concurrency),
    logger: silentLogger,
  });
  const sink = new KafkaOutputSink(client);
  await sink.connect();
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  await source.start(async (batch) => {
    const messages = batch.messages.map((m) => ({ key: 'k', value: m.value as Buffer }));
    await sink.send([{ topic: topics.readings, messages }]);
    const lastOffset = batch.messages[batch.messages.length - 1]?.offset;
    if (lastOffset !== undefined) await batch.commit(lastOffset);
  });
  while ((await highWatermarkSum(admin, topics.readings)) < expected) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  await source.stop();
  await sink.close();
  console.log(
    `kafka floor (raw bytes forwarded, same adapters): ${Math.round(expected / seconds).toLocaleString('en-US')} messages/s; ` +
      `${((cpu.user + cpu.system) / expected).toFixed(1)} µs CPU per message`,
  );
}

async function main(): Promise<void> {
  await createTopics();
  const admin = kafka.admin();
  let child: ChildProcess | undefined;
  try {
    const expected = await preload();
    await admin.connect();
    if (args.floor) return await runFloor(MESSAGES, admin);
    child = spawnValidator();
    const pid = child.pid ?? 0;
    let first: { at: number; count: number; cpu: number } | undefined;
    let last = { at: performance.now(), count: 0 };
    while (last.count < expected) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (child.exitCode !== null) throw new Error(`validator exited with ${child.exitCode}`);
      last = { at: performance.now(), count: await highWatermarkSum(admin, topics.readings) };
      if (first === undefined && last.count > 0)
        first = { ...last, cpu: (await processUsage(pid)).cpuSeconds };
    }
    const usage = await processUsage(pid);
    const from = first ?? { ...last, cpu: usage.cpuSeconds };
    const seconds = (last.at - from.at) / 1000;
    const readings = last.count - from.count;
    const cpuSeconds = usage.cpuSeconds - from.cpu;
    console.log(
      `validator (${FORMAT}, ${args.concurrency} partitions at once, sends <= ${args['send-bytes']} B): ` +
        `${readings.toLocaleString('en-US')} readings in ${seconds.toFixed(1)} s = ` +
        `${Math.round(readings / seconds).toLocaleString('en-US')} readings/s; ` +
        `${((cpuSeconds * 1e6) / readings).toFixed(1)} µs CPU per reading (${(cpuSeconds / seconds).toFixed(2)} cores); ` +
        `peak RSS ${usage.peakRssMiB} MiB`,
    );
  } finally {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await admin.disconnect();
    const cleaner = kafka.admin();
    await cleaner.connect();
    await cleaner.deleteTopics({ topics: Object.values(topics) });
    await deleteGroupsOf(cleaner, [`tp-validator-${RUN}`], `tp-validator-${RUN}`);
    await cleaner.disconnect();
  }
}

await main();
