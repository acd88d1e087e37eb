import { randomUUID } from 'node:crypto';
import { readLocalEnvironment } from '@terrapulse/infra-runner';
import { type Admin, type Consumer, Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LeanMessage, LeanProducer, silentLogger } from '../src/index.js';

const brokers = (readLocalEnvironment().KAFKA_BROKERS ?? '').split(',');
const kafka = new Kafka({ brokers, clientId: 'it-lean-producer', logLevel: logLevel.NOTHING });
let admin: Admin;
const topics: string[] = [];
const consumers: Consumer[] = [];
const producers: LeanProducer[] = [];

interface Seen {
  readonly topic: string;
  readonly partition: number;
  readonly key: string;
  readonly value: string;
}

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await Promise.all(producers.map((producer) => producer.close()));
  await Promise.all(consumers.map((consumer) => consumer.disconnect()));
  await admin?.deleteTopics({ topics }).catch(() => undefined);
  await admin?.disconnect();
});

async function eventually(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Fresh topics of 3 partitions and everything written to them, as kafkajs reads it. */
async function topicsWithReader(count: number): Promise<{ names: string[]; seen: Seen[] }> {
  const names = Array.from({ length: count }, () => `it-lean-producer-${randomUUID().slice(0, 8)}`);
  topics.push(...names);
  await admin.createTopics({
    waitForLeaders: true,
    topics: names.map((topic) => ({ topic, numPartitions: 3 })),
  });
  const seen: Seen[] = [];
  const consumer = kafka.consumer({
    groupId: `it-lean-producer-${randomUUID().slice(0, 8)}`,
    maxWaitTimeInMs: 100,
  });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topics: names, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      seen.push({ topic, partition, key: String(message.key), value: String(message.value) });
    },
  });
  return { names, seen };
}

function producer(requestTimeoutMs?: number): LeanProducer {
  const created = new LeanProducer({
    brokers,
    clientId: `it-lean-${randomUUID().slice(0, 8)}`,
    logger: silentLogger,
    ...(requestTimeoutMs !== undefined && { requestTimeoutMs }),
  });
  producers.push(created);
  return created;
}

function messages(tag: string, count: number): LeanMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `dev-${i % 7}`,
    value: Buffer.from(`${tag}:${i}`),
  }));
}

const kafkajsPartition = Partitioners.DefaultPartitioner();
function partitionOf(topic: string, key: string): number {
  const partitionMetadata = [0, 1, 2].map((partitionId) => ({
    partitionId,
    leader: 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
  }));
  return kafkajsPartition({ topic, partitionMetadata, message: { key, value: null } });
}

describe('lean producer', () => {
  it('should write several topics in one send, each record on the partition kafkajs would choose', async () => {
    const { names, seen } = await topicsWithReader(2);
    const [readings = '', rejected = ''] = names;
    const lean = producer();
    await lean.connect();
    await lean.send([
      { topic: readings, messages: messages('r', 40) },
      { topic: rejected, messages: messages('x', 9) },
    ]);
    await eventually(() => seen.length >= 49, 'both topics');
    for (const record of seen) expect(record.partition).toBe(partitionOf(record.topic, record.key));
    expect(seen.filter((r) => r.topic === rejected)).toHaveLength(9);
    // A device's records keep their order within its partition.
    const dev3 = seen.filter((r) => r.topic === readings && r.key === 'dev-3').map((r) => r.value);
    expect(dev3).toEqual(
      messages('r', 40)
        .filter((m) => m.key === 'dev-3')
        .map((m) => String(m.value)),
    );
  });

  it('should write every record of concurrent sends once, each device in send order', async () => {
    const { names, seen } = await topicsWithReader(1);
    const [topic = ''] = names;
    const lean = producer();
    await lean.connect();
    await Promise.all(
      Array.from({ length: 8 }, (_, n) => lean.send([{ topic, messages: messages(`s${n}`, 25) }])),
    );
    await eventually(() => seen.length >= 200, 'all sends');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen).toHaveLength(200);
    const dev0 = seen.filter((r) => r.key === 'dev-0').map((r) => r.value);
    const expected = Array.from({ length: 8 }, (_, n) =>
      messages(`s${n}`, 25)
        .filter((m) => m.key === 'dev-0')
        .map((m) => String(m.value)),
    ).flat();
    expect(dev0).toEqual(expected);
  });

  it('should take a fresh producer id after an unknown outcome, so different records are not dropped as duplicates', async () => {
    const { names, seen } = await topicsWithReader(1);
    const [topic = ''] = names;
    const lean = producer(1_000);
    await lean.connect();
    await lean.send([{ topic, messages: messages('warm-up', 7) }]);
    const internals = lean as unknown as {
      producer: { producerId: bigint };
      pool: { connections: Map<string, { onRead: () => void }> };
    };
    const firstId = internals.producer.producerId;

    // The broker writes the batch but its answer vanishes: an abandoned send, outcome unknown.
    for (const connection of internals.pool.connections.values()) connection.onRead = () => {};
    const abandoned = await lean
      .send([{ topic, messages: messages('abandoned', 7) }])
      .catch((error: unknown) => error);
    expect((abandoned as { code?: string }).code).toBe('UNAVAILABLE');

    // Other records, of the same size and keys: with the old id and sequences the broker would
    // take them for the abandoned batch again and silently drop them.
    await lean.send([{ topic, messages: messages('next', 7) }]);
    expect(internals.producer.producerId).not.toBe(firstId);
    await eventually(() => seen.filter((r) => r.value.startsWith('next:')).length >= 7, 'the next batch');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen.filter((r) => r.value.startsWith('next:'))).toHaveLength(7);
    expect(seen.filter((r) => r.value.startsWith('abandoned:'))).toHaveLength(7);
  });

  it('should fail as unavailable for a topic that does not exist, and keep serving the others', async () => {
    const { names, seen } = await topicsWithReader(1);
    const [topic = ''] = names;
    const lean = producer();
    await lean.connect();
    const missing = `it-lean-missing-${randomUUID().slice(0, 8)}`;
    const failure = await lean
      .send([{ topic: missing, messages: messages('m', 2) }])
      .catch((error: unknown) => error);
    expect((failure as { code?: string }).code).toBe('UNAVAILABLE');
    expect(lean.status().connected).toBe(false);
    await lean.send([{ topic, messages: messages('ok', 3) }]);
    expect(lean.status().connected).toBe(true);
    await eventually(() => seen.length >= 3, 'the valid topic');
  });
});
