import type { Stream } from '../domain/encode-record.js';

/** One record as the writer sees it. */
export interface SourceRecord {
  readonly value: Buffer | null;
  /** Position in its partition, for logs (Kafka offsets are int64: a decimal string). */
  readonly offset: string;
}

/**
 * Consecutive records of one partition of one stream. The source stops fetching the partition
 * while a chunk of it is pending, so memory is bounded by one chunk per partition.
 */
export interface RecordChunk {
  readonly stream: Stream;
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly SourceRecord[];
  /**
   * Every record of the chunk is stored, or skipped for good: its position may be committed.
   * Chunks of a partition may complete in any order; the source commits in offset order.
   */
  complete(): void;
}

export interface RecordSourceHandler {
  /** Takes a chunk; must not block (the work continues after it returns). */
  onChunk(chunk: RecordChunk): void;
  /** Nothing more will arrive before what is buffered is written: write it now. */
  onIdle(): void;
  /** The source failed for good; the process should exit and be restarted. */
  onFatal(error: Error): void;
}

export interface RecordSourceStatus {
  readonly joined: boolean;
  readonly assignedPartitions: number;
  readonly pausedPartitions: number;
  readonly lastCommitError?: string;
}

export interface RecordSource {
  /** Joins the consumer group and starts delivering chunks. */
  start(handler: RecordSourceHandler): Promise<void>;
  /** Stops delivering chunks; completions still commit. */
  stopDelivering(): void;
  /** Commits what is complete, leaves the group and closes connections. */
  stop(): Promise<void>;
  status(): RecordSourceStatus;
}
