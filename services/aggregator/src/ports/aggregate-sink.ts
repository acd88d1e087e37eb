import type { Aggregate } from '@terrapulse/contracts';

/** Where aggregates go (Kafka `telemetry.aggregates` in production). */
export interface AggregateSink {
  connect(): Promise<void>;
  /**
   * Publishes `aggregates`; resolves only once every one is durable (acks from all in-sync
   * replicas), rejects if any may not be. Order is kept per device.
   */
  send(aggregates: readonly Aggregate[]): Promise<void>;
  close(): Promise<void>;
}
