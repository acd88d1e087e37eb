/**
 * The influx-writer's own CPU per record, Kafka client excluded.
 *
 *   npx tsx --conditions=source services/influx-writer/bench/pipeline.bench.ts \
 *     [--records 300000] [--aggregates-per-reading 0.75] [--dims-share 0.22] [--sink influx|null]
 *     [--cpu-profile out.cpuprofile]
 *
 * writer.bench.ts measures the whole process, where the Kafka client takes a large and noisy share;
 * this one feeds the WritePipeline chunks of Kafka-like records (UTF-8 JSON Buffers) the way the
 * source does (one pending chunk per partition, the next one after it completes), so what it
 * measures is decoding, line protocol, batching and the HTTP write: the part the writer owns.
 * The record mix follows the pipeline: readings and, per reading, some aggregates of the three
 * windows, a third of them cumulative indexes with `consumption`. A share of the readings (22 %, as
 * in the end-to-end bench's fleet, where traffic counters send one count per vehicle class) carry
 * a dimension; `--dims-share 0` gives the mix of earlier rounds, without any.
 * `--sink null` leaves InfluxDB out (the sink takes the body and answers at once).
 * Points go to a unique measurement prefix (every round writes the same points), dropped at the end.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import type { Aggregate, NormalizedReading } from '@terrapulse/contracts';
import { readLocalEnvironment } from '@terrapulse/infra-runner';
import { silentLogger } from '@terrapulse/service-kit';
import { InfluxPointSink } from '../src/adapters/influxdb/influx-point-sink.js';
import type { Stream } from '../src/domain/encode-record.js';
import { measurementNames } from '../src/domain/line-protocol.js';
import { createWriterMetrics } from '../src/metrics.js';
import type { PointSink } from '../src/ports/point-sink.js';
import type { RecordChunk, SourceRecord } from '../src/ports/record-source.js';
import { WritePipeline } from '../src/write-pipeline.js';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '300000' },
    'aggregates-per-reading': { type: 'string', default: '0.75' },
    'dims-share': { type: 'string', default: '0.22' },
    'chunk-records': { type: 'string', default: '2000' },
    sink: { type: 'string', default: 'influx' },
    rounds: { type: 'string', default: '3' },
    'cpu-profile': { type: 'string' },
  },
});
const TOTAL = Number(args.records);
const AGGREGATES_PER_READING = Number(args['aggregates-per-reading']);
const DIMS_PERCENT = Math.round(Number(args['dims-share']) * 100);
const CHUNK_RECORDS = Number(args['chunk-records']);
const PARTITIONS = 6;
const env = readLocalEnvironment();
const runId = `benchpipe_${randomUUID().slice(0, 8)}`;
const T0 = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 3 * 86_400_000;
const METRICS = [
  { domain: 'water', metric: 'water.flow', kind: 'instantaneous', unit: 'm3/h' },
  { domain: 'energy', metric: 'energy.active_energy_index', kind: 'cumulative_index', unit: 'kWh' },
  { domain: 'mobility', metric: 'mobility.bike_count', kind: 'count_per_interval', unit: 'count' },
] as const;
const VEHICLE_COUNT = {
  domain: 'mobility',
  metric: 'mobility.vehicle_count',
  kind: 'count_per_interval',
  unit: 'count',
} as const;
const VEHICLE_CLASSES = ['car', 'van', 'truck', 'bus', 'motorcycle'] as const;
const WINDOWS = [
  ['15m', 900_000],
  ['1h', 3_600_000],
  ['1d', 86_400_000],
] as const;

/**
 * A fleet of 600 devices on 3 tenants, one reading every 10 s each, some counting vehicles; keys in
 * the order the validator writes them.
 */
function reading(i: number): NormalizedReading {
  const device = i % 600;
  const counter = i % 100 < DIMS_PERCENT;
  const spec = counter ? VEHICLE_COUNT : (METRICS[device % METRICS.length] ?? METRICS[0]);
  const ts = T0 + Math.floor(i / 600) * 10_000;
  return {
    deviceId: `bench-${device}`,
    tenant: `commune-${device % 3}`,
    site: `site-${device % 40}`,
    ...spec,
    value: Math.round(Math.random() * 100_000) / 100,
    ts,
    receivedAt: ts + 150,
    dims: counter
      ? { vehicleClass: VEHICLE_CLASSES[Math.floor(i / 600) % VEHICLE_CLASSES.length] ?? 'car' }
      : {},
  };
}

/** The aggregate the aggregator emits after reading i, for one of the windows. */
function aggregate(i: number, n: number): Aggregate {
  const r = reading(i);
  const [window, size] = WINDOWS[n % WINDOWS.length] ?? WINDOWS[0];
  const windowStart = Math.floor(r.ts / size) * size;
  const count = 1 + (Math.floor(i / 600) % 90);
  const sum = Math.round(r.value * count * 1000) / 1000;
  return {
    deviceId: r.deviceId,
    tenant: r.tenant,
    site: r.site,
    domain: r.domain,
    metric: r.metric,
    kind: r.kind,
    unit: r.unit,
    dims: r.dims,
    window,
    windowStart,
    windowEnd: windowStart + size,
    count,
    sum,
    min: r.value / 2,
    max: r.value,
    mean: sum / count,
    last: r.value,
    lastTs: r.ts,
    timezone: 'Europe/Paris',
    computedAt: r.ts + 1_000,
    // Last, as the aggregator adds it.
    ...(r.kind === 'cumulative_index' && { consumption: Math.round(r.value * 10) / 100 }),
  };
}

/** Kafka-like chunks per partition, with the record mix of the pipeline. */
function buildChunks(): Array<{ stream: Stream; records: SourceRecord[] }> {
  const readings: SourceRecord[] = [];
  const aggregates: SourceRecord[] = [];
  let owed = 0;
  for (let i = 0; readings.length + aggregates.length < TOTAL; i++) {
    const r = reading(i);
    readings.push({ value: Buffer.from(JSON.stringify(r)), offset: String(i) });
    for (owed += AGGREGATES_PER_READING; owed >= 1; owed--) {
      const a = aggregate(i, aggregates.length);
      aggregates.push({ value: Buffer.from(JSON.stringify(a)), offset: String(aggregates.length) });
    }
  }
  const chunks: Array<{ stream: Stream; records: SourceRecord[]; at: number }> = [];
  const split = (stream: Stream, records: SourceRecord[]) => {
    for (let start = 0; start < records.length; start += CHUNK_RECORDS) {
      const at = start / records.length;
      chunks.push({ stream, records: records.slice(start, start + CHUNK_RECORDS), at });
    }
  };
  split('readings', readings);
  split('aggregates', aggregates);
  // Interleave the streams in proportion, as the consumer hands them in.
  return chunks.sort((a, b) => a.at - b.at);
}

class NullSink implements PointSink {
  async write(): Promise<void> {}
  async ping(): Promise<boolean> {
    return true;
  }
  async close(): Promise<void> {}
}

function influxSink(): InfluxPointSink {
  return new InfluxPointSink({
    url: env.INFLUX_URL ?? '',
    token: `${env.INFLUX_USERNAME}:${env.INFLUX_PASSWORD}`,
    bucket: `${env.INFLUX_DATABASE}/autogen`,
    timeoutMs: 60_000,
    maxSockets: 2,
  });
}

/** Feeds every chunk, one pending per partition, and resolves when all are complete. */
async function feed(
  pipeline: WritePipeline,
  chunks: Array<{ stream: Stream; records: SourceRecord[] }>,
): Promise<void> {
  let next = 0;
  let done = 0;
  await new Promise<void>((resolve) => {
    const deliver = (partition: number): void => {
      const spec = chunks[next++];
      if (spec === undefined) return;
      const chunk: RecordChunk = {
        stream: spec.stream,
        topic: `bench.${spec.stream}`,
        partition,
        records: spec.records,
        complete: () => {
          if (++done === chunks.length) resolve();
          // The source resumes the partition and the next fetch returns; do not deliver inline.
          else setImmediate(() => deliver(partition));
        },
      };
      pipeline.accept(chunk);
      // The consumer goes idle when nothing else is fetched: that flushes the open batch.
      if (next >= chunks.length) pipeline.flush();
    };
    for (let partition = 0; partition < PARTITIONS; partition++) deliver(partition);
  });
}

async function round(
  name: string,
  chunks: Array<{ stream: Stream; records: SourceRecord[] }>,
  prefix: string,
): Promise<number> {
  const sink = args.sink === 'null' ? new NullSink() : influxSink();
  const pipeline = new WritePipeline({
    sink,
    metrics: createWriterMetrics(),
    logger: silentLogger,
    options: {
      maxPoints: 5_000,
      maxLingerMs: 250,
      maxInFlight: 2,
      backoff: { initialMs: 200, maxMs: 5_000 },
      names: measurementNames(prefix),
    },
  });
  const records = chunks.reduce((sum, c) => sum + c.records.length, 0);
  const cpu = process.cpuUsage();
  const started = performance.now();
  await feed(pipeline, chunks);
  const used = process.cpuUsage(cpu);
  const elapsed = performance.now() - started;
  await pipeline.drain(10_000);
  await sink.close();
  const micros = (used.user + used.system) / records;
  console.log(
    `${name}: ${records} records in ${(elapsed / 1000).toFixed(2)} s, ` +
      `${micros.toFixed(2)} µs CPU per record (user ${(used.user / records).toFixed(2)}, ` +
      `system ${(used.system / records).toFixed(2)})`,
  );
  return micros;
}

async function dropMeasurements(prefix: string): Promise<void> {
  const query = async (q: string, method = 'GET') => {
    const url = new URL('/query', env.INFLUX_URL);
    url.searchParams.set('db', env.INFLUX_DATABASE ?? 'terrapulse');
    url.searchParams.set('q', q);
    const auth = Buffer.from(`${env.INFLUX_USERNAME}:${env.INFLUX_PASSWORD}`).toString('base64');
    return (await fetch(url, { method, headers: { authorization: `Basic ${auth}` } })).json() as Promise<{
      results?: Array<{ series?: Array<{ values: string[][] }> }>;
    }>;
  };
  const body = await query(`SHOW MEASUREMENTS WITH MEASUREMENT =~ /^${prefix}/`);
  for (const [name] of body.results?.[0]?.series?.[0]?.values ?? []) {
    await query(`DROP MEASUREMENT "${name}"`, 'POST');
  }
}

try {
  const chunks = buildChunks();
  // A warm-up round, so that the measured rounds run optimized code.
  await round('warm-up', chunks.slice(0, Math.ceil(chunks.length / 4)), `${runId}_`);
  const profiler = args['cpu-profile'] === undefined ? undefined : new Session();
  profiler?.connect();
  await profiler?.post('Profiler.enable');
  await profiler?.post('Profiler.start');
  const results: number[] = [];
  for (let n = 1; n <= Number(args.rounds); n++) {
    // Same points again: InfluxDB overwrites them, which keeps the clean-up short.
    results.push(await round(`round ${n}`, chunks, `${runId}_`));
  }
  if (profiler !== undefined && args['cpu-profile'] !== undefined) {
    const { profile } = await profiler.post('Profiler.stop');
    await writeFile(args['cpu-profile'], JSON.stringify(profile));
    profiler.disconnect();
  }
  const sorted = [...results].sort((a, b) => a - b);
  console.log(
    `median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(2)} µs CPU per record (sink ${args.sink})`,
  );
} finally {
  if (args.sink !== 'null') {
    await dropMeasurements(runId).catch((error: unknown) => {
      console.error(`could not drop the measurements ${runId}_*: ${String(error)}`);
    });
  }
}
