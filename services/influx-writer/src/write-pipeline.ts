import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@terrapulse/service-kit';
import { BatchWriter, type InfluxState } from './batch-writer.js';
import type { BackoffPolicy } from './domain/backoff.js';
import type { MeasurementNames } from './domain/line-protocol.js';
import { RecordEncoder } from './domain/record-encoder.js';
import { LineBatch } from './line-batch.js';
import type { WriterMetrics } from './metrics.js';
import type { PointSink } from './ports/point-sink.js';
import type { RecordChunk } from './ports/record-source.js';
import { SkipLog } from './skip-log.js';

export interface WritePipelineOptions {
  /** A batch closes when it holds this many points... */
  readonly maxPoints: number;
  /** ...or this long after its first point, whichever comes first. */
  readonly maxLingerMs: number;
  /** Batches being written at the same time; further closed batches wait their turn. */
  readonly maxInFlight: number;
  readonly backoff: BackoffPolicy;
  readonly names: MeasurementNames;
}

export interface WritePipelineDeps {
  readonly sink: PointSink;
  readonly metrics: WriterMetrics;
  readonly logger: Logger;
  readonly options: WritePipelineOptions;
  /** Jitter source, replaceable in tests. */
  readonly random?: () => number;
}

/** A chunk's points may spread over several batches; it completes when the last one is written. */
interface Ticket {
  readonly chunk: RecordChunk;
  batches: number;
  adding: boolean;
}

interface PointBatch {
  readonly points: LineBatch;
  readonly tickets: Ticket[];
}

/**
 * Encodes chunks into points, gathers them into batches bounded in points and time across
 * partitions and streams, and hands each batch to the BatchWriter, a bounded number at a time.
 * A chunk completes (its offsets become committable) only when every batch holding its points is
 * written. Since the source keeps a chunk's partition paused until then, what waits while
 * InfluxDB is down is one chunk per partition here and the backlog in Kafka.
 */
export class WritePipeline {
  readonly #metrics: WriterMetrics;
  readonly #logger: Logger;
  readonly #o: WritePipelineOptions;
  readonly #skipLog: SkipLog;
  readonly #encoder: RecordEncoder;
  readonly #writer: BatchWriter;
  readonly #abort = new AbortController();
  readonly #queue: PointBatch[] = [];
  readonly #idleWaiters: Array<() => void> = [];
  #open: PointBatch | undefined;
  /**
   * Where records are encoded: the lines of the open batch, or of the next one while none is
   * open (it opens with its first line). Lines go straight to their batch's bytes.
   */
  #lines = new LineBatch();
  #linger: NodeJS.Timeout | undefined;
  #inFlight = 0;
  #pending = 0;
  #closed = false;

  constructor(deps: WritePipelineDeps) {
    this.#metrics = deps.metrics;
    this.#logger = deps.logger;
    this.#o = deps.options;
    this.#skipLog = new SkipLog(deps.logger);
    this.#encoder = new RecordEncoder(deps.options.names);
    this.#writer = new BatchWriter({
      sink: deps.sink,
      metrics: deps.metrics,
      logger: deps.logger,
      skipLog: this.#skipLog,
      backoff: deps.options.backoff,
      signal: this.#abort.signal,
      random: deps.random ?? Math.random,
    });
  }

  /** Encodes a chunk into the open batch. Ignored once draining: the chunk is never completed. */
  accept(chunk: RecordChunk): void {
    if (this.#closed) return;
    const ticket: Ticket = { chunk, batches: 0, adding: true };
    for (const record of chunk.records) {
      const skip = this.#encoder.encodeInto(chunk.stream, record.value, this.#lines);
      if (skip === undefined) {
        this.#appended(ticket);
        continue;
      }
      this.#metrics.recordsSkipped.inc({ stream: chunk.stream, cause: skip.cause });
      this.#skipLog.report(skip.cause, 'record skipped', {
        stream: chunk.stream,
        topic: chunk.topic,
        partition: chunk.partition,
        offset: record.offset,
        detail: skip.detail,
        value: record.value?.subarray(0, 200).toString(),
      });
    }
    this.#metrics.recordsConsumed.inc({ stream: chunk.stream }, chunk.records.length);
    this.#metrics.pendingPoints.set(this.#pending);
    ticket.adding = false;
    if (ticket.batches === 0) this.#completeChunk(chunk);
  }

  /** Closes the open batch now (nothing more is coming soon) and queues it for writing. */
  flush(): void {
    clearTimeout(this.#linger);
    this.#linger = undefined;
    const batch = this.#open;
    if (batch === undefined) return;
    this.#open = undefined;
    this.#lines = new LineBatch();
    this.#metrics.batchPoints.observe(batch.points.size);
    this.#queue.push(batch);
    this.#pump();
  }

  /**
   * Stops accepting chunks and writes what is buffered. Past `timeoutMs` (InfluxDB still down),
   * gives up: the unwritten chunks never complete, so their offsets stay uncommitted and Kafka
   * delivers them again to the next consumer. Resolves true when everything was written.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    this.#closed = true;
    this.flush();
    if (this.#isIdle()) return true;
    const idle = new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    const outcome = await Promise.race([
      idle.then(() => 'idle' as const),
      sleep(timeoutMs, 'late' as const, { ref: false }),
    ]);
    if (outcome === 'idle') return true;
    this.#abort.abort();
    for (const batch of this.#queue.splice(0)) this.#pending -= batch.points.size;
    this.#notifyIfIdle();
    await idle;
    return false;
  }

  /** Records the answer of a health check made outside a write (at start). */
  noteReachable(up: boolean): void {
    this.#writer.noteReachable(up);
  }

  influx(): InfluxState {
    return this.#writer.influx();
  }

  pendingPoints(): number {
    return this.#pending;
  }

  /** Takes in the batch the line just encoded into #lines. */
  #appended(ticket: Ticket): void {
    let batch = this.#open;
    if (batch === undefined) {
      batch = { points: this.#lines, tickets: [] };
      this.#open = batch;
      this.#linger = setTimeout(() => this.flush(), this.#o.maxLingerMs);
    }
    this.#pending++;
    if (batch.tickets[batch.tickets.length - 1] !== ticket) {
      batch.tickets.push(ticket);
      ticket.batches++;
    }
    if (batch.points.size >= this.#o.maxPoints) this.flush();
  }

  #pump(): void {
    while (this.#inFlight < this.#o.maxInFlight && !this.#abort.signal.aborted) {
      const batch = this.#queue.shift();
      if (batch === undefined) return;
      this.#inFlight++;
      void this.#write(batch);
    }
  }

  async #write(batch: PointBatch): Promise<void> {
    let written = false;
    try {
      await this.#writer.write(batch.points);
      written = true;
    } catch {
      // Aborted by drain: the batch's chunks stay incomplete, to be delivered again.
    }
    this.#inFlight--;
    this.#pending -= batch.points.size;
    // Settled: no request reads the batch's bytes any more (the sink's contract).
    batch.points.release();
    this.#metrics.pendingPoints.set(this.#pending);
    if (written) {
      for (const ticket of batch.tickets) {
        ticket.batches--;
        if (ticket.batches === 0 && !ticket.adding) this.#completeChunk(ticket.chunk);
      }
    }
    this.#pump();
    this.#notifyIfIdle();
  }

  #completeChunk(chunk: RecordChunk): void {
    try {
      chunk.complete();
    } catch (error) {
      this.#logger.error('completing a chunk failed', {
        topic: chunk.topic,
        partition: chunk.partition,
        error,
      });
    }
  }

  #isIdle(): boolean {
    return this.#inFlight === 0 && this.#queue.length === 0 && this.#open === undefined;
  }

  #notifyIfIdle(): void {
    if (!this.#isIdle()) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
