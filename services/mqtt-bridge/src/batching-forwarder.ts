import type { Logger } from '@terrapulse/service-kit';
import { type BackoffPolicy, backoffDelayMs } from './domain/backoff.js';
import { asRawSinkError, type RawSinkError } from './errors.js';
import type { BridgeMetrics } from './metrics.js';
import type { RawRecord, RawRecordSink } from './ports/raw-record-sink.js';

/** What the forwarder owes a message once it is durable: see Delivery. */
export interface Acknowledgeable {
  settle(): void;
  abandoned(): boolean;
}

/** A record on its way to Kafka, with the acknowledgement owed once it is durable. */
export interface ForwardItem {
  readonly record: RawRecord;
  /** Size counted against the batch byte budget. */
  readonly bytes: number;
  readonly ack: Acknowledgeable;
}

export interface ForwarderOptions {
  readonly lingerMs: number;
  readonly maxBatch: number;
  readonly maxBatchBytes: number;
  readonly retry: BackoffPolicy;
}

export interface ForwarderStatus {
  /** Items accepted or waiting for room, not yet settled. */
  readonly inFlight: number;
  /** Since when sends fail, and the last error; absent while sends succeed. */
  readonly failing?: { readonly sinceMs: number; readonly error: string };
  /** How long the current send has been running, when one is. */
  readonly sendingForMs?: number;
}

type Metrics = Pick<
  BridgeMetrics,
  'forwarded' | 'abandoned' | 'skipped' | 'kafkaErrors' | 'kafkaSendSeconds' | 'batchSize'
>;

const NEVER: Promise<void> = new Promise(() => {});

/**
 * Collects items from every connection into one buffer and sends it as one Kafka request when
 * the linger time is up or the buffer is full, one send at a time (the idempotent producer keeps
 * one request in flight). While a send runs, the next buffer fills; when it is full, offers wait,
 * which holds their connections: memory is bounded by two batches.
 *
 * A failed send is retried with backoff, with the very same records (see RawRecordSink), until it
 * succeeds; only records Kafka refuses for their content are split out and skipped.
 */
export class BatchingForwarder {
  private buffer: ForwardItem[] = [];
  private bufferBytes = 0;
  private readonly waiting: Array<{ item: ForwardItem; admitted: () => void }> = [];
  private lingerTimer: NodeJS.Timeout | undefined;
  private due = false;
  private sendingSince: number | undefined;
  private inFlight = 0;
  private failing: { sinceMs: number; error: string } | undefined;
  private closed = false;
  private wakeFromBackoff: (() => void) | undefined;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly sink: RawRecordSink,
    private readonly options: ForwarderOptions,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {}

  /**
   * Accepts an item; its `settle` runs once Kafka has it. Returns a promise when the buffer is
   * full: the caller holds its connection until it resolves.
   */
  offer(item: ForwardItem): undefined | Promise<void> {
    if (this.closed) return NEVER;
    this.inFlight += 1;
    if (this.waiting.length === 0 && this.hasRoomFor(item)) {
      this.push(item);
      return undefined;
    }
    return new Promise<void>((admitted) => this.waiting.push({ item, admitted }));
  }

  status(now = Date.now()): ForwarderStatus {
    return {
      inFlight: this.inFlight,
      ...(this.failing ? { failing: this.failing } : {}),
      ...(this.sendingSince !== undefined ? { sendingForMs: now - this.sendingSince } : {}),
    };
  }

  /** Sends what is buffered without waiting for the linger time; resolves when nothing is left, or false at the deadline. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.due = true;
    this.flushIfDue();
    if (this.isIdle()) return true;
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    const deadline = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([idle, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops sending: what was not acknowledged stays with the broker, which delivers it again. */
  close(): void {
    this.closed = true;
    clearTimeout(this.lingerTimer);
    this.wakeFromBackoff?.();
    this.buffer = [];
    this.waiting.length = 0;
  }

  private hasRoomFor(item: ForwardItem): boolean {
    if (this.buffer.length === 0) return true;
    return (
      this.buffer.length < this.options.maxBatch &&
      this.bufferBytes + item.bytes <= this.options.maxBatchBytes
    );
  }

  private push(item: ForwardItem): void {
    this.buffer.push(item);
    this.bufferBytes += item.bytes;
    if (this.buffer.length >= this.options.maxBatch || this.bufferBytes >= this.options.maxBatchBytes) {
      this.due = true;
      this.flushIfDue();
    } else if (this.buffer.length === 1) {
      this.lingerTimer = setTimeout(() => {
        this.due = true;
        this.flushIfDue();
      }, this.options.lingerMs);
    }
  }

  private flushIfDue(): void {
    if (this.sendingSince !== undefined || !this.due || this.buffer.length === 0 || this.closed) return;
    const batch = this.buffer;
    this.buffer = [];
    this.bufferBytes = 0;
    this.due = false;
    clearTimeout(this.lingerTimer);
    this.sendingSince = Date.now();
    this.admitWaiting();
    void this.sendBatch(batch);
  }

  private admitWaiting(): void {
    while (this.waiting.length > 0) {
      const next = this.waiting[0];
      if (next === undefined || !this.hasRoomFor(next.item)) return;
      this.waiting.shift();
      this.push(next.item);
      next.admitted();
    }
  }

  private async sendBatch(batch: ForwardItem[]): Promise<void> {
    const live = batch.filter((item) => !item.ack.abandoned());
    const dropped = batch.length - live.length;
    if (dropped > 0) {
      this.inFlight -= dropped;
      this.metrics.abandoned.inc(dropped);
    }
    if (live.length > 0) await this.deliver(live);
    this.sendingSince = undefined;
    if (this.closed) return;
    this.admitWaiting();
    this.flushIfDue();
    if (this.isIdle()) this.notifyIdle();
  }

  /** Sends until Kafka has the items, splitting out what it refuses for content; gives up only on close. */
  private async deliver(items: readonly ForwardItem[]): Promise<void> {
    const records = items.map((item) => item.record);
    for (let attempt = 0; !this.closed; attempt++) {
      const started = performance.now();
      try {
        await this.sink.send(records);
      } catch (caught) {
        const error = asRawSinkError(caught);
        this.metrics.kafkaErrors.inc({ code: error.code });
        if (!error.canRetry) return this.deliverRefused(items, error);
        await this.backoff(attempt, error, items.length);
        continue;
      }
      this.metrics.kafkaSendSeconds.observe((performance.now() - started) / 1000);
      this.metrics.batchSize.observe(items.length);
      this.metrics.forwarded.inc(items.length);
      if (this.failing)
        this.logger.info('kafka sends succeed again', { failingSinceMs: this.failing.sinceMs });
      this.failing = undefined;
      this.settle(items);
      return;
    }
  }

  /** Kafka refused records for what they are: find them by halving, skip them, send the rest. */
  private async deliverRefused(items: readonly ForwardItem[], error: RawSinkError): Promise<void> {
    if (items.length > 1) {
      const half = Math.ceil(items.length / 2);
      await this.deliver(items.slice(0, half));
      await this.deliver(items.slice(half));
      return;
    }
    const [item] = items;
    if (item === undefined) return;
    this.logger.error('kafka refused a message; acknowledged and skipped', {
      key: item.record.key,
      bytes: item.record.value.length,
      topic: item.record.headers['tp-mqtt-topic'],
      error: error.message,
    });
    this.metrics.skipped.inc({ reason: 'record_rejected' });
    this.settle(items);
  }

  private settle(items: readonly ForwardItem[]): void {
    this.inFlight -= items.length;
    for (const item of items) item.ack.settle();
  }

  private async backoff(attempt: number, error: RawSinkError, size: number): Promise<void> {
    const delayMs = backoffDelayMs(attempt, this.options.retry);
    this.failing ??= { sinceMs: Date.now(), error: error.message };
    this.failing.error = error.message;
    this.logger.warn('kafka send failed; retrying the same batch', {
      error: error.message,
      size,
      attempt,
      delayMs,
    });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delayMs);
      this.wakeFromBackoff = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeFromBackoff = undefined;
  }

  private isIdle(): boolean {
    return this.buffer.length === 0 && this.waiting.length === 0 && this.sendingSince === undefined;
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
