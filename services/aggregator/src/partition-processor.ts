import type { HealthReport, Logger } from '@terrapulse/service-kit';
import type { AggregatorOptions } from './app.js';
import type { WindowStoreOptions } from './domain/index.js';
import type { AggregatorMetrics } from './metrics.js';
import { Outbox } from './outbox.js';
import { OutputStage } from './output-stage.js';
import { restorePartitions } from './partition-restorer.js';
import { BatchTally, type PartitionState } from './partition-state.js';
import type { AggregateSink } from './ports/aggregate-sink.js';
import type { CheckpointStore, PartitionCheckpoint } from './ports/checkpoint-store.js';
import type { BatchControl, ReadingSource, SourceBatch, SourceHandlers } from './ports/reading-source.js';
import { ReadingDecoder } from './reading-decoder.js';
import { SerialLock } from './serial-lock.js';

export interface ProcessorDeps {
  readonly source: ReadingSource;
  readonly sink: AggregateSink;
  readonly checkpoints: CheckpointStore;
  readonly logger: Logger;
  readonly options: AggregatorOptions;
  readonly metrics: AggregatorMetrics;
  readonly clock: () => number;
  readonly storeOptions: WindowStoreOptions;
}

/** Finals accumulated in a batch beyond which the batch flushes at once instead of at the next tick. */
const MAX_PENDING_FINALS = 20_000;

/**
 * Owns the window state of the assigned partitions: applies batches, drains flushes and
 * checkpoints into the output stage, restores partitions. State changes run under one lock;
 * the output's I/O does not. A `generation` counts ownership changes: work begun in an older
 * one stops at its next step instead of publishing for partitions that may be another's.
 */
export class PartitionProcessor {
  readonly #deps: ProcessorDeps;
  readonly #log: Logger;
  readonly #lock = new SerialLock();
  readonly #partitions = new Map<number, PartitionState>();
  readonly #output: OutputStage;
  readonly #decoder = new ReadingDecoder();
  #assignment: readonly number[] = [];
  #generation = 0;
  #loading: { generation: number; done: Promise<void> } | undefined;
  #stopping = false;
  #sinceCheckpoint = 0;
  #lastCheckpointAt: number;
  #fatal: string | undefined;

  constructor(deps: ProcessorDeps) {
    this.#deps = deps;
    this.#log = deps.logger;
    this.#lastCheckpointAt = deps.clock();
    this.#output = new OutputStage({
      ...deps,
      isCurrent: (generation) => generation === this.#generation,
      // Even when stopping: a checkpoint written after lost aggregates would make the loss final.
      onAbandon: (generation) => {
        if (generation === this.#generation) this.#supersede();
      },
      isStopping: () => this.#stopping,
    });
  }

  readonly handlers: SourceHandlers = {
    onAssign: (partitions) => {
      this.#supersede();
      this.#assignment = [...partitions].sort((a, b) => a - b);
      this.#deps.metrics.assignedPartitions.set(partitions.length);
      this.#log.info('partitions assigned', { partitions: this.#assignment });
      if (partitions.length > 0) this.#startLoading(this.#generation);
    },
    onRevoke: () => {
      this.#supersede();
      this.#assignment = [];
      this.#deps.metrics.assignedPartitions.set(0);
    },
    onBatch: (batch, control) => this.#onBatch(batch, control),
  };

  /** Idle watermarks, then a flush or a checkpoint; resolves once its output is durable. */
  async tick(): Promise<void> {
    const output = await this.#lock.run(async () => {
      if (this.#stopping) return undefined;
      if (this.#partitions.size > 0 && !this.#deps.source.isMember()) {
        this.#log.warn('group membership not confirmed lately: dropping state, it will be restored');
        this.#supersede();
        return undefined;
      }
      const now = this.#deps.clock();
      for (const state of this.#partitions.values()) {
        if (state.caughtUp) state.advanceIdle(now, this.#deps.options.idleTimeoutMs);
      }
      const due = now - this.#lastCheckpointAt >= this.#deps.options.checkpointIntervalMs;
      const output = await this.#drain(due);
      this.#updateGauges();
      return output;
    });
    await output?.durable;
  }

  /** Final flush, checkpoint and commit; batches after it are ignored. */
  async shutdown(): Promise<void> {
    this.#stopping = true;
    const output = await this.#lock.run(() => this.#drain(true));
    await output.durable;
  }

  health(): HealthReport {
    const failing = this.#fatal ?? this.#output.failing;
    const checks = {
      assignedPartitions: this.#assignment,
      restoredPartitions: [...this.#partitions.keys()],
      inputLagRecords: this.#lag(),
      lastCheckpointAgeMs: this.#deps.clock() - this.#lastCheckpointAt,
      failing,
    };
    return { status: failing === undefined ? 'ok' : 'degraded', checks };
  }

  async #onBatch(batch: SourceBatch, control: BatchControl): Promise<void> {
    const handOver = await this.#lock.run(async () => {
      if (this.#stopping || !control.isActive()) return undefined;
      const state = this.#partitions.get(batch.partition) ?? (await this.#restored(batch.partition));
      if (state === undefined || !this.#aligned(state, batch, control)) return undefined;
      const { tally, rebalancing } = await this.#apply(state, batch, control);
      this.#record(tally);
      this.#sinceCheckpoint += tally.processed;
      const keepAlive = () => control.heartbeat();
      if (rebalancing) return this.#drain(true, keepAlive);
      if (this.#sinceCheckpoint >= this.#deps.options.checkpointMaxMessages)
        await this.#drain(true, keepAlive);
      else if (state.closed.length > MAX_PENDING_FINALS) await this.#drain(false, keepAlive);
      return undefined;
    });
    // Partitions about to be revoked: their checkpoint must be durable before we rejoin.
    if (handOver !== undefined) return handOver.durable;
    if (this.#stopping || (await control.heartbeat())) return;
    this.#log.info('group rebalancing: checkpointing before handing partitions back');
    const output = await this.#lock.run(() => this.#drain(true));
    await output.durable;
  }

  /**
   * Under the lock: waits for the output job in flight, then drains every partition's finals
   * and changed windows (and, for a checkpoint, snapshots the partitions that moved, at the
   * same instant) into the next job. Returns that job's completion, wrapped so that the lock
   * is released before it (a promise returned from an async section would be awaited in it).
   */
  async #drain(checkpoint: boolean, keepAlive?: () => Promise<boolean>): Promise<{ durable: Promise<void> }> {
    await this.#output.idle(keepAlive);
    const outbox = new Outbox();
    for (const state of this.#partitions.values()) state.drainInto(outbox);
    const checkpoints: PartitionCheckpoint[] = [];
    if (checkpoint) {
      const now = this.#deps.clock();
      for (const state of this.#partitions.values()) {
        if (!state.moved || state.nextOffset === undefined) continue;
        checkpoints.push(state.checkpoint(now));
        state.moved = false;
      }
      this.#lastCheckpointAt = now;
      this.#sinceCheckpoint = 0;
    }
    if (outbox.size === 0 && checkpoints.length === 0) return { durable: Promise.resolve() };
    return { durable: this.#output.start({ outbox, checkpoints, generation: this.#generation }) };
  }

  async #apply(
    state: PartitionState,
    batch: SourceBatch,
    control: BatchControl,
  ): Promise<{ tally: BatchTally; rebalancing: boolean }> {
    const tally = new BatchTally();
    const { messages } = batch;
    let last = -1;
    let rebalancing = false;
    for (let i = 0; i < messages.length; i++) {
      if (this.#stopping) break;
      if ((i & 1023) === 1023) {
        if (!control.isActive()) break;
        rebalancing = !(await control.heartbeat());
        if (rebalancing) break;
      }
      const message = messages[i];
      if (message === undefined) break;
      const offset = Number(message.offset);
      if (offset >= (state.nextOffset ?? 0)) {
        const decoded = this.#decoder.decode(message.value);
        if (decoded.ok) state.apply(decoded.reading, tally);
        else this.#invalid(state.partition, offset, decoded.reason, tally);
        state.nextOffset = offset + 1;
        state.moved = true;
        tally.processed++;
      }
      last = offset;
    }
    if (last >= 0) control.resolve(last);
    state.endOffset = Math.max(state.endOffset, batch.highWatermark);
    return { tally, rebalancing };
  }

  /** Counts and skips a record that is not a reading; logs the first of each batch. */
  #invalid(partition: number, offset: number, reason: string, tally: BatchTally): void {
    if (tally.outcomes.invalid === 0)
      this.#log.warn('skipping invalid reading', { partition, offset, reason });
    tally.outcomes.invalid++;
  }

  /**
   * Lines the batch up with the state: the source resumes from the group's committed offset,
   * which may lag the checkpoint (a commit lost) or lead it (state dropped while the source
   * kept its position). The first mismatch seeks; after that, earlier records are skipped and
   * a later start means the records in between are gone (input retention), which is logged.
   */
  #aligned(state: PartitionState, batch: SourceBatch, control: BatchControl): boolean {
    const first = batch.messages[0];
    if (first === undefined) return false;
    const firstOffset = Number(first.offset);
    if (state.nextOffset === undefined) {
      this.#log.info('no checkpoint: starting with empty windows', {
        partition: state.partition,
        offset: firstOffset,
      });
      state.nextOffset = firstOffset;
    }
    if (firstOffset !== state.nextOffset && !state.sought) {
      state.sought = true;
      control.seek(state.nextOffset);
      return false;
    }
    state.sought = true;
    if (firstOffset > state.nextOffset) {
      this.#log.error('input records missing, windows may be incomplete', {
        partition: state.partition,
        expected: state.nextOffset,
        got: firstOffset,
      });
      state.nextOffset = firstOffset;
    }
    return true;
  }

  async #restored(partition: number): Promise<PartitionState | undefined> {
    const generation = this.#generation;
    if (!this.#assignment.includes(partition)) this.#assignment = [...this.#assignment, partition];
    // Twice at most: a load already running for this generation may not include the partition.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (this.#loading?.generation !== generation) this.#startLoading(generation);
      await this.#loading?.done;
      if (generation !== this.#generation) return undefined;
      const state = this.#partitions.get(partition);
      if (state !== undefined) return state;
      this.#loading = undefined;
    }
    return undefined;
  }

  #startLoading(generation: number): void {
    const partitions = this.#assignment;
    const done = this.#load(partitions, generation).catch((error: unknown) => {
      if (generation !== this.#generation) return;
      this.#fatal = `cannot restore partitions ${partitions.join(',')}: ${String(error)}`;
      this.#log.error('restore failed', { partitions, error });
      throw error;
    });
    done.catch(() => {}); // awaited by the batches of these partitions, which report it
    this.#loading = { generation, done };
  }

  /** Restores the assigned partitions not restored yet, unless the generation ends first. */
  async #load(assignment: readonly number[], generation: number): Promise<void> {
    const partitions = assignment.filter((p) => !this.#partitions.has(p));
    if (partitions.length === 0) return;
    const states = await restorePartitions(this.#deps, partitions, () => generation === this.#generation);
    if (states === undefined || generation !== this.#generation) return;
    for (const [partition, state] of states) this.#partitions.set(partition, state);
    this.#updateGauges();
  }

  /** Ends the current generation: its state and undrained aggregates are dropped, to be replayed. */
  #supersede(): void {
    this.#generation++;
    this.#partitions.clear();
    this.#loading = undefined;
  }

  #record(tally: BatchTally): void {
    const { metrics } = this.#deps;
    for (const [outcome, count] of Object.entries(tally.outcomes)) {
      if (count > 0) metrics.readings.inc({ outcome }, count);
    }
    for (const [window, count] of Object.entries(tally.duplicates)) {
      if (count > 0) metrics.windowDuplicates.inc({ window }, count);
    }
    for (const [window, count] of Object.entries(tally.tooLate)) {
      if (count > 0) metrics.windowTooLate.inc({ window }, count);
    }
  }

  #lag(): number {
    let lag = 0;
    for (const state of this.#partitions.values()) lag += state.lag;
    return lag;
  }

  #updateGauges(): void {
    let open = 0;
    let series = 0;
    for (const state of this.#partitions.values()) {
      open += state.store.openWindowCount;
      series += state.store.seriesCount;
    }
    const { metrics } = this.#deps;
    metrics.openWindows.set(open);
    metrics.series.set(series);
    metrics.inputLag.set(this.#lag());
  }
}
