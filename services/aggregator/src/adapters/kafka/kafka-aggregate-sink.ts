import type { Aggregate } from '@terrapulse/contracts';
import { memoizedDefaultPartitioner } from '@terrapulse/service-kit';
import type { Kafka, Message, Producer } from 'kafkajs';
import type { AggregateSink } from '../../ports/aggregate-sink.js';
import { aggregateJson } from './aggregate-json.js';

export interface KafkaAggregateSinkOptions {
  readonly topic: string;
  /**
   * Upper bound of the record bytes of one produce request. A partition's share of a request
   * is one record batch, which the broker refuses beyond `max.message.bytes` (1 MiB by default),
   * so requests stay under it whatever the key spread. Default 900 KiB.
   */
  readonly maxRequestBytes?: number;
}

/**
 * `telemetry.aggregates` through an idempotent producer: acks from every in-sync replica, no
 * duplicates or reordering from producer retries, no compression (CPU is the budget).
 */
export class KafkaAggregateSink implements AggregateSink {
  readonly #topic: string;
  readonly #maxRequestBytes: number;
  readonly #producer: Producer;

  constructor(kafka: Kafka, options: KafkaAggregateSinkOptions) {
    this.#topic = options.topic;
    // Fewer, larger requests: kafkajs's cost is mostly per request and per partition batch.
    this.#maxRequestBytes = options.maxRequestBytes ?? 900 * 1024;
    this.#producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // murmur2 of the key, as Java clients do: a device's aggregates land where any client expects.
      createPartitioner: memoizedDefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    return this.#producer.connect();
  }

  async send(aggregates: readonly Aggregate[]): Promise<void> {
    let messages: Message[] = [];
    let bytes = 0;
    for (const aggregate of aggregates) {
      const value = aggregateJson(aggregate);
      // JSON of an aggregate is ASCII but for its ids, so its length is close to its byte size.
      if (bytes + value.length > this.#maxRequestBytes && messages.length > 0) {
        await this.#produce(messages);
        messages = [];
        bytes = 0;
      }
      messages.push({ key: aggregate.deviceId, value });
      bytes += value.length + aggregate.deviceId.length + 64;
    }
    if (messages.length > 0) await this.#produce(messages);
  }

  close(): Promise<void> {
    return this.#producer.disconnect();
  }

  async #produce(messages: Message[]): Promise<void> {
    await this.#producer.send({ topic: this.#topic, acks: -1, messages });
  }
}
