import type { Logger } from '@terrapulse/service-kit';
import { backoffDelay, sleep } from './backoff.js';
import type { AggregatorMetrics } from './metrics.js';
import type { Outbox } from './outbox.js';
import type { AggregateSink } from './ports/aggregate-sink.js';
import type { CheckpointStore, PartitionCheckpoint } from './ports/checkpoint-store.js';
import type { ReadingSource } from './ports/reading-source.js';

/**
 * What one flush hands to the output: aggregates drained from the stores and, for a
 * checkpoint, the snapshots taken at the same instant (no record applied in between).
 */
export interface OutputJob {
  readonly outbox: Outbox;
  readonly checkpoints: readonly PartitionCheckpoint[];
  readonly generation: number;
}

export interface OutputStageDeps {
  readonly sink: AggregateSink;
  readonly checkpoints: CheckpointStore;
  readonly source: ReadingSource;
  readonly metrics: AggregatorMetrics;
  readonly logger: Logger;
  readonly clock: () => number;
  /** False once the job's generation ended: its partitions may belong to another member. */
  readonly isCurrent: (generation: number) => boolean;
  /** The job was given up: the state it came from no longer matches downstream. */
  readonly onAbandon: (generation: number) => void;
  readonly isStopping: () => boolean;
}

/** Failed attempts of an operation during shutdown before giving up (the restart replays). */
const SHUTDOWN_ATTEMPTS = 3;
/** A commit is best effort (the checkpoint is the truth): do not wait longer for it. */
const COMMIT_WAIT_MS = 5_000;

/**
 * Runs flushes and checkpoints one at a time, outside the processing lock, so that records
 * keep being applied while Kafka acknowledges. One job at most is in flight: the processor
 * waits for it before draining the next, which keeps memory bounded and the order that makes
 * checkpoints safe: a job publishes its aggregates, then saves its snapshots, then commits,
 * and a job starts only after the previous one is done.
 */
export class OutputStage {
  readonly #deps: OutputStageDeps;
  #inFlight: Promise<void> = Promise.resolve();
  #failing: { operation: string; error: string; since: number } | undefined;

  constructor(deps: OutputStageDeps) {
    this.#deps = deps;
  }

  get failing(): { operation: string; error: string; since: number } | undefined {
    return this.#failing;
  }

  /** Resolves when no job is in flight; calls `keepAlive` every `everyMs` meanwhile. */
  async idle(keepAlive?: () => Promise<unknown>, everyMs = 1_000): Promise<void> {
    let done = false;
    const inFlight = this.#inFlight.then(() => {
      done = true;
    });
    while (!done) {
      await Promise.race([inFlight, sleep(everyMs)]);
      if (!done && keepAlive !== undefined) await keepAlive();
    }
  }

  /** Starts `job`; callers await `idle()` first. The returned promise never rejects. */
  start(job: OutputJob): Promise<void> {
    this.#inFlight = this.#run(job);
    return this.#inFlight;
  }

  async #run(job: OutputJob): Promise<void> {
    const started = performance.now();
    try {
      if (job.outbox.size > 0)
        await this.#retry('send_aggregates', job.generation, () => this.#deps.sink.send(job.outbox.items));
      for (const { window, state, count } of job.outbox.counts())
        this.#deps.metrics.aggregates.inc({ window, state }, count);
      if (job.checkpoints.length === 0) return;
      const write = await this.#retry('save_checkpoints', job.generation, () =>
        this.#deps.checkpoints.save(job.checkpoints),
      );
      await this.#commit(new Map(job.checkpoints.map((c) => [c.partition, c.offset])));
      const { metrics } = this.#deps;
      metrics.checkpoints.inc();
      metrics.checkpointBytes.set(write.bytes);
      metrics.checkpointSeconds.observe((performance.now() - started) / 1_000);
    } catch (error) {
      if (this.#deps.isCurrent(job.generation)) {
        this.#deps.logger.error('output abandoned; the partitions replay from their last checkpoint', {
          error,
        });
        this.#deps.onAbandon(job.generation);
      }
    }
  }

  async #commit(offsets: ReadonlyMap<number, number>): Promise<void> {
    const commit = this.#deps.source.commit(offsets).catch((error: unknown) => {
      this.#deps.metrics.dependencyFailures.inc({ operation: 'commit_offsets' });
      this.#deps.logger.warn('offset commit failed; the checkpoint still holds the position', { error });
    });
    await Promise.race([commit, sleep(COMMIT_WAIT_MS)]);
  }

  /**
   * Runs `attempt` until it succeeds, backing off. Gives up when the generation ended, when
   * heartbeats stopped (the group may have given the partitions to another member, which must
   * not see this member publish for them), or after a few attempts during shutdown.
   */
  async #retry<T>(operation: string, generation: number, attempt: () => Promise<T>): Promise<T> {
    const deps = this.#deps;
    for (let failures = 1; ; failures++) {
      if (!deps.isCurrent(generation)) throw new Error('ownership changed');
      try {
        const result = await attempt();
        if (this.#failing?.operation === operation) {
          deps.logger.info('dependency recovered', { operation, failures: failures - 1 });
          this.#failing = undefined;
        }
        return result;
      } catch (error) {
        deps.metrics.dependencyFailures.inc({ operation });
        this.#failing ??= { operation, error: String(error), since: deps.clock() };
        deps.logger.warn('operation failed, retrying', { operation, failures, error });
        if (deps.isStopping() && failures >= SHUTDOWN_ATTEMPTS) throw error;
        await sleep(backoffDelay(failures));
        if (!deps.isStopping() && !deps.source.isMember()) throw new Error('group membership lapsed');
      }
    }
  }
}
