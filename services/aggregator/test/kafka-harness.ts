/**
 * Real-Kafka plumbing for the integration tests and the bench: unique topics configured like
 * their catalogue entries, a producer of readings, a reader of aggregates, group positions.
 */

import { randomUUID } from 'node:crypto';
import { type Aggregate, aggregateKey, type NormalizedReading, TOPICS } from '@terrapulse/contracts';
import { readLocalEnvironment } from '@terrapulse/infra-runner';
import { type Admin, type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function kafkaBrokers(): string[] {
  const brokers = readLocalEnvironment().KAFKA_BROKERS;
  if (brokers === undefined)
    throw new Error('no KAFKA_BROKERS in the local environment: run `npm run infra -- up`');
  return brokers.split(',');
}

export interface TestTopics {
  readonly readings: string;
  readonly aggregates: string;
  readonly checkpoints: string;
}

export class KafkaHarness {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly #producer: Producer;
  readonly #created = new Set<string>();
  readonly #consumers: Consumer[] = [];

  constructor() {
    this.kafka = new Kafka({
      clientId: uniqueName('tp-aggregator-test'),
      brokers: kafkaBrokers(),
      logLevel: logLevel.NOTHING,
    });
    this.admin = this.kafka.admin();
    this.#producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
  }

  async connect(): Promise<void> {
    await Promise.all([this.admin.connect(), this.#producer.connect()]);
  }

  /** Input and output topics like `telemetry.readings` and `telemetry.aggregates`, and a checkpoint topic name. */
  async createTopics(partitions = 3): Promise<TestTopics> {
    const topics = {
      readings: uniqueName('test.readings'),
      aggregates: uniqueName('test.aggregates'),
      checkpoints: uniqueName('test.checkpoints'),
    };
    const config = (spec: { retentionMs: number; cleanupPolicy: string }) => [
      { name: 'retention.ms', value: String(spec.retentionMs) },
      { name: 'cleanup.policy', value: spec.cleanupPolicy },
    ];
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: topics.readings, numPartitions: partitions, configEntries: config(TOPICS.readings) },
        { topic: topics.aggregates, numPartitions: partitions, configEntries: config(TOPICS.aggregates) },
      ],
    });
    for (const name of Object.values(topics)) this.#created.add(name);
    return topics;
  }

  /** Produces readings keyed by device, in order, in requests of `chunk` records. */
  async produce(topic: string, readings: readonly NormalizedReading[], chunk = 5_000): Promise<void> {
    for (let i = 0; i < readings.length; i += chunk) {
      const messages = readings
        .slice(i, i + chunk)
        .map((r) => ({ key: r.deviceId, value: JSON.stringify(r) }));
      await this.#producer.send({ topic, acks: -1, messages });
    }
  }

  async produceRaw(topic: string, messages: { key: string; value: string | null }[]): Promise<void> {
    await this.#producer.send({ topic, acks: -1, messages });
  }

  /** Collects every aggregate of `topic` as it arrives, in partition order. */
  async readAggregates(topic: string): Promise<Aggregate[]> {
    const received: Aggregate[] = [];
    const consumer = this.kafka.consumer({ groupId: uniqueName('test-reader') });
    this.#consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(JSON.parse(message.value?.toString() ?? 'null') as Aggregate);
      },
    });
    return received;
  }

  /** Sum over partitions of the group's committed offsets on `topic`. */
  async committed(groupId: string, topic: string): Promise<number> {
    const [offsets] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
    return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  }

  async endOffsets(topic: string): Promise<number> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, o) => sum + Number(o.high), 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.#consumers.map((c) => c.disconnect()));
    const existing = new Set(await this.admin.listTopics());
    const topics = [...this.#created].filter((t) => existing.has(t));
    if (topics.length > 0) await this.admin.deleteTopics({ topics });
    await Promise.all([this.#producer.disconnect(), this.admin.disconnect()]);
  }
}

/** The aggregator's environment for a test: its own topics and group, short intervals and session. */
export function serviceEnvironment(
  topics: TestTopics,
  groupId: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    KAFKA_BROKERS: kafkaBrokers().join(','),
    KAFKA_CLIENT_ID: groupId,
    KAFKA_GROUP_ID: groupId,
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
    TOPIC_READINGS: topics.readings,
    TOPIC_AGGREGATES: topics.aggregates,
    TOPIC_CHECKPOINTS: topics.checkpoints,
    OPS_PORT: '0',
    LOG_LEVEL: 'info',
    AGGREGATOR_TIMEZONE: 'Europe/Paris',
    AGGREGATOR_ALLOWED_LATENESS_MS: '3600000',
    // These tests pin the event-time lateness rules; the replay grace is covered by the unit tests
    // and by the end-to-end pipeline tests.
    AGGREGATOR_CLOSE_GRACE_MS: '0',
    AGGREGATOR_EMIT_INTERVAL_MS: '100',
    AGGREGATOR_CHECKPOINT_INTERVAL_MS: '500',
    ...overrides,
  };
}

/** The latest aggregate per window, in arrival order (a window's versions share a partition). */
export function latestByWindow(aggregates: readonly Aggregate[]): Map<string, Aggregate> {
  const latest = new Map<string, Aggregate>();
  for (const a of aggregates) latest.set(aggregateKey(a), a);
  return latest;
}

/** Polls `check` until it holds; the machine is shared, so deadlines are generous. */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
