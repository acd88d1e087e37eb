/**
 * The open windows of one series, per window kind, and the consumption chain that links them.
 *
 * A window is opened by its first reading, so every open window holds at least one reading.
 * The chain of a window starts at the last reading of the open window just before it or,
 * when that one has been evicted, at the carry: the last reading of the most recent evicted
 * window of that kind.
 */

import { DEFAULT_RESET_RATIO } from './consumption.js';
import type {
  Aggregate,
  CanonicalUnit,
  Domain,
  MetricId,
  MetricKind,
  NormalizedReading,
  TimedValue,
  WindowKind,
} from './types.js';
import type { WindowBounds, WindowCalendar } from './window-bounds.js';
import { type AddOutcome, type WindowSnapshot, WindowState } from './window-state.js';

/** What identifies and describes a series, taken from its first reading. */
export type SeriesMeta = {
  readonly deviceId: string;
  readonly tenant: string;
  readonly site: string;
  readonly domain: Domain;
  readonly metric: MetricId;
  readonly kind: MetricKind;
  readonly unit: CanonicalUnit;
  readonly dims: Readonly<Record<string, string>>;
};

/** What a reading says of its series, the dimensions copied and frozen (the reading may be reused). */
export function seriesMetaOf(reading: NormalizedReading): SeriesMeta {
  const { deviceId, tenant, site, domain, metric, kind, unit } = reading;
  return { deviceId, tenant, site, domain, metric, kind, unit, dims: Object.freeze({ ...reading.dims }) };
}

/**
 * `closedThrough`: the latest end of an evicted window; a reading for a window ending there or
 * before is too late. `changedFrom`: no window starting before it is marked changed, so a drain
 * skips the older windows, which a full-speed replay keeps by the hundred through their grace.
 */
type Lane = {
  readonly kind: WindowKind;
  readonly open: WindowState[];
  carry: TimedValue | undefined;
  closedThrough: number;
  changedFrom: number;
};

/**
 * Where the next eviction of a device's windows may come from, folded by `evict` over the first
 * open window of each lane (eviction goes oldest first, so nothing behind a first window can go
 * before it): the earliest end of those not due yet, and the earliest `touchedAt` of those due
 * but resting through the grace.
 */
export class EvictionHorizon {
  earliestEnd = Number.POSITIVE_INFINITY;
  pendingEnd = Number.POSITIVE_INFINITY;
  restingSince = Number.POSITIVE_INFINITY;

  reset(): void {
    this.earliestEnd = Number.POSITIVE_INFINITY;
    this.pendingEnd = Number.POSITIVE_INFINITY;
    this.restingSince = Number.POSITIVE_INFINITY;
  }
}

export type LaneSnapshot = {
  window: WindowKind;
  carry?: TimedValue;
  closedThrough?: number;
  open: WindowSnapshot[];
};

export type SeriesSnapshot = { key: string; meta: SeriesMeta; timeZone: string; lanes: LaneSnapshot[] };

export class Series {
  readonly key: string;
  readonly meta: SeriesMeta;
  readonly calendar: WindowCalendar;
  readonly #resetRatio: number;
  readonly #lanes = new Map<WindowKind, Lane>();

  constructor(key: string, meta: SeriesMeta, calendar: WindowCalendar, resetRatio = DEFAULT_RESET_RATIO) {
    this.key = key;
    this.meta = meta;
    this.calendar = calendar;
    this.#resetRatio = resetRatio;
  }

  get openWindowCount(): number {
    let count = 0;
    for (const lane of this.#lanes.values()) count += lane.open.length;
    return count;
  }

  /** Earliest `end` among open windows, or Infinity. */
  get earliestEnd(): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const lane of this.#lanes.values()) earliest = Math.min(earliest, lane.open[0]?.end ?? earliest);
    return earliest;
  }

  /** Latest `end` among open windows, or -Infinity. */
  get latestEnd(): number {
    let latest = Number.NEGATIVE_INFINITY;
    for (const lane of this.#lanes.values()) latest = Math.max(latest, lane.open.at(-1)?.end ?? latest);
    return latest;
  }

  /** Earliest `start` among open windows, or Infinity. */
  get earliestStart(): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const lane of this.#lanes.values()) earliest = Math.min(earliest, lane.open[0]?.start ?? earliest);
    return earliest;
  }

  /** Adds a reading to the window of `kind` with `bounds`, opening it if needed. */
  add(
    kind: WindowKind,
    bounds: WindowBounds,
    ts: number,
    value: number,
  ): { window: WindowState; outcome: AddOutcome; opened: boolean } {
    const open = this.lane(kind).open;
    let index = open.length;
    while (index > 0 && (open[index - 1]?.start ?? 0) >= bounds.start) index--;
    const existing = open[index];
    if (existing !== undefined && existing.start === bounds.start) {
      return { window: existing, outcome: existing.add(ts, value), opened: false };
    }
    const window = new WindowState(bounds.start, bounds.end);
    window.add(ts, value);
    open.splice(index, 0, window);
    return { window, outcome: 'added', opened: true };
  }

  /** The latest end of an evicted window of `kind`, or -Infinity. */
  closedThrough(kind: WindowKind): number {
    return this.#lanes.get(kind)?.closedThrough ?? Number.NEGATIVE_INFINITY;
  }

  /** The open window of `kind` holding instant `ts`, if any; the newest is checked first. */
  openWindowAt(kind: WindowKind, ts: number): WindowState | undefined {
    const open = this.#lanes.get(kind)?.open;
    if (open === undefined) return undefined;
    for (let i = open.length - 1; i >= 0; i--) {
      const window = open[i] as WindowState;
      if (window.start <= ts) return ts < window.end ? window : undefined;
    }
    return undefined;
  }

  /** The open window of `kind` right after `window`, whose chain starts in `window`. */
  next(kind: WindowKind, window: WindowState): WindowState | undefined {
    const open = this.lane(kind).open;
    // From the newest: the window a reading lands in usually is, and a lane replayed at full
    // speed holds hundreds of windows resting through their close grace.
    return open[open.lastIndexOf(window) + 1];
  }

  /** @throws Error on an empty window, which never exists in a store. */
  aggregate(kind: WindowKind, window: WindowState, computedAt: number): Aggregate {
    const { count, sum, min, max, mean, last, lastTs } = window.stats();
    const { meta } = this;
    const aggregate: Aggregate = {
      deviceId: meta.deviceId,
      tenant: meta.tenant,
      site: meta.site,
      domain: meta.domain,
      metric: meta.metric,
      kind: meta.kind,
      unit: meta.unit,
      dims: meta.dims,
      window: kind,
      windowStart: window.start,
      windowEnd: window.end,
      count,
      sum,
      min,
      max,
      mean,
      last,
      lastTs,
      timezone: this.calendar.timeZone,
      computedAt,
    };
    if (meta.kind === 'cumulative_index') {
      aggregate.consumption = window.consumption(this.chainStart(kind, window), this.#resetRatio).consumption;
    }
    return aggregate;
  }

  /** Marks `window` of `kind` as changed since the last drain (coalesced emission). */
  markChanged(kind: WindowKind, window: WindowState): void {
    window.changed = true;
    const lane = this.lane(kind);
    if (window.start < lane.changedFrom) lane.changedFrom = window.start;
  }

  /** Appends to `out` the aggregates of the open windows marked `changed`, and clears the marks. */
  drainChanged(computedAt: number, out: Aggregate[]): void {
    // Over values(), not entries(): no [kind, lane] pair to allocate per lane, drain after drain.
    for (const lane of this.#lanes.values()) {
      const { open } = lane;
      let i = open.length;
      while (i > 0 && (open[i - 1] as WindowState).start >= lane.changedFrom) i--;
      for (; i < open.length; i++) {
        const window = open[i] as WindowState;
        if (!window.changed) continue;
        window.changed = false;
        out.push(this.aggregate(lane.kind, window, computedAt));
      }
      lane.changedFrom = Number.POSITIVE_INFINITY;
    }
  }

  /**
   * Evicts windows with `end <= endsBefore` that no reading touched after `touchedBefore`,
   * oldest first, and returns their final aggregates, appended to `closed` when given. With
   * `skipEmitted` (coalesced emission), a window not `changed` since its last drain closes without
   * one: the aggregate drained then is already its final value. The first windows left are
   * folded into `horizon` when given.
   */
  evict(
    endsBefore: number,
    computedAt: number,
    touchedBefore = Number.POSITIVE_INFINITY,
    closed: Aggregate[] = [],
    skipEmitted = false,
    horizon?: EvictionHorizon,
  ): Aggregate[] {
    for (const lane of this.#lanes.values()) {
      while (
        lane.open[0] !== undefined &&
        lane.open[0].end <= endsBefore &&
        lane.open[0].touchedAt <= touchedBefore
      ) {
        const window = lane.open[0];
        lane.closedThrough = Math.max(lane.closedThrough, window.end);
        if (!skipEmitted || window.changed) closed.push(this.aggregate(lane.kind, window, computedAt));
        lane.open.shift();
        const last = window.last;
        if (last !== undefined && (lane.carry === undefined || last.ts > lane.carry.ts)) lane.carry = last;
      }
      const first = lane.open[0];
      if (horizon !== undefined && first !== undefined) {
        if (first.end < horizon.earliestEnd) horizon.earliestEnd = first.end;
        if (first.end > endsBefore) {
          if (first.end < horizon.pendingEnd) horizon.pendingEnd = first.end;
        } else if (first.touchedAt < horizon.restingSince) horizon.restingSince = first.touchedAt;
      }
    }
    return closed;
  }

  toSnapshot(): SeriesSnapshot {
    const lanes: LaneSnapshot[] = [];
    for (const [window, lane] of this.#lanes) {
      const snapshot: LaneSnapshot = { window, open: lane.open.map((w) => w.toSnapshot()) };
      if (lane.carry !== undefined) snapshot.carry = { ...lane.carry };
      if (Number.isFinite(lane.closedThrough)) snapshot.closedThrough = lane.closedThrough;
      lanes.push(snapshot);
    }
    return { key: this.key, meta: this.meta, timeZone: this.calendar.timeZone, lanes };
  }

  /** Rebuilds the lanes of a fresh series from `lanes`. */
  restoreLanes(lanes: readonly LaneSnapshot[]): void {
    for (const snapshot of lanes) {
      const lane = this.lane(snapshot.window);
      lane.carry = snapshot.carry === undefined ? undefined : { ...snapshot.carry };
      lane.closedThrough = snapshot.closedThrough ?? Number.NEGATIVE_INFINITY;
      lane.open.push(...snapshot.open.map((w) => WindowState.fromSnapshot(w)));
      lane.open.sort((a, b) => a.start - b.start);
    }
  }

  private chainStart(kind: WindowKind, window: WindowState): TimedValue | undefined {
    const lane = this.lane(kind);
    const index = lane.open.lastIndexOf(window);
    return index > 0 ? lane.open[index - 1]?.last : lane.carry;
  }

  private lane(kind: WindowKind): Lane {
    let lane = this.#lanes.get(kind);
    if (lane === undefined) {
      const changedFrom = Number.POSITIVE_INFINITY;
      lane = { kind, open: [], carry: undefined, closedThrough: Number.NEGATIVE_INFINITY, changedFrom };
      this.#lanes.set(kind, lane);
    }
    return lane;
  }
}
