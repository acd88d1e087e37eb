import { LeanProducer, type Logger } from '@terrapulse/service-kit';
import type { OutputSink, SinkHealth, TopicMessages } from '../../ports/index.js';

export interface LeanOutputSinkOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  /** A send pending longer than this makes the sink unhealthy (Kafka unreachable). */
  readonly slowSendMs?: number;
}

/**
 * Readings and dead letters through service-kit's LeanProducer: idempotent, acks = all, one
 * request in flight, the sends of concurrently processed partitions merged into one request.
 * Partitions as kafkajs's default partitioner does, so KAFKA_PRODUCER can switch back and forth.
 */
export class LeanOutputSink implements OutputSink {
  private readonly producer: LeanProducer;
  private readonly slowSendMs: number;

  constructor(options: LeanOutputSinkOptions) {
    this.slowSendMs = options.slowSendMs ?? 10_000;
    this.producer = new LeanProducer({
      brokers: options.brokers,
      clientId: options.clientId,
      logger: options.logger,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  send(batches: readonly TopicMessages[]): Promise<void> {
    return this.producer.send(batches);
  }

  close(): Promise<void> {
    return this.producer.close();
  }

  health(): SinkHealth {
    const { connected, pendingSendMs = 0, lastError } = this.producer.status();
    return {
      connected: connected && pendingSendMs < this.slowSendMs,
      detail: { pendingSendMs, client: 'lean', ...(lastError !== undefined && { lastError }) },
    };
  }
}
