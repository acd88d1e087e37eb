import { createServer } from 'node:net';
import { silentLogger } from '@terrapulse/service-kit';
import type { Admin, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InfluxWriter } from '../src/app.js';
import { createWriterMetrics, type WriterMetrics } from '../src/metrics.js';
import { buildInfluxWriter } from '../src/wiring.js';
import { reading } from './fixtures.js';
import { FlakyProxy } from './support/flaky-proxy.js';
import {
  committedOffsets,
  connectProducer,
  createTopics,
  dropMeasurements,
  env,
  eventually,
  fullyCommitted,
  influxQuery,
  jsonMessages,
  kafka,
  metricValue,
  type TestTopics,
  uniqueName,
  writerConfig,
} from './support/servers.js';

const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 86_400_000;
const PER_ROUND = 1_500;

/** A port nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 1;
}

const round = (n: number) =>
  Array.from({ length: PER_ROUND }, (_, i) =>
    reading({ deviceId: `it-out-${i % 30}`, value: n * PER_ROUND + i, ts: T0 + (n * PER_ROUND + i) * 1_000 }),
  );

describe('influx-writer while InfluxDB is down', () => {
  const prefix = uniqueName('it_outage');
  const groupId = uniqueName('tp-influx-writer-outage');
  let admin: Admin;
  let producer: Producer;
  let topics: TestTopics;
  let proxy: FlakyProxy;
  const running: InfluxWriter[] = [];

  const startWriter = async (influxUrl: string, metrics: WriterMetrics): Promise<InfluxWriter> => {
    const config = writerConfig({
      ...topics.env,
      KAFKA_GROUP_ID: groupId,
      KAFKA_CLIENT_ID: groupId,
      INFLUX_URL: influxUrl,
      INFLUX_MEASUREMENT_PREFIX: `${prefix}_`,
      WRITER_MAX_POINTS: '1000',
      WRITER_RETRY_INITIAL_MS: '50',
      WRITER_RETRY_MAX_MS: '300',
      WRITER_STOP_TIMEOUT_MS: '500',
      // The broker's minimum: the wait below outlasts it, so only heartbeats keep the member in.
      KAFKA_SESSION_TIMEOUT_MS: '6000',
    });
    const writer = buildInfluxWriter(config, { logger: silentLogger, metrics });
    running.push(writer);
    await writer.start();
    return writer;
  };

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    topics = await createTopics(admin, prefix);
    producer = await connectProducer();
    proxy = await FlakyProxy.start(new URL(env.INFLUX_URL ?? ''));
  });

  afterAll(async () => {
    for (const writer of running) await writer.stop();
    await proxy?.close();
    await producer?.disconnect();
    await topics?.delete();
    await admin?.disconnect();
    await dropMeasurements(prefix);
  });

  it('commits nothing and stops consuming while InfluxDB refuses connections, then writes everything exactly once when it is back', async () => {
    // Phase 1: InfluxDB's port is closed.
    const metrics = createWriterMetrics();
    const writer = await startWriter(`http://127.0.0.1:${await closedPort()}`, metrics);
    await producer.send({ topic: topics.readings, messages: jsonMessages(round(0)) });

    const pending = await eventually(async () => {
      const consumed = await metricValue(metrics.recordsConsumed, { stream: 'readings' });
      return consumed === PER_ROUND ? metricValue(metrics.pendingPoints) : undefined;
    });
    expect(pending).toBe(PER_ROUND);
    expect(writer.health().status).toBe('degraded');
    expect(await metricValue(metrics.influxUp)).toBe(0);
    expect(await metricValue(metrics.pausedPartitions)).toBe(3);

    // More records arrive while it is down: they stay in Kafka, not in the writer's memory, and
    // the member stays in its group through a wait longer than the session timeout.
    const member = async () => {
      const [group] = (await admin.describeGroups([groupId])).groups;
      return `${group?.state}:${group?.members.map((m) => m.memberId).join(',')}`;
    };
    const memberBefore = await member();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let n = 1; n <= 3; n++)
      await producer.send({ topic: topics.readings, messages: jsonMessages(round(n)) });
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    expect(await member()).toBe(memberBefore);
    expect(memberBefore).toMatch(/^Stable:/);
    expect(await metricValue(metrics.recordsConsumed, { stream: 'readings' })).toBe(PER_ROUND);
    expect(await metricValue(metrics.pendingPoints)).toBe(PER_ROUND);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
    expect(await metricValue(metrics.writeRetries)).toBeGreaterThan(3);
    expect(await committedOffsets(admin, groupId, topics.readings)).toEqual([-1, -1, -1]);
    expect(await influxQuery(`SELECT count("value") FROM "${prefix}_reading"`)).toEqual([]);

    // Stopping hands the unwritten records back to Kafka.
    await writer.stop();
    expect(await committedOffsets(admin, groupId, topics.readings)).toEqual([-1, -1, -1]);

    // Phase 2: a new instance behind a proxy that resets every connection, then lets them through.
    proxy.down();
    const recovered = createWriterMetrics();
    const next = await startWriter(proxy.url, recovered);
    await eventually(async () => ((await metricValue(recovered.writeRetries)) > 0 ? true : undefined));
    expect(next.health().status).toBe('degraded');
    expect(await committedOffsets(admin, groupId, topics.readings)).toEqual([-1, -1, -1]);
    proxy.up();

    await eventually(
      async () => ((await fullyCommitted(admin, groupId, topics.readings)) ? true : undefined),
      45_000,
    );
    const [counted] = await influxQuery(`SELECT count("value"), sum("value") FROM "${prefix}_reading"`);
    const total = 4 * PER_ROUND;
    expect(counted?.values[0]?.slice(1)).toEqual([total, (total * (total - 1)) / 2]);
    expect(next.health().status).toBe('ok');
    expect(await metricValue(recovered.influxUp)).toBe(1);
    expect(await metricValue(recovered.pendingPoints)).toBe(0);
  });
});
