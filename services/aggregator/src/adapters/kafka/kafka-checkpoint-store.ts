import { randomUUID } from 'node:crypto';
import { type LeanMessage, LeanProducer, type Logger } from '@terrapulse/service-kit';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { decodeCheckpoint, encodeCheckpoint } from '../../checkpoint-codec.js';
import type { CheckpointStore, CheckpointWrite, PartitionCheckpoint } from '../../ports/checkpoint-store.js';

export interface KafkaCheckpointStoreOptions {
  /** The compacted checkpoint topic. */
  readonly topic: string;
  /** The input topic the checkpoints cover; recorded in each one and checked on load. */
  readonly inputTopic: string;
  /** Prefix of the throwaway consumer groups that read checkpoints back. */
  readonly groupId: string;
  /** Bootstrap brokers and client id of the checkpoint writer (service-kit's lean producer). */
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  /** How long reading back the checkpoints may take. Default 60 s. */
  readonly loadTimeoutMs?: number;
}

const MIB = 1024 * 1024;
/** Largest checkpoint record: a partition's open windows with all their readings. */
const MAX_RECORD_BYTES = 64 * MIB;
/** Checkpoints written in one produce request, below the broker's socket request limit. */
const MAX_REQUEST_BYTES = 16 * MIB;

/**
 * Topic configuration. Compaction keeps only the latest record per key (input partition); it
 * only ever cleans closed segments, so segments are kept small and rolled hourly, or the topic
 * would grow to 1 GiB before the first cleaning and a restore would read all of it.
 */
export const CHECKPOINT_TOPIC_CONFIG: Readonly<Record<string, string>> = Object.freeze({
  'cleanup.policy': 'compact',
  'max.message.bytes': String(MAX_RECORD_BYTES),
  'segment.bytes': String(64 * MIB),
  'segment.ms': String(3_600_000),
});

/**
 * Checkpoints in a compacted Kafka topic, partitioned like the input: the checkpoint of input
 * partition p is the latest record of checkpoint partition p (key `p`). No new server, the same
 * durability as the data it covers, and a restore reads one small partition.
 */
export class KafkaCheckpointStore implements CheckpointStore {
  readonly #kafka: Kafka;
  readonly #options: KafkaCheckpointStoreOptions;
  readonly #admin: Admin;
  readonly #producer: LeanProducer;

  constructor(kafka: Kafka, options: KafkaCheckpointStoreOptions) {
    this.#kafka = kafka;
    this.#options = options;
    this.#admin = kafka.admin();
    // Idempotent, acks = all, explicit partitions; kafkajs spent more on a checkpoint's copies
    // and CRC than on anything else of the aggregator's output.
    this.#producer = new LeanProducer({
      brokers: options.brokers,
      clientId: options.clientId,
      logger: options.logger.child({ component: 'checkpoint-writer' }),
      maxMergeBytes: MAX_REQUEST_BYTES,
    });
  }

  async prepare(partitions: number): Promise<void> {
    const { topic, logger } = this.#options;
    await Promise.all([this.#admin.connect(), this.#producer.connect()]);
    if (!(await this.#admin.listTopics()).includes(topic)) {
      const configEntries = Object.entries(CHECKPOINT_TOPIC_CONFIG).map(([name, value]) => ({ name, value }));
      const created = await this.#admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: partitions, configEntries }],
      });
      if (created)
        logger.info('checkpoint topic created', { topic, partitions, config: CHECKPOINT_TOPIC_CONFIG });
    }
    const metadata = await this.#admin.fetchTopicMetadata({ topics: [topic] });
    const count = metadata.topics[0]?.partitions.length ?? 0;
    if (count < partitions) {
      throw new Error(`checkpoint topic ${topic} has ${count} partitions, the input has ${partitions}`);
    }
    const configs = await this.#admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: topic, configNames: ['cleanup.policy'] }],
    });
    const policy = configs.resources[0]?.configEntries[0]?.configValue;
    if (policy !== 'compact') logger.warn('checkpoint topic is not compacted', { topic, policy });
  }

  async load(partitions: readonly number[]): Promise<Map<number, PartitionCheckpoint>> {
    const { topic, inputTopic } = this.#options;
    const offsets = await this.#admin.fetchTopicOffsets(topic);
    const ends = new Map<number, number>();
    for (const o of offsets) {
      if (partitions.includes(o.partition) && Number(o.high) > Number(o.low))
        ends.set(o.partition, Number(o.high));
    }
    const latest = ends.size === 0 ? new Map<number, Buffer>() : await this.#readLatest(ends);
    const checkpoints = new Map<number, PartitionCheckpoint>();
    for (const [partition, bytes] of latest) {
      checkpoints.set(partition, decodeCheckpoint(bytes, inputTopic, partition));
    }
    return checkpoints;
  }

  async save(checkpoints: readonly PartitionCheckpoint[]): Promise<CheckpointWrite> {
    const { topic, inputTopic } = this.#options;
    let total = 0;
    let request: LeanMessage[] = [];
    let requestBytes = 0;
    for (const checkpoint of checkpoints) {
      const value = encodeCheckpoint(inputTopic, checkpoint);
      if (requestBytes + value.length > MAX_REQUEST_BYTES && request.length > 0) {
        await this.#producer.send([{ topic, messages: request }]);
        request = [];
        requestBytes = 0;
      }
      request.push({ partition: checkpoint.partition, key: String(checkpoint.partition), value });
      requestBytes += value.length;
      total += value.length;
    }
    if (request.length > 0) await this.#producer.send([{ topic, messages: request }]);
    return { bytes: total };
  }

  async close(): Promise<void> {
    await Promise.all([this.#producer.close(), this.#admin.disconnect()]);
  }

  /**
   * The last record of each partition in `ends` (partition -> end offset). kafkajs has no
   * group-less reader, so a throwaway group reads the topic from the start; partitions not
   * wanted, or read to their end, are paused.
   */
  async #readLatest(ends: ReadonlyMap<number, number>): Promise<Map<number, Buffer>> {
    const latest = new Map<number, Buffer>();
    const remaining = new Set(ends.keys());
    const reader: Consumer = this.#kafka.consumer({
      groupId: `${this.#options.groupId}.restore.${randomUUID()}`,
      maxBytesPerPartition: MAX_RECORD_BYTES,
      maxBytes: 2 * MAX_RECORD_BYTES,
      allowAutoTopicCreation: false,
    });
    await reader.connect();
    try {
      const done = new Promise<void>((resolve, reject) => {
        reader.on(reader.events.CRASH, ({ payload }) => reject(payload.error));
        reader
          .subscribe({ topics: [this.#options.topic], fromBeginning: true })
          .then(() =>
            reader.run({
              autoCommit: false,
              eachBatch: async ({ batch, pause }) => {
                const end = ends.get(batch.partition);
                if (end === undefined || !remaining.has(batch.partition)) {
                  pause();
                  return;
                }
                for (const message of batch.messages) {
                  if (message.value === null) latest.delete(batch.partition);
                  else latest.set(batch.partition, message.value);
                }
                if (Number(batch.lastOffset()) >= end - 1) {
                  remaining.delete(batch.partition);
                  pause();
                  if (remaining.size === 0) resolve();
                }
              },
            }),
          )
          .catch(reject);
      });
      await withTimeout(done, this.#options.loadTimeoutMs ?? 60_000, 'reading checkpoints back');
    } finally {
      await reader.disconnect();
    }
    return latest;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
