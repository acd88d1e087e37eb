import type { Aggregate, NormalizedReading } from '@terrapulse/contracts';
import {
  ApplyOutcome,
  WINDOW_KINDS,
  type WindowKind,
  WindowStore,
  type WindowStoreOptions,
} from './domain/index.js';
import type { ReadingOutcome } from './metrics.js';
import type { Outbox } from './outbox.js';
import type { PartitionCheckpoint } from './ports/checkpoint-store.js';

/** Counts of one batch, added to the metrics once per batch rather than once per reading. */
export class BatchTally {
  readonly outcomes: Record<ReadingOutcome, number> = { applied: 0, duplicate: 0, too_late: 0, invalid: 0 };
  readonly duplicates = windowCounts();
  readonly tooLate = windowCounts();
  processed = 0;
}

function windowCounts(): Record<WindowKind, number> {
  const counts = {} as Record<WindowKind, number>;
  for (const kind of WINDOW_KINDS) counts[kind] = 0;
  return counts;
}

/**
 * The windows built from one input partition, and where in the partition they stand. Kept per
 * partition so that a rebalance moves a partition's state with it: the store is checkpointed,
 * dropped and restored by whoever owns the partition next.
 */
export class PartitionState {
  readonly partition: number;
  readonly store: WindowStore;
  /** Next input offset to apply; undefined until the first batch fixes it (no checkpoint yet). */
  nextOffset: number | undefined;
  /** Input high watermark as last seen: the partition is caught up when `nextOffset` reaches it. */
  endOffset = 0;
  /** Set once the source was asked to seek to `nextOffset`, so a second miss is a real gap. */
  sought = false;
  /** True when the state moved since the last durable checkpoint. */
  moved = false;
  /** Final aggregates of windows closed since the last flush. */
  readonly closed: Aggregate[] = [];
  /** What the reading being applied did; one per partition, reused reading after reading. */
  readonly #outcome = new ApplyOutcome();

  private constructor(partition: number, store: WindowStore, nextOffset: number | undefined) {
    this.partition = partition;
    this.store = store;
    this.nextOffset = nextOffset;
  }

  static fresh(partition: number, options: WindowStoreOptions): PartitionState {
    return new PartitionState(partition, new WindowStore(options), undefined);
  }

  /** @throws RangeError when the snapshot cannot be restored. */
  static restore(checkpoint: PartitionCheckpoint, options: WindowStoreOptions): PartitionState {
    const store = WindowStore.restore(checkpoint.snapshot, options);
    return new PartitionState(checkpoint.partition, store, checkpoint.offset);
  }

  get caughtUp(): boolean {
    return this.nextOffset !== undefined && this.nextOffset >= this.endOffset;
  }

  get lag(): number {
    return this.nextOffset === undefined ? 0 : Math.max(0, this.endOffset - this.nextOffset);
  }

  /** Applies a valid reading and tallies what it did; its finals join `closed`. */
  apply(reading: NormalizedReading, tally: BatchTally): void {
    const outcome = this.#outcome;
    outcome.reset(this.closed);
    this.store.applyInto(reading, outcome);
    if (outcome.rejected) {
      tally.outcomes.invalid++;
      return;
    }
    const { duplicates, tooLate } = outcome;
    for (let i = 0; i < duplicates.length; i++) tally.duplicates[duplicates[i] as WindowKind]++;
    for (let i = 0; i < tooLate.length; i++) tally.tooLate[tooLate[i] as WindowKind]++;
    const kinds = this.store.windowKinds.length;
    if (duplicates.length + tooLate.length < kinds) tally.outcomes.applied++;
    else if (duplicates.length > 0) tally.outcomes.duplicate++;
    else tally.outcomes.too_late++;
  }

  /** Closes the windows of devices silent for `idleMs` of processing time. */
  advanceIdle(now: number, idleMs: number): number {
    const closed = this.store.closeIdle(now, idleMs);
    for (const aggregate of closed) this.closed.push(aggregate);
    if (closed.length > 0) this.moved = true;
    return closed.length;
  }

  /** Moves the closed windows' finals, then the changed open windows' updates, into `outbox`. */
  drainInto(outbox: Outbox): void {
    for (const aggregate of this.closed) outbox.add(aggregate, 'final');
    this.closed.length = 0;
    for (const aggregate of this.store.drainChanged()) outbox.add(aggregate, 'update');
  }

  /** The state as a checkpoint; only meaningful right after a flush (nothing pending). */
  checkpoint(writtenAt: number): PartitionCheckpoint {
    return {
      partition: this.partition,
      offset: this.nextOffset ?? 0,
      snapshot: this.store.snapshot(),
      writtenAt,
    };
  }
}
