/**
 * The partitioned, replayable log of readings the aggregator consumes (Kafka `telemetry.readings`
 * in production). A partition is the unit of ownership: its readings arrive in one order, and
 * one instance at a time owns it and the window state built from it.
 */

/** A record as the log delivers it; kafkajs messages satisfy it without a copy. */
export interface SourceMessage {
  /** Decimal offset, as Kafka clients spell it. */
  readonly offset: string;
  readonly value: Buffer | null;
}

export interface SourceBatch {
  readonly partition: number;
  readonly messages: readonly SourceMessage[];
  /** Offset the next produced record will get: the batch is caught up when it reaches it. */
  readonly highWatermark: number;
}

/** What a batch handler may do while it owns the batch. */
export interface BatchControl {
  /** Marks every offset up to `offset` processed, so the next fetch starts after it. */
  resolve(offset: number): void;
  /**
   * Keeps the group membership alive in a long batch. Resolves false when the group is
   * rebalancing: the batch should checkpoint and return, its partitions are about to be revoked.
   */
  heartbeat(): Promise<boolean>;
  /** Makes the next fetch of this partition start at `offset`; the rest of the batch is dropped. */
  seek(offset: number): void;
  /** False once the batch should be abandoned (stopping, rebalancing, or a seek). */
  isActive(): boolean;
}

export interface SourceHandlers {
  /**
   * A new group generation began with this complete assignment. Every partition, even one owned
   * before, restarts from the position the source committed, so state must be reloaded.
   */
  onAssign(partitions: readonly number[]): void;
  /** The group is rebalancing: the current assignment is about to be revoked. */
  onRevoke(): void;
  /** Processes a batch; batches of one partition never overlap. */
  onBatch(batch: SourceBatch, control: BatchControl): Promise<void>;
}

export interface ReadingSource {
  /** Partition count of the input, for sizing the checkpoint store. */
  partitionCount(): Promise<number>;
  /** Joins the group and starts delivering batches; resolves once consuming. */
  start(handlers: SourceHandlers): Promise<void>;
  /** The offsets the next records of `partitions` will get. */
  endOffsets(partitions: readonly number[]): Promise<Map<number, number>>;
  /** Records `offsets` (next offset to read, per partition) as the group's position. */
  commit(offsets: ReadonlyMap<number, number>): Promise<void>;
  /** True while the group membership is known to be alive (recent heartbeat). */
  isMember(): boolean;
  /** Stops fetching, waits for the batch in progress, leaves the group and disconnects. */
  stop(): Promise<void>;
}
