import type { GroupBatchPayload, GroupConsumer, GroupConsumerFactory, Logger } from '@terrapulse/service-kit';
import type { Stream } from '../../domain/encode-record.js';
import { PartitionProgress, type PendingChunk } from '../../domain/partition-progress.js';
import type { WriterMetrics } from '../../metrics.js';
import type {
  RecordChunk,
  RecordSource,
  RecordSourceHandler,
  RecordSourceStatus,
} from '../../ports/record-source.js';

export interface KafkaRecordSourceOptions {
  readonly consumers: GroupConsumerFactory;
  readonly groupId: string;
  /** Topic of each stream. */
  readonly topics: Readonly<Record<Stream, string>>;
  /** Where a group without committed offsets starts. */
  readonly fromBeginning: boolean;
  /**
   * Longest a fetch waits for data, and how long the consumer sleeps when every assigned
   * partition is paused: it bounds the delay between a write's success and the next fetch.
   */
  readonly maxWaitTimeMs: number;
  /** A fetch returns once this many bytes are ready, or after `maxWaitTimeMs`. Default 1. */
  readonly fetchMinBytes?: number;
  /** Bytes fetched per partition at most: with one pending chunk per partition, the memory bound. */
  readonly maxBytesPerPartition: number;
  readonly sessionTimeoutMs: number;
  readonly logger: Logger;
  readonly metrics: Pick<WriterMetrics, 'pausedPartitions' | 'offsetCommitFailures'>;
}

const COMMIT_RETRY_MS = 1_000;

/**
 * Delivers Kafka batches as chunks, at least once, committing only what the writer completed.
 *
 * Either consumer (kafkajs or the lean one, same semantics) fetches a partition from its *resolved* offset, so an offset is resolved only when its
 * chunk is durable, and the partition is paused from delivery to completion: otherwise the next
 * fetch would return the same records again. `eachBatch` therefore returns at once (pause, hand
 * over, return) and the fetch loop keeps running for the other partitions; that loop is also what
 * heartbeats, every `heartbeatInterval`, so the group stays joined while InfluxDB is down and
 * every partition waits paused. On completion the offset is resolved, the partition resumed, and
 * `commitOffsetsIfNecessary()` commits every resolved offset (service-kit's GroupConsumer runs
 * kafkajs with `autoCommit: false` and `autoCommitThreshold: 1` for that).
 */
export class KafkaRecordSource implements RecordSource {
  readonly #options: KafkaRecordSourceOptions;
  readonly #streamOf: Map<string, Stream>;
  readonly #progress = new PartitionProgress();
  readonly #assigned = new Set<string>();
  readonly #paused = new Set<string>();
  #consumer: GroupConsumer | undefined;
  #handler: RecordSourceHandler | undefined;
  /** Bumped when the consumer restarts its group state: older completions must not touch the new one. */
  #epoch = 0;
  #delivering = true;
  #joined = false;
  #batchesSinceFetch = 0;
  #commit: (() => Promise<void>) | undefined;
  #committing: Promise<void> | undefined;
  #commitWanted = false;
  #commitRetry: NodeJS.Timeout | undefined;
  #lastCommitError: string | undefined;

  constructor(options: KafkaRecordSourceOptions) {
    this.#options = options;
    this.#streamOf = new Map(
      Object.entries(options.topics).map(([stream, topic]) => [topic, stream as Stream]),
    );
  }

  async start(handler: RecordSourceHandler): Promise<void> {
    const o = this.#options;
    this.#handler = handler;
    const consumer = o.consumers({
      groupId: o.groupId,
      maxWaitTimeInMs: o.maxWaitTimeMs,
      minBytes: o.fetchMinBytes ?? 1,
      maxBytesPerPartition: o.maxBytesPerPartition,
      sessionTimeoutMs: o.sessionTimeoutMs,
    });
    this.#consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (event) => this.#onJoin(event.payload.memberAssignment));
    consumer.on(consumer.events.FETCH_START, () => this.#onFetchStart());
    consumer.on(consumer.events.REBALANCING, () => {
      this.#joined = false;
    });
    consumer.on(consumer.events.CRASH, (event) => this.#onCrash(event.payload.error, event.payload.restart));
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.#streamOf.keys()], fromBeginning: o.fromBeginning });
    await consumer.run({
      partitionsConsumedConcurrently: 1,
      eachBatch: async (payload) => this.#onBatch(payload),
    });
  }

  stopDelivering(): void {
    this.#delivering = false;
    this.#consumer?.pause([...this.#streamOf.keys()].map((topic) => ({ topic })));
  }

  async stop(): Promise<void> {
    this.stopDelivering();
    clearTimeout(this.#commitRetry);
    await this.#committing;
    this.#commitWanted = true;
    await this.#commitLoop();
    await this.#consumer?.disconnect();
    this.#consumer = undefined;
  }

  status(): RecordSourceStatus {
    return {
      joined: this.#joined,
      assignedPartitions: this.#assigned.size,
      pausedPartitions: this.#paused.size,
      ...(this.#lastCommitError !== undefined && { lastCommitError: this.#lastCommitError }),
    };
  }

  #onBatch({ batch, resolveOffset, commitOffsetsIfNecessary, pause }: GroupBatchPayload): void {
    const stream = this.#streamOf.get(batch.topic);
    const last = batch.messages[batch.messages.length - 1];
    // Left unresolved, the records are fetched again by whoever consumes the partition next.
    if (!this.#delivering || stream === undefined || last === undefined || this.#handler === undefined)
      return;
    const key = `${batch.topic}|${batch.partition}`;
    const resume = pause();
    this.#paused.add(key);
    this.#commit = commitOffsetsIfNecessary;
    this.#batchesSinceFetch++;
    const pending = this.#progress.add(key, last.offset);
    const epoch = this.#epoch;
    const chunk: RecordChunk = {
      stream,
      topic: batch.topic,
      partition: batch.partition,
      records: batch.messages,
      complete: () => this.#complete(pending, epoch, resolveOffset, resume),
    };
    this.#handler.onChunk(chunk);
    this.#options.metrics.pausedPartitions.set(this.#paused.size);
    if (this.#everyAssignedPartitionPaused()) this.#handler.onIdle();
  }

  #complete(
    pending: PendingChunk,
    epoch: number,
    resolveOffset: (offset: string) => void,
    resume: () => void,
  ) {
    if (epoch !== this.#epoch) return;
    const offset = this.#progress.complete(pending);
    if (offset === undefined) return;
    try {
      resolveOffset(offset);
    } catch (error) {
      // The partition left this member between the rebalance and its GROUP_JOIN event.
      this.#options.logger.debug('offset not resolved', { partition: pending.partitionKey, error });
      return;
    }
    if (this.#progress.pending(pending.partitionKey) === 0) {
      if (this.#delivering) resume();
      this.#paused.delete(pending.partitionKey);
      this.#options.metrics.pausedPartitions.set(this.#paused.size);
    }
    this.#requestCommit();
  }

  /** A fetch that brought nothing since the previous one means nothing more is coming now. */
  #onFetchStart(): void {
    if (this.#batchesSinceFetch === 0) this.#handler?.onIdle();
    this.#batchesSinceFetch = 0;
  }

  #everyAssignedPartitionPaused(): boolean {
    if (this.#assigned.size === 0) return false;
    for (const key of this.#assigned) if (!this.#paused.has(key)) return false;
    return true;
  }

  /**
   * The consumer keeps pause state across rebalances: a revoked partition is forgotten (its chunks
   * still get written, but resolve nothing) and resumed, or it would stay paused forever if it
   * came back; a partition kept keeps its pending chunks and stays paused until they complete.
   */
  #onJoin(assignment: Readonly<Record<string, readonly number[]>>): void {
    this.#assigned.clear();
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) this.#assigned.add(`${topic}|${partition}`);
    }
    for (const key of this.#progress.partitionKeys()) {
      if (!this.#assigned.has(key)) this.#progress.abandon(key);
    }
    for (const key of [...this.#paused]) {
      if (this.#progress.pending(key) > 0 || !this.#delivering) continue;
      this.#paused.delete(key);
      const [topic = '', partition = '0'] = key.split('|');
      this.#consumer?.resume([{ topic, partitions: [Number(partition)] }]);
    }
    this.#joined = true;
    this.#options.metrics.pausedPartitions.set(this.#paused.size);
    this.#options.logger.info('joined consumer group', { assignment });
  }

  /** A crashed consumer restarts with a new group state: pending chunks resolve nothing. */
  #onCrash(error: Error, restart: boolean): void {
    this.#epoch++;
    this.#joined = false;
    this.#progress.abandonAll();
    this.#paused.clear();
    this.#options.metrics.pausedPartitions.set(0);
    if (restart) {
      this.#options.logger.warn('Kafka consumer crashed, it restarts', { error });
    } else {
      this.#handler?.onFatal(error);
    }
  }

  /** Commits run one at a time; completions during one ask for another. */
  #requestCommit(): void {
    this.#commitWanted = true;
    this.#committing ??= this.#commitLoop().finally(() => {
      this.#committing = undefined;
    });
  }

  async #commitLoop(): Promise<void> {
    while (this.#commitWanted && this.#commit !== undefined) {
      this.#commitWanted = false;
      try {
        await this.#commit();
        this.#lastCommitError = undefined;
      } catch (error) {
        // Durable but uncommitted: a restart would write it again, identically. Try again later.
        this.#lastCommitError = error instanceof Error ? error.message : String(error);
        this.#options.metrics.offsetCommitFailures.inc();
        this.#options.logger.warn('offset commit failed, retrying', { error });
        if (this.#delivering) {
          clearTimeout(this.#commitRetry);
          this.#commitRetry = setTimeout(() => this.#requestCommit(), COMMIT_RETRY_MS);
          this.#commitRetry.unref();
        }
        return;
      }
    }
  }
}
