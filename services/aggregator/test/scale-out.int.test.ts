import { isDeepStrictEqual } from 'node:util';
import { silentLogger } from '@terrapulse/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Aggregator, createKafkaAggregator, loadConfig } from '../src/index.js';
import { ALLOWED_LATENESS_MS, dstDataset, MINUTE, reading, TIME_ZONE } from './dst-dataset.js';
import { expectedAggregates, withoutComputedAt } from './expected-aggregates.js';
import { KafkaHarness, latestByWindow, serviceEnvironment, uniqueName, waitUntil } from './kafka-harness.js';

/** The DST dataset evenly interleaved with 30 more power meters, so every partition gets records in both halves. */
const spread = Array.from({ length: 8 }, (_, i) =>
  Array.from({ length: 30 }, (_, d) =>
    reading(
      `pm-${d}`,
      'energy.active_power',
      Date.parse('2026-10-25T00:00:00Z') + i * 7 * MINUTE,
      d * 10 + i,
    ),
  ),
).flat();
const dst = dstDataset();
const dataset = [
  ...dst.map((r, i) => ({ r, at: i / dst.length })),
  ...spread.map((r, i) => ({ r, at: i / spread.length })),
]
  .sort((a, b) => a.at - b.at)
  .map(({ r }) => r);
const expected = expectedAggregates(dataset, TIME_ZONE, ALLOWED_LATENESS_MS);

async function processed(app: Aggregator): Promise<number> {
  const { values } = await app.metrics.readings.get();
  return values.reduce((sum, v) => sum + v.value, 0);
}

describe('aggregator instances side by side', () => {
  const harness = new KafkaHarness();
  beforeAll(() => harness.connect());
  afterAll(() => harness.close());

  it('a second instance joining mid-stream, then leaving, splits the work and changes no result', async () => {
    const topics = await harness.createTopics(6);
    const groupId = uniqueName('tp-aggregator-pair');
    const env = serviceEnvironment(topics, groupId, {
      AGGREGATOR_IDLE_TIMEOUT_MS: String(10 * 365 * 86_400_000),
    });
    const out = await harness.readAggregates(topics.aggregates);
    const half = Math.floor(dataset.length / 2);

    const first = createKafkaAggregator(loadConfig(env), silentLogger);
    const second = createKafkaAggregator(
      loadConfig({ ...env, KAFKA_CLIENT_ID: `${groupId}-b` }),
      silentLogger,
    );
    try {
      await harness.produce(topics.readings, dataset.slice(0, half));
      const halfway = await harness.admin.fetchTopicOffsets(topics.readings);
      await first.start();
      await waitUntil(
        'the first half to be committed',
        async () => (await harness.committed(groupId, topics.readings)) === half,
      );

      // The partitions are shared out again: each restores the checkpoints of those it gets.
      await second.start();
      await waitUntil('both instances to own partitions', () =>
        [first, second].every((app) => (app.health().checks.restoredPartitions as number[]).length > 0),
      );
      await harness.produce(topics.readings, dataset.slice(half));
      const end = await harness.admin.fetchTopicOffsets(topics.readings);
      // Every partition, whoever owns it now, gets records after the rebalance.
      expect(
        end.every((p) => Number(p.high) > Number(halfway.find((h) => h.partition === p.partition)?.high)),
      ).toBe(true);
      await waitUntil(
        'everything to be committed',
        async () => (await harness.committed(groupId, topics.readings)) === dataset.length,
      );
      expect(await processed(second)).toBeGreaterThan(0);
      await second.stop();

      const latest = () => new Map([...latestByWindow(out)].map(([key, a]) => [key, withoutComputedAt(a)]));
      await waitUntil('the aggregates to match', () => isDeepStrictEqual(latest(), expected.aggregates));
      expect(latest()).toEqual(expected.aggregates);
      await waitUntil(
        'the first instance to own every partition again',
        () => (first.health().checks.assignedPartitions as number[]).length === 6,
      );
    } finally {
      await second.stop();
      await first.stop();
    }
  });
});
