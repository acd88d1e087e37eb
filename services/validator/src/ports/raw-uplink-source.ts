import type { RawUplink } from '../domain/index.js';

/** A batch of raw messages from one partition, in offset order. */
export interface RawBatch {
  readonly partition: number;
  readonly messages: readonly RawUplink[];
  /** Messages behind the partition's high watermark once this batch is done. */
  readonly lag: number;
  /** False once the source is stopping or the partition was taken away: stop, hand the rest back. */
  isActive(): boolean;
  /**
   * Marks every message up to and including `offset` done and commits it. Call it only once the
   * effects of those messages are durable. Never throws: a failed commit is retried by the next.
   */
  commit(offset: string): Promise<void>;
  /** Keeps the group membership alive during a long batch. */
  heartbeat(): Promise<void>;
}

export type RawBatchHandler = (batch: RawBatch) => Promise<void>;

export interface SourceHealth {
  readonly connected: boolean;
  readonly detail: Record<string, unknown>;
}

/** Where raw uplinks come from (telemetry.raw), at least once, batch by batch. */
export interface RawUplinkSource {
  /** Starts delivering batches to `handler`; resolves once consumption runs. */
  start(handler: RawBatchHandler): Promise<void>;
  /** Stops taking batches, waits for the batch in flight, closes the connection. */
  stop(): Promise<void>;
  health(): SourceHealth;
}
