import type { Logger } from '@terrapulse/service-kit';
import { RawSinkError } from '../../errors.js';
import type { RawRecord, RawRecordSink, RawRecordSinkStatus } from '../../ports/raw-record-sink.js';
import { BrokerConnection } from './broker-connection.js';
import {
  isMetadataError,
  isProducerStateError,
  isRecordError,
  KafkaErrorCode,
  kafkaErrorName,
} from './kafka-error-codes.js';
import { partitionForKey } from './murmur2.js';
import {
  API,
  type BrokerAddress,
  decodeApiVersions,
  decodeInitProducerId,
  decodeMetadata,
  decodeProduceResponse,
  encodeInitProducerIdRequest,
  encodeMetadataRequest,
  encodeProduceRequest,
} from './protocol.js';
import { type BatchRecord, encodeRecordBatch } from './record-batch.js';

export interface LeanKafkaSinkOptions {
  /** Bootstrap brokers, host:port. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly topic: string;
  readonly logger: Logger;
  /** Produce and metadata request timeout. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Leaders are re-read at least this often, and after any error. Default 5 min. */
  readonly metadataMaxAgeMs?: number;
}

interface Producer {
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

interface PartitionBatch {
  readonly partition: number;
  readonly batch: Buffer;
  readonly count: number;
}

const SEQUENCE_MODULUS = 2 ** 31;

/**
 * A produce-only Kafka client for one topic, idempotent, acks from all in-sync replicas: what the
 * bridge needs and nothing else, at a fraction of kafkajs's CPU per message (see the README).
 *
 * Idempotence: each partition has a sequence number that advances only when the broker
 * acknowledged that partition's batch. A send whose outcome is unknown (timeout, connection lost)
 * leaves it where it was, and the caller sends the same records again, so the broker recognises a
 * batch it already wrote and does not write it twice. The partition count is pinned while such a
 * retry is pending, so the same records map to the same partitions and sequence numbers.
 */
export class LeanKafkaSink implements RawRecordSink {
  private readonly connections = new Map<string, BrokerConnection>();
  private readonly brokers = new Map<number, BrokerAddress>();
  /** Leader node of each partition of the topic, by partition index. */
  private leaders: number[] | undefined;
  private metadataAt = 0;
  private metadataStale = true;
  private producer: Producer | undefined;
  private sequences: number[] = [];
  private retryPending = false;
  private healthy = false;
  private closed = false;
  private readonly requestTimeoutMs: number;
  private readonly metadataMaxAgeMs: number;

  constructor(private readonly options: LeanKafkaSinkOptions) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.metadataMaxAgeMs = options.metadataMaxAgeMs ?? 300_000;
  }

  async connect(): Promise<void> {
    const connection = await this.anyConnection();
    const versions = decodeApiVersions(await connection.request(API.apiVersions, [], this.requestTimeoutMs));
    for (const [name, api] of Object.entries(API)) {
      const range = versions.apis.find((candidate) => candidate.key === api.key);
      if (range === undefined || api.version < range.min || api.version > range.max) {
        throw new Error(`kafka ${connection.address} does not serve ${name} v${api.version}`);
      }
    }
    await this.ensureProducer();
    this.healthy = true;
    this.options.logger.info('kafka producer connected', { topic: this.options.topic, client: 'lean' });
  }

  status(): RawRecordSinkStatus {
    return { connected: this.healthy && !this.closed };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const connection of this.connections.values()) connection.close();
    this.connections.clear();
  }

  async send(records: readonly RawRecord[]): Promise<void> {
    if (this.closed) throw new RawSinkError('UNAVAILABLE', 'kafka sink closed');
    try {
      await this.ensureProducer();
      const leaders = await this.ensureLeaders();
      const byLeader = this.encode(records, leaders);
      const outcomes = await Promise.allSettled(
        [...byLeader].map(([leader, batches]) => this.produceTo(leader, batches)),
      );
      this.settle(outcomes);
      this.retryPending = false;
      this.healthy = true;
    } catch (error) {
      this.retryPending = true;
      this.healthy = false;
      throw error instanceof RawSinkError
        ? error
        : new RawSinkError('UNAVAILABLE', String(error), { cause: error });
    }
  }

  /** Groups the records by partition (key order kept) and encodes one batch per partition. */
  private encode(records: readonly RawRecord[], leaders: readonly number[]): Map<number, PartitionBatch[]> {
    const groups: BatchRecord[][] = [];
    for (const record of records) {
      const key = Buffer.from(record.key);
      const partition = partitionForKey(key, leaders.length);
      const group = groups[partition] ?? [];
      groups[partition] = group;
      group.push({ key, value: record.value, headers: record.headers });
    }
    const producer = this.producer;
    if (producer === undefined) throw new RawSinkError('UNAVAILABLE', 'kafka producer id lost');
    const now = Date.now();
    const byLeader = new Map<number, PartitionBatch[]>();
    groups.forEach((group, partition) => {
      const leader = leaders[partition] ?? -1;
      if (leader < 0) {
        this.metadataStale = true;
        throw new RawSinkError(
          'UNAVAILABLE',
          `partition ${partition} of ${this.options.topic} has no leader`,
        );
      }
      const baseSequence = this.sequences[partition] ?? 0;
      const batch = encodeRecordBatch(group, { ...producer, baseSequence }, now);
      const forLeader = byLeader.get(leader) ?? [];
      byLeader.set(leader, forLeader);
      forLeader.push({ partition, batch, count: group.length });
    });
    return byLeader;
  }

  private async produceTo(
    leader: number,
    batches: PartitionBatch[],
  ): Promise<Array<{ batch: PartitionBatch; errorCode: number; message: string | null }>> {
    const connection = await this.connectionTo(leader);
    const body = encodeProduceRequest(this.options.topic, batches, this.requestTimeoutMs);
    const results = decodeProduceResponse(
      await connection.request(API.produce, body, this.requestTimeoutMs + 5_000),
    );
    return batches.map((batch) => {
      const result = results.find((candidate) => candidate.partition === batch.partition);
      return {
        batch,
        errorCode: result?.errorCode ?? KafkaErrorCode.REQUEST_TIMED_OUT,
        message: result?.errorMessage ?? null,
      };
    });
  }

  /**
   * Advances the sequence of every partition the broker acknowledged, then throws for the rest:
   * RECORD_REJECTED only when every failure is the records' own fault, so a batch is never split
   * (and its content changed) while another part of it has an unknown outcome.
   */
  private settle(
    outcomes: Array<
      PromiseSettledResult<Array<{ batch: PartitionBatch; errorCode: number; message: string | null }>>
    >,
  ): void {
    const failures: string[] = [];
    let unknownOutcome = false;
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        unknownOutcome = true;
        this.metadataStale = true;
        failures.push(outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason));
        continue;
      }
      for (const { batch, errorCode, message } of outcome.value) {
        if (errorCode === KafkaErrorCode.NONE || errorCode === KafkaErrorCode.DUPLICATE_SEQUENCE_NUMBER) {
          this.sequences[batch.partition] =
            ((this.sequences[batch.partition] ?? 0) + batch.count) % SEQUENCE_MODULUS;
          continue;
        }
        if (!isRecordError(errorCode)) unknownOutcome = true;
        if (isMetadataError(errorCode)) this.metadataStale = true;
        if (isProducerStateError(errorCode)) this.producer = undefined;
        failures.push(
          `partition ${batch.partition}: ${kafkaErrorName(errorCode)}${message ? ` (${message})` : ''}`,
        );
      }
    }
    if (failures.length === 0) return;
    const detail = `produce to ${this.options.topic} failed: ${failures.join('; ')}`;
    throw new RawSinkError(unknownOutcome ? 'UNAVAILABLE' : 'RECORD_REJECTED', detail);
  }

  private async ensureProducer(): Promise<void> {
    if (this.producer !== undefined) return;
    const connection = await this.anyConnection();
    const response = decodeInitProducerId(
      await connection.request(API.initProducerId, [encodeInitProducerIdRequest()], this.requestTimeoutMs),
    );
    if (response.errorCode !== KafkaErrorCode.NONE) {
      throw new RawSinkError(
        'UNAVAILABLE',
        `kafka InitProducerId failed: ${kafkaErrorName(response.errorCode)}`,
      );
    }
    // A new producer id starts every partition's sequence again at 0.
    this.producer = { producerId: response.producerId, producerEpoch: response.producerEpoch };
    this.sequences = [];
    this.options.logger.info('kafka producer id assigned', { producerId: String(response.producerId) });
  }

  private async ensureLeaders(): Promise<number[]> {
    const fresh = Date.now() - this.metadataAt < this.metadataMaxAgeMs;
    if (this.leaders !== undefined && !this.metadataStale && fresh) return this.leaders;
    const connection = await this.anyConnection();
    const metadata = decodeMetadata(
      await connection.request(
        API.metadata,
        [encodeMetadataRequest([this.options.topic])],
        this.requestTimeoutMs,
      ),
    );
    for (const broker of metadata.brokers) this.brokers.set(broker.nodeId, broker);
    const topic = metadata.topics.find((candidate) => candidate.name === this.options.topic);
    if (topic === undefined || topic.errorCode !== KafkaErrorCode.NONE) {
      const reason = topic === undefined ? 'absent from metadata' : kafkaErrorName(topic.errorCode);
      throw new RawSinkError('UNAVAILABLE', `kafka topic ${this.options.topic}: ${reason}`);
    }
    const leaders: number[] = [];
    for (const partition of topic.partitions) leaders[partition.index] = partition.leader;
    const pinned = this.retryPending && this.leaders !== undefined ? this.leaders.length : leaders.length;
    this.leaders = Array.from({ length: pinned }, (_, index) => leaders[index] ?? -1);
    this.metadataAt = Date.now();
    this.metadataStale = false;
    return this.leaders;
  }

  private async connectionTo(nodeId: number): Promise<BrokerConnection> {
    const broker = this.brokers.get(nodeId);
    if (broker === undefined) {
      this.metadataStale = true;
      throw new RawSinkError('UNAVAILABLE', `kafka broker ${nodeId} unknown`);
    }
    return this.open(broker.host, broker.port);
  }

  /** A live connection to any broker: a known one first, else the bootstrap list in order. */
  private async anyConnection(): Promise<BrokerConnection> {
    for (const connection of this.connections.values()) if (connection.alive) return connection;
    let lastError: unknown;
    for (const address of this.options.brokers) {
      const [host = '', port = '9092'] = address.split(':');
      try {
        return await this.open(host, Number(port));
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError instanceof RawSinkError
      ? lastError
      : new RawSinkError('UNAVAILABLE', 'no kafka broker reachable');
  }

  private async open(host: string, port: number): Promise<BrokerConnection> {
    const address = `${host}:${port}`;
    const existing = this.connections.get(address);
    if (existing?.alive) return existing;
    const connection = await BrokerConnection.open(host, port, this.options.clientId, 10_000);
    if (this.closed) {
      connection.close();
      throw new RawSinkError('UNAVAILABLE', 'kafka sink closed');
    }
    this.connections.set(address, connection);
    return connection;
  }
}
