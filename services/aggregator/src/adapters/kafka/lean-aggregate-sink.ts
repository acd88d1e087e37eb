import type { Aggregate } from '@terrapulse/contracts';
import { type LeanMessage, LeanProducer, type Logger } from '@terrapulse/service-kit';
import type { AggregateSink } from '../../ports/aggregate-sink.js';
import { aggregateJson } from './aggregate-json.js';

export interface LeanAggregateSinkOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly topic: string;
  readonly logger: Logger;
  /**
   * Upper bound of the record bytes of one produce request: a partition's share of a request is
   * one record batch, which the broker refuses beyond `max.message.bytes` (1 MiB by default).
   * Default 900 KiB.
   */
  readonly maxRequestBytes?: number;
}

/**
 * `telemetry.aggregates` through service-kit's LeanProducer: idempotent, acks from every in-sync
 * replica, kafkajs's default partitioning (murmur2 of the device id), no compression (CPU is the
 * budget), at a fraction of kafkajs's CPU per record.
 */
export class LeanAggregateSink implements AggregateSink {
  readonly #topic: string;
  readonly #maxRequestBytes: number;
  readonly #producer: LeanProducer;

  constructor(options: LeanAggregateSinkOptions) {
    this.#topic = options.topic;
    this.#maxRequestBytes = options.maxRequestBytes ?? 900 * 1024;
    this.#producer = new LeanProducer({
      brokers: options.brokers,
      clientId: options.clientId,
      logger: options.logger,
      maxMergeBytes: this.#maxRequestBytes,
    });
  }

  connect(): Promise<void> {
    return this.#producer.connect();
  }

  /** Request after request, in order, so a device's aggregates are written in the order given. */
  async send(aggregates: readonly Aggregate[]): Promise<void> {
    let messages: LeanMessage[] = [];
    let bytes = 0;
    for (const aggregate of aggregates) {
      const value = Buffer.from(aggregateJson(aggregate));
      if (bytes + value.length > this.#maxRequestBytes && messages.length > 0) {
        await this.#producer.send([{ topic: this.#topic, messages }]);
        messages = [];
        bytes = 0;
      }
      messages.push({ key: aggregate.deviceId, value });
      bytes += value.length + aggregate.deviceId.length + 64;
    }
    if (messages.length > 0) await this.#producer.send([{ topic: this.#topic, messages }]);
  }

  close(): Promise<void> {
    return this.#producer.close();
  }
}
