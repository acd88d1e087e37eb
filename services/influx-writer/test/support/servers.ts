import { randomUUID } from 'node:crypto';
import { TOPICS } from '@terrapulse/contracts';
import { readLocalEnvironment } from '@terrapulse/infra-runner';
import { type Admin, Kafka, logLevel, type Message, type Producer } from 'kafkajs';
import { type InfluxWriterConfig, loadConfig } from '../../src/config.js';

/** Connection settings of the servers the native runner started (`npm run infra -- up`). */
export const env = readLocalEnvironment();

/** A name no other test or run uses; InfluxDB measurement-safe (letters, digits, underscores). */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomUUID().slice(0, 8)}`;
}

/** The writer's configuration against the local servers, with test-specific overrides. */
export function writerConfig(overrides: Record<string, string>): InfluxWriterConfig {
  return loadConfig({ ...env, LOG_LEVEL: 'warn', OPS_PORT: '0', ...overrides });
}

export const kafka = new Kafka({
  clientId: uniqueName('tp-writer-test'),
  brokers: (env.KAFKA_BROKERS ?? '').split(','),
  logLevel: logLevel.NOTHING,
});

export interface TestTopics {
  readonly readings: string;
  readonly aggregates: string;
  readonly rejected: string;
  /** The writer's environment naming these topics. */
  readonly env: Record<string, string>;
  delete(): Promise<void>;
}

/** Fresh topics for one test, 3 partitions each, configured like their catalogue entries. */
export async function createTopics(admin: Admin, runId: string): Promise<TestTopics> {
  const specs = { readings: TOPICS.readings, aggregates: TOPICS.aggregates, rejected: TOPICS.rejected };
  const names = {
    readings: `${runId}.readings`,
    aggregates: `${runId}.aggregates`,
    rejected: `${runId}.rejected`,
  };
  await admin.createTopics({
    waitForLeaders: true,
    topics: Object.entries(specs).map(([id, spec]) => ({
      topic: names[id as keyof typeof names],
      numPartitions: 3,
      replicationFactor: 1,
      configEntries: [
        { name: 'retention.ms', value: String(spec.retentionMs) },
        { name: 'cleanup.policy', value: spec.cleanupPolicy },
      ],
    })),
  });
  return {
    ...names,
    env: {
      TOPIC_READINGS: names.readings,
      TOPIC_AGGREGATES: names.aggregates,
      TOPIC_REJECTED: names.rejected,
    },
    delete: () => admin.deleteTopics({ topics: Object.values(names) }),
  };
}

export async function connectProducer(): Promise<Producer> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  return producer;
}

/** JSON records keyed by device, as the validator and the aggregator produce them. */
export function jsonMessages(records: ReadonlyArray<object>): Message[] {
  return records.map((record) => {
    const { deviceId, deviceIdHint } = record as { deviceId?: string; deviceIdHint?: string };
    return { key: deviceId ?? deviceIdHint ?? 'unknown', value: JSON.stringify(record) };
  });
}

/** Committed offset of each partition of a topic for a group (-1 when none). */
export async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<number[]> {
  const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const partitions = [...(result?.partitions ?? [])].sort((a, b) => a.partition - b.partition);
  return partitions.map((p) => Number(p.offset));
}

/** True when the group committed every record of the topic (partitions never written count as done). */
export async function fullyCommitted(admin: Admin, groupId: string, topic: string): Promise<boolean> {
  const ends = await endOffsets(admin, topic);
  const committed = await committedOffsets(admin, groupId, topic);
  return ends.every((end, i) => end === 0 || committed[i] === end);
}

/** End offset of each partition of a topic. */
export async function endOffsets(admin: Admin, topic: string): Promise<number[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return [...offsets].sort((a, b) => a.partition - b.partition).map((p) => Number(p.high));
}

/** One series of an InfluxQL result. */
export interface InfluxSeries {
  readonly name: string;
  readonly tags?: Record<string, string>;
  readonly columns: string[];
  readonly values: unknown[][];
}

/** Runs InfluxQL through /query (the API dashboards use), times in epoch ms. */
export async function influxQuery(q: string, method: 'GET' | 'POST' = 'GET'): Promise<InfluxSeries[]> {
  const url = new URL('/query', env.INFLUX_URL);
  url.searchParams.set('db', env.INFLUX_DATABASE ?? 'terrapulse');
  url.searchParams.set('q', q);
  url.searchParams.set('epoch', 'ms');
  const auth = Buffer.from(`${env.INFLUX_USERNAME}:${env.INFLUX_PASSWORD}`).toString('base64');
  const response = await fetch(url, { method, headers: { authorization: `Basic ${auth}` } });
  const body = (await response.json()) as {
    results?: Array<{ series?: InfluxSeries[]; error?: string }>;
    error?: string;
  };
  const error = body.error ?? body.results?.[0]?.error;
  if (!response.ok || error) throw new Error(`InfluxQL "${q}" failed (${response.status}): ${error ?? ''}`);
  return body.results?.[0]?.series ?? [];
}

/** Drops the measurements a test wrote under its prefix. */
export async function dropMeasurements(prefix: string): Promise<void> {
  const series = await influxQuery(`SHOW MEASUREMENTS WITH MEASUREMENT =~ /^${prefix}/`);
  for (const [name] of series[0]?.values ?? [])
    await influxQuery(`DROP MEASUREMENT "${String(name)}"`, 'POST');
}

/** Polls until `check` returns a value that is not undefined, or fails after the deadline. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms ${String(last ?? '')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The value of a counter or gauge for the given labels, summed over the rest. */
export async function metricValue(
  metric: {
    get(): Promise<{ values: Array<{ value: number; labels: Partial<Record<string, string | number>> }> }>;
  },
  labels: Record<string, string> = {},
): Promise<number> {
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    .reduce((sum, v) => sum + v.value, 0);
}
