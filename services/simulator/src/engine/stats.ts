import { FAULT_KINDS, type FaultKind, type LedgerEntry } from '../domain/ledger.js';

export interface SimulationStats {
  readonly devices: number;
  readonly connected: number;
  readonly connectFailed: number;
  /** Messages handed to a device connection. */
  readonly published: number;
  /** Messages the broker acknowledged with a success PUBACK. */
  readonly acked: number;
  /** Messages the broker refused with an error PUBACK (not delivered). */
  readonly failed: number;
  /** Messages whose PUBACK never came (connection lost or closed first): delivery unknown. */
  readonly unacked: number;
  readonly inFlight: number;
  /** Messages never published: a device buffer overflowed (live) or the run ended first. */
  readonly dropped: number;
  readonly readings: { readonly published: number; readonly acked: number };
  /** Acknowledged readings per injected fault. */
  readonly byFault: Readonly<Record<FaultKind, number>>;
  /** Acknowledged readings per expected outcome (`accepted` or a rejection reason). */
  readonly byExpected: Readonly<Record<string, number>>;
  readonly startedAt: number;
  readonly elapsedMs: number;
  /** Acknowledged readings per second since the first publish. */
  readonly ackedReadingsPerS: number;
}

/** The run's counters, updated on the hot path with plain arithmetic; prom-client reads them on scrape. */
export class StatsCounters {
  devices = 0;
  connected = 0;
  connectFailed = 0;
  published = 0;
  acked = 0;
  failed = 0;
  abandoned = 0;
  inFlight = 0;
  dropped = 0;
  publishedReadings = 0;
  ackedReadings = 0;
  firstPublishAt = 0;
  lastAckAt = 0;
  readonly byFault: Record<FaultKind, number> = Object.fromEntries(FAULT_KINDS.map((f) => [f, 0])) as Record<
    FaultKind,
    number
  >;
  readonly byExpected: Record<string, number> = {};

  constructor(readonly startedAt: number) {}

  countAcked(entries: readonly LedgerEntry[]): void {
    for (const e of entries) {
      if (e.fault !== undefined) this.byFault[e.fault]++;
      this.byExpected[e.expected] = (this.byExpected[e.expected] ?? 0) + 1;
    }
  }

  snapshot(now: number, connected: number): SimulationStats {
    const activeMs = (this.lastAckAt || now) - (this.firstPublishAt || now);
    return {
      devices: this.devices,
      connected,
      connectFailed: this.connectFailed,
      published: this.published,
      acked: this.acked,
      failed: this.failed,
      unacked: this.abandoned,
      inFlight: this.inFlight,
      dropped: this.dropped,
      readings: { published: this.publishedReadings, acked: this.ackedReadings },
      byFault: { ...this.byFault },
      byExpected: { ...this.byExpected },
      startedAt: this.startedAt,
      elapsedMs: now - this.startedAt,
      ackedReadingsPerS: activeMs > 0 ? Math.round((this.ackedReadings * 1000) / activeMs) : 0,
    };
  }
}
