import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@terrapulse/service-kit';
import { type BackoffPolicy, retryDelayMs } from './domain/backoff.js';
import { STREAM_OF } from './domain/encode-record.js';
import type { MeasurementKind } from './domain/line-protocol.js';
import { PointSinkError } from './errors.js';
import type { WriterMetrics } from './metrics.js';
import type { PointSink } from './ports/point-sink.js';
import type { SkipLog } from './skip-log.js';

/** Lines of line protocol and the measurement of each, in the same order. */
export interface PointLines {
  readonly size: number;
  readonly kinds: readonly MeasurementKind[];
  /** Lines [from, to) separated by newlines, as UTF-8. */
  body(from: number, to: number): Buffer;
  line(index: number): string;
}

/** What the writer knows of InfluxDB: `up` is undefined until the first answer or failure. */
export interface InfluxState {
  readonly up: boolean | undefined;
  readonly lastError?: string;
  readonly failingSince?: string;
}

export interface BatchWriterDeps {
  readonly sink: PointSink;
  readonly metrics: WriterMetrics;
  readonly logger: Logger;
  readonly skipLog: SkipLog;
  readonly backoff: BackoffPolicy;
  /** Aborts waits and requests when the writer gives up on stop. */
  readonly signal: AbortSignal;
  readonly random: () => number;
}

type Answer = 'accepted' | PointSinkError;

/**
 * Writes one batch until every point is accepted or refused for good.
 *
 * - A failure to reach InfluxDB (or any answer that is not about the points) is retried forever
 *   with capped exponential backoff: nothing is dropped because InfluxDB is down.
 * - A request InfluxDB refuses for its content (400: field type conflict, time outside the
 *   retention policy) is split in halves until the refused points are alone; those are counted
 *   and logged as skipped, the rest written. Rewriting a point InfluxDB already took from a
 *   partial write is harmless: same point, same values.
 */
export class BatchWriter {
  readonly #d: BatchWriterDeps;
  #influx: InfluxState = { up: undefined };

  constructor(deps: BatchWriterDeps) {
    this.#d = deps;
  }

  /** Resolves once every line is accepted or skipped; rejects with ABORTED when stopped. */
  write(batch: PointLines): Promise<void> {
    return this.#writeRange(batch, 0, batch.size);
  }

  influx(): InfluxState {
    return this.#influx;
  }

  /** Records the answer of a health check made outside a write (at start). */
  noteReachable(up: boolean): void {
    if (up) this.#reachable();
    else this.#unreachable('InfluxDB does not answer /ping');
  }

  async #writeRange(batch: PointLines, from: number, to: number): Promise<void> {
    const answer = await this.#writeUntilAnswered(batch, from, to);
    if (answer === 'accepted') {
      this.#countWritten(batch, from, to);
      return;
    }
    const size = to - from;
    // InfluxDB said it dropped every point of the request: no good point to save by splitting.
    if (size === 1 || answer.droppedPoints === size) {
      this.#skipRefused(batch, from, to, answer);
      return;
    }
    const middle = from + Math.ceil(size / 2);
    await this.#writeRange(batch, from, middle);
    await this.#writeRange(batch, middle, to);
  }

  /** One body, sent until InfluxDB answers it: accepted, or refused for its content. */
  async #writeUntilAnswered(batch: PointLines, from: number, to: number): Promise<Answer> {
    const { sink, metrics, signal } = this.#d;
    const body = batch.body(from, to);
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      const error = await sink.write(body, signal).then(() => undefined, asSinkError);
      const seconds = (performance.now() - started) / 1000;
      if (error === undefined) {
        metrics.writeDuration.observe({ outcome: 'accepted' }, seconds);
        this.#reachable();
        return 'accepted';
      }
      if (error.code === 'ABORTED') throw error;
      if (!error.canRetry) {
        metrics.writeDuration.observe({ outcome: 'rejected' }, seconds);
        this.#reachable();
        return error;
      }
      metrics.writeDuration.observe({ outcome: 'failed' }, seconds);
      metrics.writeRetries.inc({ code: error.code });
      this.#unreachable(error.message);
      const delay = retryDelayMs(attempt, this.#d.backoff, this.#d.random);
      this.#d.logger.debug('write failed, retrying', { code: error.code, attempt, delayMs: delay });
      try {
        await sleep(delay, undefined, { signal });
      } catch (abort) {
        throw new PointSinkError('ABORTED', 'writer stopped while waiting to retry', { cause: abort });
      }
    }
  }

  #countWritten(batch: PointLines, from: number, to: number): void {
    const counts: Partial<Record<MeasurementKind, number>> = {};
    for (let i = from; i < to; i++) {
      const kind = batch.kinds[i] as MeasurementKind;
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    for (const [measurement, count] of Object.entries(counts)) {
      this.#d.metrics.pointsWritten.inc({ measurement }, count);
    }
  }

  #skipRefused(batch: PointLines, from: number, to: number, error: PointSinkError): void {
    for (let i = from; i < to; i++) {
      const kind = batch.kinds[i] as MeasurementKind;
      this.#d.metrics.recordsSkipped.inc({ stream: STREAM_OF[kind], cause: 'rejected_by_influxdb' });
      this.#d.skipLog.report('rejected_by_influxdb', 'point refused by InfluxDB, skipped', {
        measurement: kind,
        line: batch.line(i).slice(0, 300),
        error: error.message,
      });
    }
  }

  #reachable(): void {
    if (this.#influx.up === false) this.#d.logger.info('InfluxDB accepts writes again');
    if (this.#influx.up !== true) this.#d.metrics.influxUp.set(1);
    this.#influx = { up: true };
  }

  #unreachable(error: string): void {
    if (this.#influx.up !== false) {
      this.#d.logger.error('InfluxDB does not take writes; retrying with backoff, consumption paused', {
        error,
      });
      this.#d.metrics.influxUp.set(0);
      this.#influx = { up: false, lastError: error, failingSince: new Date().toISOString() };
    } else {
      this.#influx = { ...this.#influx, lastError: error };
    }
  }
}

/** The sink promises PointSinkErrors; anything else is a bug, treated as a transient failure. */
function asSinkError(error: unknown): PointSinkError {
  if (error instanceof PointSinkError) return error;
  return new PointSinkError('UNREACHABLE', error instanceof Error ? error.message : String(error), {
    cause: error,
  });
}
