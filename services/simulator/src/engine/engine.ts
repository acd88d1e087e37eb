import type { Logger } from '@terrapulse/service-kit';
import type { LedgerEntry } from '../domain/ledger.js';
import type { OutMessage } from '../domain/message-stream.js';
import { TokenBucket } from '../domain/token-bucket.js';
import type { PublishError } from '../errors.js';
import type { DeviceConnection } from '../ports/device-connector.js';
import type { DeviceRunner } from './device-runner.js';
import type { SimulationOptions } from './simulation.js';
import type { SimulationStats, StatsCounters } from './stats.js';

const LIVE_LOOP_MS = 50;

/**
 * Drives the connected devices: pumps each one's queue while it has in-flight slots and the rate
 * allows, accounts for every PUBACK, ends a replay when the last device is done, and stops in
 * order (no new ticks, publish what was measured, wait for PUBACKs, disconnect).
 */
export class Engine {
  readonly ledger: LedgerEntry[] = [];
  readonly done: Promise<SimulationStats>;
  private resolveDone: (stats: SimulationStats) => void = () => {};
  private readonly ready: DeviceRunner[] = [];
  private flushScheduled = false;
  private readonly tokenWaiters: DeviceRunner[] = [];
  private tokenTimer: NodeJS.Timeout | undefined;
  private readonly sinkWaiters: DeviceRunner[] = [];
  private readonly bucket: TokenBucket | undefined;
  private readonly maxInFlight: number;
  /** A device is refilled once its in-flight count falls to this, not at every PUBACK. */
  private readonly refillAt: number;
  private readonly maxQueued: number;
  private readonly keepLedger: boolean;
  private liveTimer: NodeJS.Timeout | undefined;
  private durationTimer: NodeJS.Timeout | undefined;
  private remaining: number;
  private stopping: Promise<SimulationStats> | undefined;
  private drained: (() => void) | undefined;
  private closed = false;
  /** Devices still connected when the run ended, for the final summary. */
  private connectedAtClose = 0;

  constructor(
    private readonly runners: DeviceRunner[],
    private readonly counters: StatsCounters,
    private readonly options: SimulationOptions,
    private readonly clock: () => number,
    private readonly logger: Logger,
    pack: number,
  ) {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    this.maxInFlight = options.maxInFlightPerDevice ?? 16;
    // Half a window at a time: a refill after every PUBACK chunk sent about 6 publishes per
    // socket write at 16 in flight; refilling half windows halves the writes (syscalls of the
    // simulator and reads of the broker), while the other half keeps the connection busy.
    this.refillAt = this.maxInFlight - Math.max(1, Math.floor(this.maxInFlight / 2));
    this.maxQueued = options.maxQueuedPerDevice ?? 1000;
    this.keepLedger = options.keepLedger ?? true;
    this.remaining = runners.length;
    if (options.rate !== undefined) {
      // A 50 ms burst: smooth at the scale of a second, without a timer per message.
      this.bucket = new TokenBucket(options.rate, Math.max(pack, options.rate / 20), clock());
    }
    options.metrics?.attach(() => this.snapshot());
    options.ledgerSink?.onDrain(() => this.resume(this.sinkWaiters));
  }

  start(): void {
    if (this.options.durationMs !== undefined) {
      this.durationTimer = setTimeout(() => void this.stop(), this.options.durationMs);
    }
    if (this.options.mode.kind === 'live') {
      const now = this.clock();
      for (const r of this.runners) r.startLive(now);
      this.liveTimer = setInterval(() => this.tickLive(), LIVE_LOOP_MS);
      return;
    }
    if (this.runners.length === 0) void this.stop();
    for (const r of this.runners) this.markReady(r);
  }

  snapshot(): SimulationStats {
    const connected = this.closed
      ? this.connectedAtClose
      : this.runners.filter((r) => r.connection.isConnected()).length;
    return this.counters.snapshot(this.clock(), connected);
  }

  stop(): Promise<SimulationStats> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private tickLive(): void {
    const now = this.clock();
    for (const r of this.runners) {
      this.counters.dropped += r.tickLive(now, this.maxQueued);
      if (r.queued > 0) this.markReady(r);
    }
  }

  private markReady(r: DeviceRunner): void {
    if (r.scheduled) return;
    r.scheduled = true;
    this.ready.push(r);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // After the current I/O callbacks: the PUBACKs of one socket read free many slots at once,
      // and refilling them together lets each connection send them in one write.
      setImmediate(() => this.flushReady());
    }
  }

  private flushReady(): void {
    this.flushScheduled = false;
    const batch = this.ready.splice(0, this.ready.length);
    for (const r of batch) {
      r.scheduled = false;
      this.pump(r);
    }
  }

  private pump(r: DeviceRunner): void {
    if (this.closed) return;
    if (this.options.ledgerSink?.ready() === false) {
      this.sinkWaiters.push(r);
      return;
    }
    r.connection.batch(() => {
      while (r.inFlight < this.maxInFlight) {
        const message = r.peek();
        if (message === undefined) break;
        if (this.bucket !== undefined && !this.bucket.tryTake(message.readings, this.clock())) {
          this.waitForTokens(r, message.readings);
          break;
        }
        r.shift();
        this.send(r, message);
      }
    });
    this.checkFinished(r);
  }

  private send(r: DeviceRunner, message: OutMessage): void {
    const c = this.counters;
    r.inFlight++;
    c.inFlight++;
    c.published++;
    c.publishedReadings += message.readings;
    const sentAt = this.options.metrics === undefined ? 0 : performance.now();
    if (c.firstPublishAt === 0) c.firstPublishAt = this.clock();
    settleAckedAtField(message.entries);
    r.connection.publish(r.topic, message.payload, (error) => this.onAck(r, message, sentAt, error));
  }

  private onAck(r: DeviceRunner, message: OutMessage, sentAt: number, error?: PublishError): void {
    const c = this.counters;
    r.inFlight--;
    c.inFlight--;
    if (error === undefined) {
      const now = this.clock();
      c.acked++;
      c.ackedReadings += message.readings;
      c.lastAckAt = now;
      const entries = message.entries;
      const ledger = this.keepLedger ? this.ledger : undefined;
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i] as LedgerEntry;
        entry.ackedAt = now;
        ledger?.push(entry);
      }
      c.countAcked(entries);
      this.options.ledgerSink?.append(entries);
      this.options.metrics?.observeAckLatency((performance.now() - sentAt) / 1000);
    } else if (error.refused) {
      c.failed++;
      if (c.failed <= 5)
        this.logger.warn('publish refused by the broker', { deviceId: r.connection.deviceId, error });
    } else {
      c.abandoned++;
    }
    if (this.stopping !== undefined && c.inFlight === 0 && this.allQueuesEmpty()) this.drained?.();
    if (r.inFlight <= this.refillAt) this.markReady(r);
  }

  private waitForTokens(r: DeviceRunner, tokens: number): void {
    this.tokenWaiters.push(r);
    if (this.tokenTimer !== undefined || this.bucket === undefined) return;
    const wait = Math.max(1, this.bucket.msUntil(tokens, this.clock()));
    this.tokenTimer = setTimeout(() => {
      this.tokenTimer = undefined;
      this.resume(this.tokenWaiters);
    }, wait);
  }

  /** Pumps waiting runners in arrival order, so every device gets its turn at the tokens. */
  private resume(waiters: DeviceRunner[]): void {
    const batch = waiters.splice(0, waiters.length);
    for (const r of batch) this.markReady(r);
  }

  /** A replay ends when its last device has published everything and got every PUBACK. */
  private checkFinished(r: DeviceRunner): void {
    if (this.stopping !== undefined || r.finished || !r.replayDone) return;
    r.finished = true;
    this.remaining--;
    if (this.remaining === 0) void this.stop();
  }

  private allQueuesEmpty(): boolean {
    return this.runners.every((r) => r.queued === 0);
  }

  private async shutdown(): Promise<SimulationStats> {
    clearInterval(this.liveTimer);
    clearTimeout(this.durationTimer);
    // What devices already measured still goes out: held late readings and partial packs.
    for (const r of this.runners) {
      this.counters.dropped += r.flushStream(this.maxQueued);
      this.markReady(r);
    }
    const drainTimeoutMs = this.options.drainTimeoutMs ?? 15_000;
    if (this.counters.inFlight > 0 || !this.allQueuesEmpty()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, drainTimeoutMs);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    clearTimeout(this.tokenTimer);
    this.connectedAtClose = this.runners.filter((r) => r.connection.isConnected()).length;
    this.closed = true;
    for (const r of this.runners) this.counters.dropped += r.clearQueue();
    await Promise.all(this.runners.map((r) => closeQuietly(r.connection)));
    // PUBACKs that never came are settled by the adapter when it closes; any left are unknown.
    this.counters.abandoned += this.counters.inFlight;
    this.counters.inFlight = 0;
    const stats = this.snapshot();
    this.logger.info('simulation finished', { ...stats, byFault: undefined, byExpected: undefined });
    this.resolveDone(stats);
    return stats;
  }
}

/**
 * Makes `ackedAt` a double field before its first real store. Entries are created with `ackedAt: 0`,
 * a small integer, so the first epoch-ms store changes their map's field representation. When that
 * first PUBACK came after V8 had optimized the device code that creates entries, as it does with a
 * real broker, that code went on creating entries with the deprecated map, and every PUBACK then
 * migrated its entries one by one: several µs each, 14 % of the simulator's CPU. Settled here at the
 * first publish, while that code still runs unoptimized, the field stays a double; the value is 0.
 */
function settleAckedAtField(entries: readonly LedgerEntry[]): void {
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as LedgerEntry;
    entry.ackedAt = 0.5;
    entry.ackedAt = 0;
  }
}

async function closeQuietly(connection: DeviceConnection): Promise<void> {
  await connection.close(true).catch(() => undefined);
}
