import { TOPICS } from '@terrapulse/contracts';
import { type Consumer, type EachMessagePayload, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnvironment, uniqueName } from '../support/environment.js';

const env = testEnvironment();
const kafka = new Kafka({ clientId: 'tp-test', brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING });
// Each run gets its own topic built from the catalogue entry of telemetry.readings
// (same partitions and configuration), so reading from the beginning sees only this run.
const topic = uniqueName(TOPICS.readings.name);

interface Seen {
  key: string;
  value: string;
  partition: number;
}

/** Starts a consumer that records messages of this run only, and resolves once it has joined its group. */
async function startConsumer(groupId: string, runId: string, seen: Seen[]): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  await consumer.connect();
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message, partition }: EachMessagePayload) => {
      const key = message.key?.toString() ?? '';
      if (key.startsWith(runId)) seen.push({ key, value: message.value?.toString() ?? '', partition });
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
    },
  });
  await joined;
  return consumer;
}

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Kafka (KRaft) through kafkajs', () => {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumers: Consumer[] = [];

  const admin = kafka.admin();

  beforeAll(async () => {
    await admin.connect();
    const spec = TOPICS.readings;
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: spec.partitions,
          configEntries: [
            { name: 'cleanup.policy', value: spec.cleanupPolicy },
            { name: 'retention.ms', value: String(spec.retentionMs) },
          ],
        },
      ],
    });
  });

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.disconnect()));
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates the catalogue topics with their partitions and cleanup policy', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({
        topics: [TOPICS.readings.name, TOPICS.registryDevices.name],
      });
      const byName = new Map(meta.topics.map((t) => [t.name, t.partitions.length]));
      expect(byName.get(TOPICS.readings.name)).toBe(TOPICS.readings.partitions);
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: TOPICS.registryDevices.name, configNames: ['cleanup.policy'] }],
      });
      expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('compact');
    } finally {
      await admin.disconnect();
    }
  });

  it('delivers a keyed batch in key order and resumes a group from its committed offsets', async () => {
    const runId = uniqueName('run');
    const groupId = uniqueName('tp-test-group');
    const keys = ['dev-a', 'dev-b', 'dev-c'].map((k) => `${runId}:${k}`);
    const batch = (round: number) =>
      keys.flatMap((key) => Array.from({ length: 5 }, (_, i) => ({ key, value: `${round}:${i}` })));

    await producer.connect();
    const first: Seen[] = [];
    const consumer1 = await startConsumer(groupId, runId, first);
    await producer.send({ topic, messages: batch(1) });
    await waitFor(() => first.length === 15);

    for (const key of keys) {
      const own = first.filter((m) => m.key === key);
      expect(own.map((m) => m.value)).toEqual(['1:0', '1:1', '1:2', '1:3', '1:4']);
      expect(new Set(own.map((m) => m.partition)).size).toBe(1);
    }
    await consumer1.disconnect();

    await producer.send({ topic, messages: batch(2) });
    const second: Seen[] = [];
    const consumer2 = await startConsumer(groupId, runId, second);
    consumers.push(consumer2);
    // The new member starts where the first one committed: round 2 only, none of round 1 again.
    await waitFor(() => second.length >= 15);
    await new Promise((r) => setTimeout(r, 500));
    expect(second).toHaveLength(15);
    expect(second.every((m) => m.value.startsWith('2:'))).toBe(true);
  });
});
