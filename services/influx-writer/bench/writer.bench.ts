/**
 * Throughput of the influx-writer against the local servers (`npm run infra -- up`).
 *
 *   npx tsx --conditions=source services/influx-writer/bench/writer.bench.ts [--readings 200000] [--json]
 *
 * (a) plain line-protocol writes through the official client's transport straight to InfluxDB,
 *     sequential and two at a time, at a few batch sizes: the ceiling of the InfluxDB leg;
 * (b) the writer consuming N readings pre-produced to a fresh 6-partition topic, from start to
 *     the last point accepted and its offset committed, with the CPU it used per reading;
 * and the ratio b / best a. Everything goes to a unique measurement prefix and topic, deleted at
 * the end, so it can run next to other engineers' tests.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { type NormalizedReading, TOPICS } from '@terrapulse/contracts';
import { readLocalEnvironment } from '@terrapulse/infra-runner';
import { createJsonLogger } from '@terrapulse/service-kit';
import { Kafka, logLevel } from 'kafkajs';
import { InfluxPointSink } from '../src/adapters/influxdb/influx-point-sink.js';
import { loadConfig } from '../src/config.js';
import { measurementNames, readingLine } from '../src/domain/line-protocol.js';
import { RecordEncoder } from '../src/domain/record-encoder.js';
import { LineBatch } from '../src/line-batch.js';
import { createWriterMetrics } from '../src/metrics.js';
import { buildInfluxWriter } from '../src/wiring.js';

const { values: args } = parseArgs({
  options: {
    readings: { type: 'string', default: '200000' },
    json: { type: 'boolean', default: false },
    /** Writes a V8 CPU profile of phase (b) only, for Chrome DevTools or speedscope. */
    'cpu-profile': { type: 'string' },
  },
});
const N = Number(args.readings);
const env = readLocalEnvironment();
const runId = `bench_${randomUUID().slice(0, 8)}`;
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 86_400_000;
const METRICS = [
  { domain: 'water', metric: 'water.flow', kind: 'instantaneous', unit: 'm3/h' },
  { domain: 'energy', metric: 'energy.active_power', kind: 'instantaneous', unit: 'W' },
  { domain: 'mobility', metric: 'mobility.bike_count', kind: 'count_per_interval', unit: 'count' },
] as const;

/**
 * A fleet of 600 devices on 3 tenants, one reading every 10 s each, as the simulator sends them;
 * keys in the order the validator writes them.
 */
function benchReading(i: number): NormalizedReading {
  const device = i % 600;
  const spec = METRICS[device % METRICS.length] ?? METRICS[0];
  const ts = T0 + Math.floor(i / 600) * 10_000;
  return {
    deviceId: `bench-${device}`,
    tenant: `commune-${device % 3}`,
    site: `site-${device % 40}`,
    ...spec,
    value: Math.round(Math.random() * 1000) / 10,
    ts,
    receivedAt: ts + 150,
    dims: {},
  };
}

const log = (line: string) => {
  if (!args.json) console.log(line);
};
const rate = (points: number, ms: number) => Math.round((points / ms) * 1000);

async function influxQuery(q: string, method = 'GET'): Promise<unknown> {
  const url = new URL('/query', env.INFLUX_URL);
  url.searchParams.set('db', env.INFLUX_DATABASE ?? 'terrapulse');
  url.searchParams.set('q', q);
  const auth = Buffer.from(`${env.INFLUX_USERNAME}:${env.INFLUX_PASSWORD}`).toString('base64');
  const response = await fetch(url, { method, headers: { authorization: `Basic ${auth}` } });
  return response.json();
}

async function dropMeasurements(prefix: string): Promise<void> {
  const body = (await influxQuery(`SHOW MEASUREMENTS WITH MEASUREMENT =~ /^${prefix}/`)) as {
    results?: Array<{ series?: Array<{ values: string[][] }> }>;
  };
  for (const [name] of body.results?.[0]?.series?.[0]?.values ?? []) {
    await influxQuery(`DROP MEASUREMENT "${name}"`, 'POST');
  }
}

/** (a) The InfluxDB leg alone: the same lines the writer would send, no Kafka, no decoding. */
async function plainWrites(): Promise<
  Array<{ batch: number; concurrency: number; pointsPerSecond: number }>
> {
  const sink = new InfluxPointSink({
    url: env.INFLUX_URL ?? '',
    token: `${env.INFLUX_USERNAME}:${env.INFLUX_PASSWORD}`,
    bucket: `${env.INFLUX_DATABASE}/autogen`,
    timeoutMs: 60_000,
  });
  const results = [];
  const points = Math.min(N, 100_000);
  let offset = 0;
  for (const [batch, concurrency] of [
    [1_000, 1],
    [5_000, 1],
    [10_000, 1],
    [5_000, 2],
  ] as const) {
    const names = measurementNames(`${runId}_plain_${batch}_${concurrency}_`);
    const bodies: string[] = [];
    for (let start = 0; start < points; start += batch) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(points, start + batch); i++) {
        const line = readingLine(benchReading(offset + i), names);
        if (line.ok) lines.push(line.line);
      }
      bodies.push(lines.join('\n'));
    }
    offset += points;
    const started = performance.now();
    let next = 0;
    const lane = async () => {
      while (next < bodies.length) await sink.write(bodies[next++] ?? '');
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    const pointsPerSecond = rate(points, performance.now() - started);
    results.push({ batch, concurrency, pointsPerSecond });
    log(`(a) plain writes, batch ${batch}, ${concurrency} in flight: ${pointsPerSecond} points/s`);
  }
  await sink.close();
  return results;
}

/**
 * Encoding alone (record value -> line in a batch of 5,000, as the writer does it), per record,
 * in this process.
 */
function encodeCost(): number {
  const encoder = new RecordEncoder(measurementNames('x_'));
  const records = Array.from({ length: 50_000 }, (_, i) => Buffer.from(JSON.stringify(benchReading(i))));
  const encodeAll = (values: readonly Buffer[]) => {
    let batch = new LineBatch();
    for (const value of values) {
      encoder.encodeInto('readings', value, batch);
      if (batch.size === 5_000) {
        batch.release(); // as the writer does once a batch is written
        batch = new LineBatch();
      }
    }
    batch.release();
  };
  encodeAll(records.slice(0, 5_000));
  const started = performance.now();
  encodeAll(records);
  const micros = ((performance.now() - started) * 1000) / records.length;
  log(`    encoding: ${micros.toFixed(2)} µs per reading (UTF-8 decoding + checks + line protocol)`);
  return micros;
}

/** (b) The writer: N readings waiting in Kafka, from start to the last offset committed. */
async function writerRun(): Promise<{
  pointsPerSecond: number;
  steadyPointsPerSecond: number;
  cpuMicrosPerReading: number;
  seconds: number;
}> {
  const kafka = new Kafka({
    clientId: runId,
    brokers: (env.KAFKA_BROKERS ?? '').split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const topic = `${runId}.readings`;
  const spec = TOPICS.readings;
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic,
        numPartitions: spec.partitions,
        replicationFactor: 1,
        configEntries: [
          { name: 'retention.ms', value: String(spec.retentionMs) },
          { name: 'cleanup.policy', value: spec.cleanupPolicy },
        ],
      },
    ],
  });
  try {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let start = 0; start < N; start += 10_000) {
      const messages = [];
      for (let i = start; i < Math.min(N, start + 10_000); i++) {
        const r = benchReading(i);
        messages.push({ key: r.deviceId, value: JSON.stringify(r) });
      }
      await producer.send({ topic, messages });
    }
    await producer.disconnect();
    log(`(b) ${N} readings produced to ${topic}`);

    const groupId = `${runId}-writer`;
    const config = loadConfig({
      ...env,
      TOPIC_READINGS: topic,
      TOPIC_AGGREGATES: `${runId}.none`,
      TOPIC_REJECTED: `${runId}.none`,
      KAFKA_GROUP_ID: groupId,
      KAFKA_CLIENT_ID: groupId,
      INFLUX_MEASUREMENT_PREFIX: `${runId}_writer_`,
      LOG_LEVEL: 'warn',
      // WRITER_* and KAFKA_MAX_* from the shell tune the run, e.g. WRITER_MAX_IN_FLIGHT=4.
      ...Object.fromEntries(
        Object.entries(process.env).filter(([name]) => /^(WRITER_|KAFKA_MAX_)/.test(name)),
      ),
    });
    await admin.createTopics({
      topics: [{ topic: `${runId}.none`, numPartitions: 1, replicationFactor: 1 }],
    });
    const metrics = createWriterMetrics();
    const writer = buildInfluxWriter(config, {
      logger: createJsonLogger({ service: 'influx-writer-bench', level: 'warn' }),
      metrics,
    });
    const profiler = args['cpu-profile'] === undefined ? undefined : new Session();
    profiler?.connect();
    await profiler?.post('Profiler.enable');
    await profiler?.post('Profiler.start');
    const cpu = process.cpuUsage();
    const started = performance.now();
    await writer.start();
    const written = async () => (await metrics.pointsWritten.get()).values.reduce((s, v) => s + v.value, 0);
    const consumed = async () =>
      (await metrics.recordsConsumed.get()).values.reduce((s, v) => s + v.value, 0);
    while ((await consumed()) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const firstRecord = performance.now();
    while ((await written()) < N) await new Promise((resolve) => setTimeout(resolve, 20));
    const elapsed = performance.now() - started;
    const steady = performance.now() - firstRecord;
    const used = process.cpuUsage(cpu);
    if (profiler !== undefined && args['cpu-profile'] !== undefined) {
      const { profile } = await profiler.post('Profiler.stop');
      await writeFile(args['cpu-profile'], JSON.stringify(profile));
      profiler.disconnect();
    }
    await writer.stop();
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committed = (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    if (committed !== N) throw new Error(`committed ${committed} offsets, expected ${N}`);
    const cpuMicrosPerReading = (used.user + used.system) / N;
    const pointsPerSecond = rate(N, elapsed);
    const steadyPointsPerSecond = rate(N, steady);
    log(
      `(b) writer: ${N} readings in ${(elapsed / 1000).toFixed(2)} s from start() = ${pointsPerSecond} points/s; ` +
        `${steadyPointsPerSecond} points/s from the first record (group join excluded)`,
    );
    log(
      `    ${cpuMicrosPerReading.toFixed(1)} µs CPU per reading in the writer process (Kafka client included)`,
    );
    return { pointsPerSecond, steadyPointsPerSecond, cpuMicrosPerReading, seconds: elapsed / 1000 };
  } finally {
    await admin.deleteTopics({ topics: [topic, `${runId}.none`] }).catch(() => undefined);
    await admin.disconnect();
  }
}

try {
  const plain = await plainWrites();
  const encodeMicros = encodeCost();
  const writer = await writerRun();
  const best = Math.max(...plain.map((p) => p.pointsPerSecond));
  // Both sides without connection setup: (a) has none, (b) is taken from its first record.
  const ratio = writer.steadyPointsPerSecond / best;
  log(`ratio b (from the first record) / best a = ${ratio.toFixed(2)}`);
  if (args.json) {
    console.log(JSON.stringify({ readings: N, plain, encodeMicrosPerReading: encodeMicros, writer, ratio }));
  }
} finally {
  await dropMeasurements(runId);
}
