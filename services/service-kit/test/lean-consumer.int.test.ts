import { randomUUID } from 'node:crypto';
import { readLocalEnvironment } from '@terrapulse/infra-runner';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LeanBatch,
  LeanConsumer,
  type LeanEachBatchPayload,
  LeanProducer,
  silentLogger,
} from '../src/index.js';

const brokers = (readLocalEnvironment().KAFKA_BROKERS ?? '').split(',');
const kafka = new Kafka({ brokers, clientId: 'it-lean-consumer', logLevel: logLevel.NOTHING });
let admin: Admin;
let producer: LeanProducer;
const topics: string[] = [];
const consumers: LeanConsumer[] = [];

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  producer = new LeanProducer({ brokers, clientId: 'it-lean-consumer', logger: silentLogger });
  await producer.connect();
});

afterAll(async () => {
  await Promise.all(consumers.map((consumer) => consumer.disconnect().catch(() => undefined)));
  await producer?.close();
  await admin?.deleteTopics({ topics }).catch(() => undefined);
  await admin?.disconnect();
});

async function eventually(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function freshTopic(partitions: number): Promise<string> {
  const topic = `it-lean-consumer-${randomUUID().slice(0, 8)}`;
  topics.push(topic);
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions }] });
  return topic;
}

async function produce(topic: string, from: number, count: number): Promise<void> {
  const messages = Array.from({ length: count }, (_, i) => ({
    key: `device-${(from + i) % 7}`,
    value: Buffer.from(`reading-${from + i}`),
    headers: { seq: String(from + i) },
  }));
  await producer.send([{ topic, messages }]);
}

function consumer(groupId: string): LeanConsumer {
  const c = new LeanConsumer({
    brokers,
    clientId: 'it-lean-consumer',
    groupId,
    logger: silentLogger,
    maxWaitTimeInMs: 100,
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 500,
  });
  consumers.push(c);
  return c;
}

/** A consumer that records every value and resolves and commits each batch. */
async function committingConsumer(topic: string, groupId: string, seen: string[]): Promise<LeanConsumer> {
  const c = consumer(groupId);
  await c.connect();
  await c.subscribe({ topics: [topic], fromBeginning: true });
  await c.run({
    partitionsConsumedConcurrently: 2,
    eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }: LeanEachBatchPayload) => {
      for (const message of batch.messages) {
        seen.push(String(message.value));
        resolveOffset(message.offset);
      }
      await commitOffsetsIfNecessary();
    },
  });
  return c;
}

describe('the lean consumer against the real Kafka', () => {
  it('reads every record once, in order per partition, with keys and headers, from the beginning', async () => {
    const topic = await freshTopic(3);
    await produce(topic, 0, 500);
    const batches: LeanBatch[] = [];
    const c = consumer(`it-lean-${randomUUID().slice(0, 8)}`);
    await c.connect();
    await c.subscribe({ topics: [topic], fromBeginning: true });
    await c.run({
      eachBatch: async ({ batch, resolveOffset }) => {
        batches.push(batch);
        const last = batch.messages[batch.messages.length - 1];
        if (last) resolveOffset(last.offset);
      },
    });
    const count = () => batches.reduce((n, b) => n + b.messages.length, 0);
    await eventually(() => count() >= 500, '500 records');
    await produce(topic, 500, 10);
    await eventually(() => count() >= 510, '10 more records');
    expect(count()).toBe(510);
    const values = batches.flatMap((b) => b.messages.map((m) => String(m.value)));
    expect(new Set(values).size).toBe(510);
    for (const partition of [0, 1, 2]) {
      const offsets = batches
        .filter((b) => b.partition === partition)
        .flatMap((b) => b.messages.map((m) => Number(m.offset)));
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }
    const first = batches.flatMap((b) => b.messages).find((m) => String(m.value) === 'reading-3');
    expect(String(first?.key)).toBe('device-3');
    expect(String(first?.headers.seq)).toBe('3');
    const lastBatch = batches[batches.length - 1] as LeanBatch;
    expect(lastBatch.offsetLag()).toBe('0');
  });

  it('resumes a group from its committed offsets, and a new group without commits starts at the end', async () => {
    const topic = await freshTopic(2);
    const groupId = `it-lean-${randomUUID().slice(0, 8)}`;
    await produce(topic, 0, 100);
    const seen: string[] = [];
    const first = await committingConsumer(topic, groupId, seen);
    await eventually(() => seen.length >= 100, 'the first 100');
    await first.disconnect();
    await produce(topic, 100, 50);
    const again: string[] = [];
    await committingConsumer(topic, groupId, again);
    await eventually(() => again.length >= 50, 'the next 50');
    expect(again.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `reading-${100 + i}`).sort());

    const latest = consumer(`it-lean-${randomUUID().slice(0, 8)}`);
    const fromLatest: string[] = [];
    await latest.connect();
    await latest.subscribe({ topics: [topic], fromBeginning: false });
    let joined = false;
    latest.on(latest.events.GROUP_JOIN, () => {
      joined = true;
    });
    await latest.run({
      eachBatch: async ({ batch, resolveOffset }) => {
        for (const m of batch.messages) {
          fromLatest.push(String(m.value));
          resolveOffset(m.offset);
        }
      },
    });
    await eventually(() => joined, 'the join');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await produce(topic, 150, 5);
    await eventually(() => fromLatest.length >= 5, 'the 5 new records');
    expect(fromLatest.sort()).toEqual([
      'reading-150',
      'reading-151',
      'reading-152',
      'reading-153',
      'reading-154',
    ]);
  });

  it('splits the partitions between two members and gives them all back when one leaves', async () => {
    const topic = await freshTopic(4);
    const groupId = `it-lean-${randomUUID().slice(0, 8)}`;
    const assignments = new Map<string, number[]>();
    const seen: string[] = [];
    const a = await committingConsumer(topic, groupId, seen);
    a.on(a.events.GROUP_JOIN, ({ payload }) => assignments.set('a', payload.memberAssignment[topic] ?? []));
    await eventually(() => (assignments.get('a')?.length ?? 0) === 4, 'a owning the 4 partitions');
    const b = await committingConsumer(topic, groupId, seen);
    b.on(b.events.GROUP_JOIN, ({ payload }) => assignments.set('b', payload.memberAssignment[topic] ?? []));
    await eventually(
      () => (assignments.get('a')?.length ?? 0) === 2 && (assignments.get('b')?.length ?? 0) === 2,
      'two partitions each',
    );
    expect([...(assignments.get('a') ?? []), ...(assignments.get('b') ?? [])].sort()).toEqual([0, 1, 2, 3]);
    await produce(topic, 0, 200);
    await eventually(() => seen.length >= 200, '200 records across both members');
    await b.disconnect();
    await eventually(() => (assignments.get('a')?.length ?? 0) === 4, 'a owning all 4 again');
    await produce(topic, 200, 100);
    await eventually(() => seen.length >= 300, '100 more');
    expect(new Set(seen).size).toBe(300);
    expect(seen.length).toBe(300);
  });

  it('refetches from the last resolved offset, and after a seek', async () => {
    const topic = await freshTopic(1);
    await produce(topic, 0, 20);
    const c = consumer(`it-lean-${randomUUID().slice(0, 8)}`);
    const firstOffsets: string[] = [];
    let calls = 0;
    await c.connect();
    await c.subscribe({ topics: [topic], fromBeginning: true });
    await c.run({
      eachBatch: async ({ batch, resolveOffset }) => {
        calls++;
        firstOffsets.push(batch.messages[0]?.offset ?? '');
        // First call: resolve up to 4 only; second: seek to 15; later: resolve everything.
        if (calls === 1) resolveOffset('4');
        else if (calls === 2) c.seek({ topic, partition: 0, offset: '15' });
        else for (const m of batch.messages) resolveOffset(m.offset);
      },
    });
    await eventually(() => calls >= 3, 'three batches');
    expect(firstOffsets.slice(0, 3)).toEqual(['0', '5', '15']);
  });
});
