/**
 * The aggregator: readings in, window aggregates out, exact under crashes.
 *
 * Checkpoint + replay. Each input partition has its own WindowStore. Every emit interval the
 * service drains the stores into an output job: the final aggregate of every window closed
 * and the current aggregate of every window changed since the last drain. Every checkpoint
 * interval (or N records, or at shutdown, or when the group starts rebalancing) the same drain
 * also snapshots each partition that moved, with its next input offset, at the same instant:
 * no record is applied between the drain and the snapshots. A job then, in this order,
 *   1. publishes its aggregates and waits for the acks of all in-sync replicas;
 *   2. writes its snapshots to the checkpoint topic and waits for the acks;
 *   3. commits the snapshots' offsets to the consumer group.
 * Jobs run one at a time, outside the processing lock; a drain waits for the previous job.
 * A new owner of a partition restores its latest snapshot and reads on from its offset.
 *
 * Why a window can never end up downstream with fewer readings than it had before a crash,
 * uncorrected. Take any window W and the checkpoint (S, X) the restart resumes from. Every
 * change W underwent from records before X is in S and was drained at or before S's drain, so
 * it was published (step 1, and earlier jobs) before S became durable (step 2): downstream
 * holds W as of S at least. Every record from X on is read again, in the partition's order,
 * into the same state S, so the store goes through the same states as before the crash (the
 * per-device watermarks are functions of the records; duplicates resolve to the same first
 * reading), and every change W underwent after X happens again, marks W changed, and W is
 * published again with at least the readings it had. The one input that is not a record, the
 * idle timer raising watermarks from processing time, only runs on a partition caught up with
 * the high watermark seen at restore: on replay it cannot close W before W got back every
 * reading the crashed instance had given it (it can only accept readings the crashed instance
 * had refused as too late, which adds to W). The latest version of W downstream is therefore
 * never older than the crashed instance's. Each checkpoint is a whole snapshot, valid on its
 * own, so a late write by a former owner is harmless to state; a former owner that keeps
 * publishing after losing its partitions (a zombie) is not fenced by Kafka, only stopped by
 * the membership checks of the output stage.
 */

import type { HealthReport, Logger } from '@terrapulse/service-kit';
import type { WindowKind, WindowStoreOptions } from './domain/index.js';
import { type AggregatorMetrics, createAggregatorMetrics } from './metrics.js';
import { PartitionProcessor } from './partition-processor.js';
import type { AggregateSink } from './ports/aggregate-sink.js';
import type { CheckpointStore } from './ports/checkpoint-store.js';
import type { ReadingSource } from './ports/reading-source.js';

export interface AggregatorOptions {
  readonly timeZone: string;
  readonly windows: readonly WindowKind[];
  readonly allowedLatenessMs: number;
  readonly outOfOrdernessMs: number;
  readonly closeGraceMs: number;
  readonly resetRatio: number;
  readonly idleTimeoutMs: number;
  readonly emitIntervalMs: number;
  readonly checkpointIntervalMs: number;
  readonly checkpointMaxMessages: number;
}

export interface AggregatorDeps {
  readonly source: ReadingSource;
  readonly sink: AggregateSink;
  readonly checkpoints: CheckpointStore;
  readonly logger: Logger;
  readonly options: AggregatorOptions;
  /** Default: a fresh registry per instance. */
  readonly metrics?: AggregatorMetrics;
  /** Processing time (idle watermark, intervals, `computedAt`). Default `Date.now`. */
  readonly clock?: () => number;
}

export interface Aggregator {
  start(): Promise<void>;
  /** Stops taking records, flushes, checkpoints, commits, then closes every client. */
  stop(): Promise<void>;
  health(): HealthReport;
  readonly metrics: AggregatorMetrics;
}

/** The window stores' options: coalesced emission, since the service emits per interval. */
export function windowStoreOptions(options: AggregatorOptions, clock: () => number): WindowStoreOptions {
  return {
    timeZone: options.timeZone,
    windows: options.windows,
    allowedLatenessMs: options.allowedLatenessMs,
    outOfOrdernessMs: options.outOfOrdernessMs,
    closeGraceMs: options.closeGraceMs,
    resetRatio: options.resetRatio,
    clock,
    emit: 'coalesce',
  };
}

export function createAggregator(deps: AggregatorDeps): Aggregator {
  const metrics = deps.metrics ?? createAggregatorMetrics();
  const clock = deps.clock ?? Date.now;
  const { options } = deps;
  const storeOptions = windowStoreOptions(options, clock);
  const processor = new PartitionProcessor({ ...deps, metrics, clock, storeOptions });
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> = Promise.resolve();
  let phase: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';

  const schedule = (): void => {
    timer = setTimeout(() => {
      ticking = processor.tick().catch((error: unknown) => {
        deps.logger.error('periodic flush failed', { error });
      });
      ticking.then(() => {
        if (phase === 'running') schedule();
      });
    }, options.emitIntervalMs);
  };

  return {
    metrics,
    async start() {
      if (phase !== 'idle') throw new Error(`aggregator cannot start: it is ${phase}`);
      phase = 'running';
      await deps.sink.connect();
      await deps.checkpoints.prepare(await deps.source.partitionCount());
      await deps.source.start(processor.handlers);
      schedule();
      deps.logger.info('aggregator started', { ...options });
    },
    async stop() {
      if (phase !== 'running') return;
      phase = 'stopping';
      clearTimeout(timer);
      // Before waiting for the tick: from now on a failing output gives up instead of retrying.
      await processor.shutdown();
      await ticking;
      await deps.source.stop();
      await Promise.all([deps.sink.close(), deps.checkpoints.close()]);
      phase = 'stopped';
      deps.logger.info('aggregator stopped');
    },
    health() {
      if (phase === 'stopping' || phase === 'stopped') return { status: 'stopping', checks: { phase } };
      if (phase === 'idle') return { status: 'starting', checks: { phase } };
      return processor.health();
    },
  };
}
