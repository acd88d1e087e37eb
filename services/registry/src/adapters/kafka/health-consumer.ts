import { NormalizedReading, Rejection } from '@terrapulse/contracts';
import type { Logger } from '@terrapulse/service-kit';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';

/** What one Kafka batch carries, parsed: a batch holds one partition of one topic. */
export interface HealthBatch {
  readonly readings: readonly NormalizedReading[];
  readonly rejections: readonly Rejection[];
}

/** How long start() waits for the group join before returning anyway (health says not connected). */
const JOIN_WAIT_MS = 30_000;

export type HealthBatchHandler = (batch: HealthBatch) => Promise<void>;

export interface KafkaHealthConsumerOptions {
  readonly topics: { readonly readings: string; readonly rejected: string };
  /** The registry's own group: instances split the partitions, and nobody else's offsets move. */
  readonly groupId: string;
  readonly logger: Logger;
  /** Records that break the contract (skipped, counted). */
  readonly onInvalid?: (topic: string) => void;
}

/**
 * Reads telemetry.readings and telemetry.rejected in the registry's own consumer group and hands
 * each batch, parsed, to the health tracker. Offsets are committed only once the handler stored
 * the batch, so a crash replays it (the health store counts nothing twice). A handler failure
 * (Redis down) is retried by kafkajs from the uncommitted offset.
 */
export class KafkaHealthConsumer {
  private consumer: Consumer | undefined;
  private lastFetchAt = 0;
  private crashed: string | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaHealthConsumerOptions,
  ) {}

  async start(handler: HealthBatchHandler): Promise<void> {
    const { topics, groupId, logger } = this.options;
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 1_000 });
    this.consumer = consumer;
    const alive = () => {
      this.lastFetchAt = Date.now();
      this.crashed = undefined;
    };
    const joined = new Promise<void>((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, () => {
        alive();
        resolve();
      });
    });
    consumer.on(consumer.events.FETCH, alive);
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.crashed = payload.error.message;
      logger.error('health consumer crashed', { error: payload.error, restart: payload.restart });
    });
    await consumer.connect();
    // From the latest offset on a new group: health is about now, not about last week's backlog.
    await consumer.subscribe({ topics: [topics.readings, topics.rejected], fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 2,
      eachBatch: (payload) => this.process(payload, handler),
    });
    // A new group starts at the latest offsets when it joins; until then, readings would be missed.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, JOIN_WAIT_MS);
    });
    await Promise.race([joined, timeout]);
    clearTimeout(timer);
    logger.info('tracking device health', { topics, groupId });
  }

  private async process(payload: EachBatchPayload, handler: HealthBatchHandler): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0) return;
    const isReadings = batch.topic === this.options.topics.readings;
    const readings: NormalizedReading[] = [];
    const rejections: Rejection[] = [];
    for (const message of batch.messages) {
      const value = parseJson(message.value);
      if (isReadings) {
        const parsed = NormalizedReading.safeParse(value);
        if (parsed.success) readings.push(parsed.data);
        else this.invalid(batch.topic, batch.partition, message.offset);
      } else {
        const parsed = Rejection.safeParse(value);
        if (parsed.success) rejections.push(parsed.data);
        else this.invalid(batch.topic, batch.partition, message.offset);
      }
    }
    await handler({ readings, rejections });
    const last = batch.lastOffset();
    payload.resolveOffset(last);
    try {
      await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
    } catch (error) {
      // The next commit carries it; a replay of this batch counts nothing twice.
      this.options.logger.warn('health offset commit failed', {
        error,
        partition: batch.partition,
        offset: last,
      });
    }
    await payload.heartbeat();
  }

  private invalid(topic: string, partition: number, offset: string): void {
    this.options.onInvalid?.(topic);
    this.options.logger.warn('record breaks its contract; skipped by the health tracker', {
      topic,
      partition,
      offset,
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  /** Connected when a fetch or a group join happened recently and the consumer did not crash. */
  health(): { connected: boolean; sinceFetchMs: number | undefined } {
    const sinceFetchMs = this.lastFetchAt === 0 ? undefined : Date.now() - this.lastFetchAt;
    const connected = this.crashed === undefined && sinceFetchMs !== undefined && sinceFetchMs < 30_000;
    return { connected, sinceFetchMs };
  }
}

function parseJson(value: Buffer | null): unknown {
  if (value === null) return null;
  try {
    return JSON.parse(value.toString('utf8'));
  } catch {
    return null;
  }
}
