import type { Logger } from '@terrapulse/service-kit';
import { CompressionTypes, type Kafka, Partitioners, type Producer } from 'kafkajs';
import type { RawRecord, RawRecordSink, RawRecordSinkStatus } from '../../ports/raw-record-sink.js';
import { classifyKafkaError } from './classify-kafka-error.js';

export interface KafkaRawRecordSinkOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly logger: Logger;
}

/**
 * telemetry.raw through an idempotent kafkajs producer: acks from all in-sync replicas, one
 * request in flight (kafkajs keeps sequence numbers right only then), no compression (CPU is the
 * budget on the machines we target, not bandwidth), Java-compatible partitioning by key so every
 * client of the topic agrees on a device's partition.
 */
export class KafkaRawRecordSink implements RawRecordSink {
  private readonly producer: Producer;
  private connected = false;

  constructor(private readonly options: KafkaRawRecordSinkOptions) {
    this.producer = options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // The bridge never creates topics: a missing topic is an operator's error to fix, and
      // until then the batch waits (auto-create is off on the brokers anyway).
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      // A few quick retries inside kafkajs ride over a leader change; beyond that the error comes
      // back to the forwarder, which counts it, reports it in /healthz and sends the same batch
      // again with its own backoff. (kafkajs warns that limiting retries weakens idempotence:
      // that is only true when the next send is a different batch, which the forwarder never does.)
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
    });
    this.producer.on(this.producer.events.CONNECT, () => {
      this.connected = true;
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connected = false;
    });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
    this.options.logger.info('kafka producer connected', { topic: this.options.topic });
  }

  async send(records: readonly RawRecord[]): Promise<void> {
    try {
      await this.producer.send({
        topic: this.options.topic,
        acks: -1,
        compression: CompressionTypes.None,
        messages: records.map((record) => ({
          key: record.key,
          value: record.value,
          headers: { ...record.headers },
        })),
      });
    } catch (error) {
      throw classifyKafkaError(error);
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }

  status(): RawRecordSinkStatus {
    return { connected: this.connected };
  }
}
