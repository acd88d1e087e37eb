import type { Aggregate } from '@terrapulse/contracts';
import { type LeanMessage, LeanProducer, type Logger } from '@terrapulse/service-kit';
import { JsonBytes } from '../../json-bytes.js';
import type { AggregateSink } from '../../ports/aggregate-sink.js';
import { writeAggregate } from './aggregate-json.js';

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
  /** Where a send writes its records' values; undefined while a send uses it. */
  #values: JsonBytes | undefined;

  constructor(options: LeanAggregateSinkOptions) {
    this.#topic = options.topic;
    this.#maxRequestBytes = options.maxRequestBytes ?? 900 * 1024;
    this.#producer = new LeanProducer({
      brokers: options.brokers,
      clientId: options.clientId,
      logger: options.logger,
      maxMergeBytes: this.#maxRequestBytes,
    });
    this.#values = new JsonBytes(this.#maxRequestBytes + 64 * 1024);
  }

  connect(): Promise<void> {
    return this.#producer.connect();
  }

  /**
   * Request after request, in order, so a device's aggregates are written in the order given.
   * Values are views of one buffer, written in place: the producer copies them into its record
   * batch before a request settles, so the buffer serves the next request, and the next send.
   */
  async send(aggregates: readonly Aggregate[]): Promise<void> {
    // A send running beside another (the port allows it) writes into a buffer of its own.
    const values = this.#values ?? new JsonBytes(this.#maxRequestBytes + 64 * 1024);
    this.#values = undefined;
    try {
      await this.#sendFrom(values, aggregates);
    } finally {
      this.#values = values;
    }
  }

  async #sendFrom(values: JsonBytes, aggregates: readonly Aggregate[]): Promise<void> {
    let messages: LeanMessage[] = [];
    let bytes = 0;
    values.reset();
    for (const aggregate of aggregates) {
      let start = values.at;
      writeAggregate(values, aggregate);
      const length = values.at - start;
      if (bytes + length > this.#maxRequestBytes && messages.length > 0) {
        await this.#producer.send([{ topic: this.#topic, messages }]);
        messages = [];
        bytes = 0;
        // The sent values are copied: this one moves to the front, the rest is written after it.
        values.buffer.copy(values.buffer, 0, start, start + length);
        values.at = length;
        start = 0;
      }
      messages.push({ key: aggregate.deviceId, value: values.buffer.subarray(start, start + length) });
      bytes += length + aggregate.deviceId.length + 64;
    }
    if (messages.length > 0) await this.#producer.send([{ topic: this.#topic, messages }]);
  }

  close(): Promise<void> {
    return this.#producer.close();
  }
}
