import { memoizedDefaultPartitioner } from '@terrapulse/service-kit';
import type { Kafka, Producer } from 'kafkajs';
import { CompressionTypes } from 'kafkajs';
import type { OutputSink, SinkHealth, TopicMessages } from '../../ports/index.js';

/**
 * Writes readings and dead letters with an idempotent producer (acks = all, one request in
 * flight), so a retried request cannot duplicate or reorder a device's records. No compression:
 * on this pipeline's machine CPU is scarcer than bandwidth.
 */
export class KafkaOutputSink implements OutputSink {
  private readonly producer: Producer;
  private connected = false;
  /** Start times of the sends in flight (several partitions may send at once). */
  private readonly inFlight = new Map<object, number>();
  private lastError: string | undefined;

  constructor(
    kafka: Kafka,
    /** A send pending longer than this makes the sink unhealthy (Kafka unreachable). */
    private readonly slowSendMs = 10_000,
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: memoizedDefaultPartitioner,
      // Retries without end keep the idempotent producer's sequence guarantees (a limit makes
      // kafkajs warn that they may break); while Kafka is away the send waits, the partition pauses,
      // health turns degraded, and a stop abandons the send after its grace period.
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 },
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
  }

  async send(batches: readonly TopicMessages[]): Promise<void> {
    const token = {};
    this.inFlight.set(token, Date.now());
    try {
      await this.producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: batches.map((b) => ({ topic: b.topic, messages: [...b.messages] })),
      });
      this.lastError = undefined;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      this.inFlight.delete(token);
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }

  health(): SinkHealth {
    let oldest = Date.now();
    for (const started of this.inFlight.values()) oldest = Math.min(oldest, started);
    const pendingMs = Date.now() - oldest;
    const connected = this.connected && pendingMs < this.slowSendMs && this.lastError === undefined;
    return {
      connected,
      detail: {
        pendingSendMs: pendingMs,
        ...(this.lastError !== undefined && { lastError: this.lastError }),
      },
    };
  }
}
