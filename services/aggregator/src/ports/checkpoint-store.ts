import type { WindowStoreSnapshot } from '../domain/index.js';

/**
 * The window state of one input partition and the input position it covers: restoring the
 * snapshot and reading on from `offset` rebuilds exactly the state of the instance that wrote it.
 */
export interface PartitionCheckpoint {
  readonly partition: number;
  /** Next input offset to process: every record before it is reflected in `snapshot`. */
  readonly offset: number;
  readonly snapshot: WindowStoreSnapshot;
  /** Epoch ms of the write, for operators. */
  readonly writtenAt: number;
}

export interface CheckpointWrite {
  readonly bytes: number;
}

/** Durable storage of the latest checkpoint per input partition. */
export interface CheckpointStore {
  /** Creates the storage if missing; it must hold at least `partitions` partitions. */
  prepare(partitions: number): Promise<void>;
  /** The latest checkpoint of each of `partitions` that has one. */
  load(partitions: readonly number[]): Promise<Map<number, PartitionCheckpoint>>;
  /** Stores `checkpoints`; resolves once all of them are durable. */
  save(checkpoints: readonly PartitionCheckpoint[]): Promise<CheckpointWrite>;
  close(): Promise<void>;
}
