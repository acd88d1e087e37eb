import type { Consumer, Kafka } from 'kafkajs';
import { z } from 'zod';
import {
  LeanConsumer,
  type LeanConsumerEvent,
  type LeanConsumerEventPayloads,
  type LeanEachBatchPayload,
} from './kafka-lean/lean-consumer.js';
import { type Logger, silentLogger } from './logger.js';

/** Which client a service's consumer group runs on: `KAFKA_CONSUMER`. */
export const KafkaConsumerKind = z.enum(['lean', 'kafkajs']).default('lean');
export type KafkaConsumerKind = z.infer<typeof KafkaConsumerKind>;

/** A consumed record: what both clients hand out (kafkajs's headers may be Buffers). */
export interface GroupRecord {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: Readonly<Record<string, Buffer | string | ReadonlyArray<Buffer | string> | undefined>>;
  readonly timestamp: string;
}

export interface GroupBatch {
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: string;
  readonly messages: readonly GroupRecord[];
  offsetLag(): string;
  lastOffset(): string;
}

/** The part of kafkajs's EachBatchPayload the services use: the lean consumer's payload, any batch. */
export interface GroupBatchPayload extends Omit<LeanEachBatchPayload, 'batch'> {
  readonly batch: GroupBatch;
}

export interface GroupTopicPartitions {
  readonly topic: string;
  readonly partitions?: number[];
}

/**
 * A consumer-group member, as the services' Kafka adapters use it: kafkajs's Consumer API
 * (manual resolution and commits, pause, seek, the group events), served by either client.
 */
export interface GroupConsumer {
  readonly events: LeanConsumer['events'];
  on<E extends LeanConsumerEvent>(
    event: E,
    listener: (event: { readonly payload: LeanConsumerEventPayloads[E] }) => void,
  ): void;
  connect(): Promise<void>;
  subscribe(subscription: { topics: string[]; fromBeginning: boolean }): Promise<void>;
  run(options: {
    eachBatch: (payload: GroupBatchPayload) => Promise<void> | void;
    partitionsConsumedConcurrently?: number;
  }): Promise<void>;
  pause(topics: GroupTopicPartitions[]): void;
  resume(topics: GroupTopicPartitions[]): void;
  seek(position: { topic: string; partition: number; offset: string }): void;
  commitOffsets(offsets: Array<{ topic: string; partition: number; offset: string }>): Promise<void>;
  disconnect(): Promise<void>;
}

/** Settings of one consumer group member, as the adapters choose them. */
export interface GroupConsumerSettings {
  readonly groupId: string;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly minBytes?: number;
  readonly maxWaitTimeInMs?: number;
  readonly maxBytesPerPartition?: number;
}

/** Makes the consumers of a service's adapters, on the client its configuration chose. */
export type GroupConsumerFactory = (settings: GroupConsumerSettings) => GroupConsumer;

export interface GroupConsumerClient {
  readonly kind: KafkaConsumerKind;
  /** The service's kafkajs client (used when `kind` is kafkajs). */
  readonly kafka: Kafka;
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
}

/** The lean consumer by default: about half kafkajs's CPU per record (test/bench/kafka-clients.ts). */
export function groupConsumers(client: GroupConsumerClient): GroupConsumerFactory {
  return (settings) => {
    if (client.kind === 'kafkajs') {
      return new KafkajsGroupConsumer(
        client.kafka.consumer({
          groupId: settings.groupId,
          allowAutoTopicCreation: false,
          ...(settings.sessionTimeoutMs !== undefined && { sessionTimeout: settings.sessionTimeoutMs }),
          ...(settings.heartbeatIntervalMs !== undefined && {
            heartbeatInterval: settings.heartbeatIntervalMs,
          }),
          ...(settings.minBytes !== undefined && { minBytes: settings.minBytes }),
          ...(settings.maxWaitTimeInMs !== undefined && { maxWaitTimeInMs: settings.maxWaitTimeInMs }),
          ...(settings.maxBytesPerPartition !== undefined && {
            maxBytesPerPartition: settings.maxBytesPerPartition,
          }),
        }),
      );
    }
    return new LeanConsumer({
      ...settings,
      brokers: client.brokers,
      clientId: client.clientId,
      logger: client.logger.child({ component: 'kafka-consumer' }),
    });
  };
}

/** kafkajs consumers from a kafkajs client alone: what benches and tests of the adapters use. */
export function kafkajsGroupConsumers(kafka: Kafka): GroupConsumerFactory {
  return groupConsumers({ kind: 'kafkajs', kafka, brokers: [], clientId: '', logger: silentLogger });
}

/** kafkajs's Consumer behind the same interface: its event names and payload fields are the lean ones. */
class KafkajsGroupConsumer implements GroupConsumer {
  readonly events: LeanConsumer['events'];

  constructor(private readonly consumer: Consumer) {
    this.events = {
      GROUP_JOIN: consumer.events.GROUP_JOIN,
      HEARTBEAT: consumer.events.HEARTBEAT,
      REBALANCING: consumer.events.REBALANCING,
      CRASH: consumer.events.CRASH,
      FETCH_START: consumer.events.FETCH_START,
      FETCH: consumer.events.FETCH,
    } as LeanConsumer['events'];
  }

  on<E extends LeanConsumerEvent>(
    event: E,
    listener: (event: { readonly payload: LeanConsumerEventPayloads[E] }) => void,
  ): void {
    this.consumer.on(event as Parameters<Consumer['on']>[0], listener as unknown as () => void);
  }

  connect(): Promise<void> {
    return this.consumer.connect();
  }

  subscribe(subscription: { topics: string[]; fromBeginning: boolean }): Promise<void> {
    return this.consumer.subscribe(subscription);
  }

  run(options: {
    eachBatch: (payload: GroupBatchPayload) => Promise<void> | void;
    partitionsConsumedConcurrently?: number;
  }): Promise<void> {
    return this.consumer.run({
      autoCommit: false,
      // With autoCommit off, this makes commitOffsetsIfNecessary() commit every resolved offset.
      autoCommitThreshold: 1,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
      eachBatch: async (payload) => {
        await options.eachBatch(payload as unknown as GroupBatchPayload);
      },
    });
  }

  pause(topics: GroupTopicPartitions[]): void {
    this.consumer.pause(topics);
  }

  resume(topics: GroupTopicPartitions[]): void {
    this.consumer.resume(topics);
  }

  seek(position: { topic: string; partition: number; offset: string }): void {
    this.consumer.seek(position);
  }

  commitOffsets(offsets: Array<{ topic: string; partition: number; offset: string }>): Promise<void> {
    return this.consumer.commitOffsets(offsets);
  }

  disconnect(): Promise<void> {
    return this.consumer.disconnect();
  }
}
