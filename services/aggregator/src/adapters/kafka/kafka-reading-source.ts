import type { GroupBatchPayload, GroupConsumer, GroupConsumerFactory, Logger } from '@terrapulse/service-kit';
import type { Admin, Kafka } from 'kafkajs';
import type { BatchControl, ReadingSource, SourceBatch, SourceHandlers } from '../../ports/reading-source.js';

export interface KafkaReadingSourceOptions {
  readonly topic: string;
  readonly groupId: string;
  /** The consumer group member's client; the kafkajs client serves the admin requests. */
  readonly consumers: GroupConsumerFactory;
  /** Where a partition without committed offset starts. */
  readonly fromBeginning: boolean;
  readonly logger: Logger;
  /** Default 30 s: how long the group waits for a silent member before reassigning its partitions. */
  readonly sessionTimeoutMs?: number;
  /** Default 3 s. */
  readonly heartbeatIntervalMs?: number;
  /** A fetch returns once this many bytes are ready or after `fetchMaxWaitMs`. Default 1. */
  readonly fetchMinBytes?: number;
  /** Longest a fetch waits, capped by the heartbeat interval. Default: the heartbeat interval. */
  readonly fetchMaxWaitMs?: number;
}

/** Protocol errors that mean "the group is rebalancing, rejoin", as either consumer spells them. */
const REBALANCING = new Set([
  'REBALANCE_IN_PROGRESS',
  'NOT_COORDINATOR_FOR_GROUP',
  'NOT_COORDINATOR',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
]);

function isRebalancing(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && REBALANCING.has(String((error as { type?: unknown }).type))
  );
}

/**
 * `telemetry.readings` through a kafkajs consumer group: batches with manual offset resolution,
 * no auto-commit (the aggregator commits after its checkpoint), one batch at a time.
 */
export class KafkaReadingSource implements ReadingSource {
  readonly #options: KafkaReadingSourceOptions;
  readonly #consumer: GroupConsumer;
  readonly #admin: Admin;
  readonly #sessionTimeoutMs: number;
  #lastHeartbeat = 0;

  constructor(kafka: Kafka, options: KafkaReadingSourceOptions) {
    this.#options = options;
    this.#sessionTimeoutMs = options.sessionTimeoutMs ?? 30_000;
    const heartbeatInterval = options.heartbeatIntervalMs ?? 3_000;
    this.#consumer = options.consumers({
      groupId: options.groupId,
      sessionTimeoutMs: this.#sessionTimeoutMs,
      heartbeatIntervalMs: heartbeatInterval,
      minBytes: options.fetchMinBytes ?? 1,
      // kafkajs heartbeats between fetches only: an idle fetch must return often enough.
      maxWaitTimeInMs: Math.min(5_000, heartbeatInterval, options.fetchMaxWaitMs ?? heartbeatInterval),
    });
    this.#admin = kafka.admin();
  }

  async partitionCount(): Promise<number> {
    await this.#admin.connect();
    const metadata = await this.#admin.fetchTopicMetadata({ topics: [this.#options.topic] });
    const count = metadata.topics[0]?.partitions.length ?? 0;
    if (count === 0) throw new Error(`input topic ${this.#options.topic} has no partitions`);
    return count;
  }

  async start(handlers: SourceHandlers): Promise<void> {
    const { topic, logger } = this.#options;
    const consumer = this.#consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.#lastHeartbeat = Date.now();
      handlers.onAssign(payload.memberAssignment[topic] ?? []);
    });
    consumer.on(consumer.events.HEARTBEAT, () => {
      this.#lastHeartbeat = Date.now();
    });
    consumer.on(consumer.events.REBALANCING, () => handlers.onRevoke());
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      logger.error('consumer crashed', { error: payload.error, restart: payload.restart });
      handlers.onRevoke();
    });
    await this.#admin.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: this.#options.fromBeginning });
    await consumer.run({
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => handlers.onBatch(toBatch(payload), this.#control(payload)),
    });
  }

  async endOffsets(partitions: readonly number[]): Promise<Map<number, number>> {
    const offsets = await this.#admin.fetchTopicOffsets(this.#options.topic);
    const wanted = new Set(partitions);
    return new Map(offsets.filter((o) => wanted.has(o.partition)).map((o) => [o.partition, Number(o.high)]));
  }

  async commit(offsets: ReadonlyMap<number, number>): Promise<void> {
    const topic = this.#options.topic;
    await this.#consumer.commitOffsets(
      [...offsets].map(([partition, offset]) => ({ topic, partition, offset: String(offset) })),
    );
  }

  isMember(): boolean {
    return Date.now() - this.#lastHeartbeat < this.#sessionTimeoutMs / 2;
  }

  async stop(): Promise<void> {
    await this.#consumer.disconnect();
    await this.#admin.disconnect();
  }

  #control(payload: GroupBatchPayload): BatchControl {
    const { topic, partition } = payload.batch;
    return {
      resolve: (offset) => payload.resolveOffset(String(offset)),
      heartbeat: async () => {
        try {
          await payload.heartbeat();
          return true;
        } catch (error) {
          if (isRebalancing(error)) return false;
          throw error;
        }
      },
      seek: (offset) => this.#consumer.seek({ topic, partition, offset: String(offset) }),
      isActive: () => payload.isRunning() && !payload.isStale(),
    };
  }
}

function toBatch(payload: GroupBatchPayload): SourceBatch {
  const { batch } = payload;
  return { partition: batch.partition, messages: batch.messages, highWatermark: Number(batch.highWatermark) };
}
