import type { GroupBatchPayload, GroupConsumer, GroupConsumerFactory, Logger } from '@terrapulse/service-kit';
import type { ValidatorMetrics } from '../../metrics.js';
import type { RawBatch, RawBatchHandler, RawUplinkSource, SourceHealth } from '../../ports/index.js';

export interface KafkaRawUplinkSourceOptions {
  readonly topic: string;
  readonly groupId: string;
  /** Partitions processed at once; more overlaps one partition's send with another's validation. */
  readonly partitionsConsumedConcurrently: number;
  readonly logger: Logger;
  readonly metrics?: Pick<ValidatorMetrics, 'commitFailures'>;
  /** Consumer group session timeout; see KAFKA_SESSION_TIMEOUT_MS. */
  readonly sessionTimeoutMs?: number;
  /** A fetch returns once this many bytes are ready or after `fetchMaxWaitMs`. Default 1. */
  readonly fetchMinBytes?: number;
  /** Longest a fetch waits for `fetchMinBytes`; a stop waits for the fetch in flight. Default 1 s. */
  readonly fetchMaxWaitMs?: number;
  /** Without a fetch for this long, Kafka counts as unreachable. */
  readonly staleAfterMs?: number;
}

/**
 * Consumes telemetry.raw in a consumer group with manual offsets: nothing is resolved or committed
 * but what the handler commits, so a crash redelivers exactly the unfinished work.
 */
export class KafkaRawUplinkSource implements RawUplinkSource {
  private consumer: GroupConsumer | undefined;
  private running = false;
  private lastFetchAt = 0;
  private crashed: string | undefined;

  constructor(
    private readonly consumers: GroupConsumerFactory,
    private readonly options: KafkaRawUplinkSourceOptions,
  ) {}

  async start(handler: RawBatchHandler): Promise<void> {
    const { topic, groupId, logger } = this.options;
    const sessionTimeout = this.options.sessionTimeoutMs ?? 30_000;
    const consumer = this.consumers({
      groupId,
      sessionTimeoutMs: sessionTimeout,
      heartbeatIntervalMs: Math.min(3_000, Math.floor(sessionTimeout / 3)),
      minBytes: this.options.fetchMinBytes ?? 1,
      // An idle fetch waits this long; a stop waits for it, so keep it short.
      maxWaitTimeInMs: this.options.fetchMaxWaitMs ?? 1_000,
    });
    this.consumer = consumer;
    const alive = () => {
      this.lastFetchAt = Date.now();
      this.crashed = undefined;
    };
    // A join proves the broker answers as well as a fetch does, and comes before the first fetch.
    consumer.on(consumer.events.GROUP_JOIN, alive);
    consumer.on(consumer.events.FETCH, alive);
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.crashed = payload.error.message;
      logger.error('raw consumer crashed', { error: payload.error, restart: payload.restart });
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    this.running = true;
    await consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: (payload) => handler(this.toRawBatch(payload)),
    });
    logger.info('consuming raw uplinks', { topic, groupId });
  }

  private toRawBatch(payload: GroupBatchPayload): RawBatch {
    const { batch } = payload;
    const { logger } = this.options;
    return {
      partition: batch.partition,
      messages: batch.messages,
      lag: Number(batch.offsetLag()),
      isActive: () => this.running && payload.isRunning() && !payload.isStale(),
      heartbeat: () => payload.heartbeat(),
      commit: async (offset) => {
        payload.resolveOffset(offset);
        try {
          // Explicit offsets: with autoCommit off, commitOffsetsIfNecessary() alone commits nothing.
          await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
        } catch (error) {
          this.options.metrics?.commitFailures.inc();
          logger.warn('offset commit failed; the next commit carries it', {
            error,
            partition: batch.partition,
            offset,
          });
        }
      },
    };
  }

  async stop(): Promise<void> {
    this.running = false;
    // disconnect() waits for the batch in flight, which commits what it made durable.
    await this.consumer?.disconnect();
  }

  health(): SourceHealth {
    const staleAfterMs = this.options.staleAfterMs ?? 30_000;
    const sinceFetchMs = this.lastFetchAt === 0 ? undefined : Date.now() - this.lastFetchAt;
    const connected =
      this.running && this.crashed === undefined && sinceFetchMs !== undefined && sinceFetchMs < staleAfterMs;
    return {
      connected,
      detail: { sinceFetchMs, ...(this.crashed !== undefined && { crashed: this.crashed }) },
    };
  }
}
