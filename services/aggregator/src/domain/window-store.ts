/**
 * The open windows of every series one aggregator instance owns, and what to emit.
 *
 * Time. Lateness is judged per device: its watermark is the greatest event time it has sent
 * minus `outOfOrdernessMs`. Devices keep their own clocks and upload schedules (a water meter
 * that sends a day of hourly indexes at once, a gateway draining a backlog), so one device
 * catching up must not make every other device's readings late. A window accepts readings
 * until the watermark reaches `end + allowedLatenessMs`; then it is evicted and its final
 * aggregate returned in `closed`. A reading for a window already closed is reported in
 * `tooLate` and changes nothing, not even the consumption carry. Each window kind judges on
 * its own, so a reading too late for its 15 min window still completes its day. A device that
 * falls silent keeps its windows open: call `advanceWatermark()` from a processing-time
 * timer to close them.
 *
 * Emission. `apply()` returns an aggregate for every window the reading changed, and for
 * `cumulative_index` series also the next open window when the reading became the last of
 * its own window, since the next window's consumption chain starts there. A duplicate changes
 * nothing and emits nothing. `closed` gives the final values to flush. A service that emits
 * at most once per interval creates the store with `emit: 'coalesce'`: `apply()` then only
 * marks the windows it changed, and `drainChanged()` returns one aggregate per marked window
 * with its current state, which is exactly the last update the default mode would have
 * returned for it (an aggregate is a function of the window's readings and chain start).
 * That spares building three or more aggregates per reading only to overwrite them. In that
 * mode a window closes with a final aggregate only if it changed since its last drain: else
 * the aggregate drained then is its final value already, and sending it again would only
 * double the aggregates Kafka, the writer and InfluxDB carry (a 15 min window of a meter
 * reporting every 15 min would go out twice for its one reading).
 *
 * Recovery (checkpoint + replay). Aggregates are deterministic functions of the readings a
 * window holds plus its chain start, but a chain start may live in a window evicted long ago,
 * so replaying only the open windows' readings is not enough, and replaying from further back
 * would re-emit partial aggregates of windows that were already final. So the service
 * checkpoints instead: it takes `snapshot()` (plain JSON: watermarks, open windows with their
 * readings, carries) together with the input offsets it has processed, stores both durably,
 * and only then commits those offsets. After a crash it calls `WindowStore.restore()` and
 * consumes again from the checkpointed offsets. A partition replays in the same order, so
 * the store goes through the same states and re-emits the same aggregates, which overwrite
 * themselves downstream; readings already inside the snapshot (offsets recorded slightly
 * behind it) are ignored as duplicates. Only windows closed by `advanceWatermark()`, which
 * follows processing time, may close at a different point on replay. The snapshot stays
 * small because only open windows and one carry per series and kind are kept.
 */

import { DEFAULT_RESET_RATIO } from './consumption.js';
import { EvictionHorizon, Series, type SeriesSnapshot, seriesMetaOf } from './series.js';
import { seriesKey } from './series-key.js';
import type { Aggregate, NormalizedReading, WindowKind } from './types.js';
import { WINDOW_KINDS } from './types.js';
import { DEFAULT_TIME_ZONE, windowCalendar } from './window-bounds.js';
import type { AddOutcome } from './window-state.js';

export type WindowStoreOptions = {
  /**
   * IANA time zone windows are cut in, or a function choosing it from a series' first reading
   * (per tenant). Resolved once per series. Default `Europe/Paris`.
   */
  timeZone?: string | ((reading: NormalizedReading) => string);
  /** Window kinds to maintain. Default `['15m', '1h', '1d']`. */
  windows?: readonly WindowKind[];
  /** How long past its end a window still accepts readings, in watermark time. Default 1 h. */
  allowedLatenessMs?: number;
  /**
   * Processing time a window due by its watermark stays open after its latest reading.
   * Default 0 (close as soon as due). With a grace, a reading is too late only when its window
   * (or a later one of its series) was already closed, so a backlog replayed at full speed,
   * whose readings a shared MQTT subscription may reorder by hours of event time, still
   * aggregates exactly.
   */
  closeGraceMs?: number;
  /** Subtracted from a device's greatest event time to get its watermark. Default 0. */
  outOfOrdernessMs?: number;
  /** Fall ratio that separates a counter reset from a rebase, see `consumption.ts`. Default 0.5. */
  resetRatio?: number;
  /** Source of `computedAt`. Default `Date.now`. */
  clock?: () => number;
  /**
   * `updates`: `apply()` returns the aggregates of the windows it changed. `coalesce`: it only
   * marks them, for `drainChanged()`. Default `updates`.
   */
  emit?: 'updates' | 'coalesce';
};

/** Shared by results that have nothing to report: a reading allocates no arrays in the common case. */
const NONE: readonly never[] = Object.freeze([]);

export type ApplyResult = {
  /**
   * Aggregates to (re-)emit: the reading's windows that changed, then chain neighbours. Always
   * empty with `emit: 'coalesce'`, where `drainChanged()` returns them.
   */
  updates: readonly Aggregate[];
  /** Final aggregates of the windows this reading's watermark closed. */
  closed: readonly Aggregate[];
  /** Window kinds whose window had closed before the reading came: count as too_late. */
  tooLate: readonly WindowKind[];
  /** Window kinds that already held a reading at this timestamp. */
  duplicates: readonly WindowKind[];
  /** Set when the reading was ignored because its value or timestamp is not finite. */
  rejected?: 'non_finite';
};

/**
 * What one reading did, for `applyInto`: the caller resets it before each reading and reads it
 * after, so applying a reading allocates nothing for its result.
 */
export class ApplyOutcome {
  /** Aggregates to (re-)emit, as in `ApplyResult.updates`; always empty with `emit: 'coalesce'`. */
  readonly updates: Aggregate[] = [];
  /** Window kinds whose window had closed before the reading came: count as too_late. */
  readonly tooLate: WindowKind[] = [];
  /** Window kinds that already held a reading at this timestamp. */
  readonly duplicates: WindowKind[] = [];
  /** Set when the reading was ignored because its value or timestamp is not finite. */
  rejected = false;
  /** Where the final aggregates of the windows the reading closed are appended. */
  closed: Aggregate[] = [];

  /** Clears the outcome of the previous reading; finals now go to `closed`. */
  reset(closed: Aggregate[]): void {
    this.updates.length = 0;
    this.tooLate.length = 0;
    this.duplicates.length = 0;
    this.rejected = false;
    this.closed = closed;
  }
}

export type WindowStoreSnapshot = {
  version: 1;
  devices: { deviceId: string; watermark: number | null }[];
  series: SeriesSnapshot[];
};

type Device = {
  watermark: number;
  /** Processing time of its latest reading: how `closeIdle` tells a silent device. */
  lastSeenAt: number;
  earliestEnd: number;
  /**
   * Until the watermark passes `pendingEnd` or the clock reaches `restingUntil`, none of its
   * windows can close (see `closeDue`): a reading then skips the scan of its series.
   */
  pendingEnd: number;
  restingUntil: number;
  readonly series: Series[];
  /** Its series without dimensions by metric: the common lookup, without building a key. */
  readonly plain: Map<string, Series>;
};

export class WindowStore {
  readonly #timeZone: (reading: NormalizedReading) => string;
  readonly #kinds: readonly WindowKind[];
  readonly #lateness: number;
  readonly #outOfOrderness: number;
  readonly #grace: number;
  readonly #resetRatio: number;
  readonly #clock: () => number;
  readonly #coalesce: boolean;
  readonly #changed = new Set<Series>();
  /** Reused by `apply()`, which copies what it returns out of it. */
  readonly #outcome = new ApplyOutcome();
  /** Reused by `closeDue`. */
  readonly #horizon = new EvictionHorizon();
  readonly #devices = new Map<string, Device>();
  readonly #series = new Map<string, Series>();

  /** @throws RangeError when `timeZone` is a string Intl does not know. */
  constructor(options: WindowStoreOptions = {}) {
    const zone = options.timeZone ?? DEFAULT_TIME_ZONE;
    if (typeof zone === 'string') windowCalendar(zone);
    this.#timeZone = typeof zone === 'string' ? () => zone : zone;
    this.#kinds = options.windows ?? WINDOW_KINDS;
    this.#lateness = options.allowedLatenessMs ?? 3_600_000;
    this.#outOfOrderness = options.outOfOrdernessMs ?? 0;
    this.#grace = options.closeGraceMs ?? 0;
    this.#resetRatio = options.resetRatio ?? DEFAULT_RESET_RATIO;
    this.#clock = options.clock ?? Date.now;
    this.#coalesce = options.emit === 'coalesce';
  }

  /**
   * Applies one reading to its windows of every kind. Never throws for a reading's content.
   * @throws RangeError when the time zone chosen for a new series is unknown to Intl.
   */
  apply(reading: NormalizedReading): ApplyResult {
    const outcome = this.#outcome;
    outcome.reset([]);
    this.applyInto(reading, outcome);
    const result: ApplyResult = {
      updates: outcome.updates.length > 0 ? [...outcome.updates] : NONE,
      closed: outcome.closed.length > 0 ? outcome.closed : NONE,
      tooLate: outcome.tooLate.length > 0 ? [...outcome.tooLate] : NONE,
      duplicates: outcome.duplicates.length > 0 ? [...outcome.duplicates] : NONE,
    };
    if (outcome.rejected) result.rejected = 'non_finite';
    return result;
  }

  /**
   * `apply()` for a caller that applies reading after reading: what the reading did goes into
   * `outcome`, which the caller resets and reuses, so a reading allocates no result of its own
   * (final aggregates are appended to `outcome.closed`, which the caller owns).
   * @throws RangeError when the time zone chosen for a new series is unknown to Intl.
   */
  applyInto(reading: NormalizedReading, outcome: ApplyOutcome): void {
    const { ts, value } = reading;
    if (!Number.isFinite(ts) || !Number.isFinite(value)) {
      outcome.rejected = true;
      return;
    }
    const device = this.device(reading.deviceId);
    device.watermark = Math.max(device.watermark, ts - this.#outOfOrderness);
    const series = this.series(reading, device);
    const computedAt = this.#clock();
    device.lastSeenAt = computedAt;
    const closesBefore = device.watermark - this.#lateness;
    let marked = false;
    for (const kind of this.#kinds) {
      // Most readings land in a window already open: skip computing its bounds.
      let window = series.openWindowAt(kind, ts);
      let added: AddOutcome;
      if (window === undefined) {
        const bounds = series.calendar.bounds(ts, kind);
        if (this.#grace > 0 ? bounds.end <= series.closedThrough(kind) : bounds.end <= closesBefore) {
          outcome.tooLate.push(kind);
          continue;
        }
        ({ window, outcome: added } = series.add(kind, bounds, ts, value));
        device.earliestEnd = Math.min(device.earliestEnd, window.end);
        device.pendingEnd = Math.min(device.pendingEnd, window.end);
      } else if (this.#grace === 0 && window.end <= closesBefore) {
        outcome.tooLate.push(kind);
        continue;
      } else {
        added = window.add(ts, value);
      }
      if (added === 'duplicate') {
        outcome.duplicates.push(kind);
        continue;
      }
      window.touchedAt = computedAt;
      const next =
        series.meta.kind === 'cumulative_index' && window.lastTs === ts
          ? series.next(kind, window)
          : undefined;
      if (this.#coalesce) {
        series.markChanged(kind, window);
        if (next !== undefined) series.markChanged(kind, next);
        marked = true;
      } else {
        outcome.updates.push(series.aggregate(kind, window, computedAt));
        if (next !== undefined) outcome.updates.push(series.aggregate(kind, next, computedAt));
      }
    }
    if (marked) this.#changed.add(series);
    this.closeDue(device, computedAt, outcome.closed);
  }

  /**
   * With `emit: 'coalesce'`: the current aggregate of every open window changed since the last
   * drain, once each. Windows closed meanwhile are not in it: `closed` gave their final value.
   */
  drainChanged(): Aggregate[] {
    const drained: Aggregate[] = [];
    if (this.#changed.size === 0) return drained;
    const computedAt = this.#clock();
    for (const series of this.#changed) series.drainChanged(computedAt, drained);
    this.#changed.clear();
    return drained;
  }

  /**
   * Raises every device's watermark to at least `watermark` and returns the final aggregates
   * of the windows this closes. Drive it from processing time so that the windows of silent
   * devices close too.
   */
  advanceWatermark(watermark: number): Aggregate[] {
    const computedAt = this.#clock();
    const closed: Aggregate[] = [];
    for (const device of this.#devices.values()) {
      device.watermark = Math.max(device.watermark, watermark);
      this.closeDue(device, computedAt, closed);
    }
    return closed;
  }

  /**
   * Closes every open window of the devices that sent nothing for `idleMs` of processing time,
   * as if their event time had moved past those windows' lateness. Judging silence in
   * processing time, per device, is what lets a replay of old data aggregate normally: a
   * watermark pulled up to the wall clock would make every historical reading too late.
   */
  closeIdle(now: number, idleMs: number): Aggregate[] {
    const computedAt = this.#clock();
    const closed: Aggregate[] = [];
    for (const device of this.#devices.values()) {
      if (device.lastSeenAt > now - idleMs || !Number.isFinite(device.earliestEnd)) continue;
      let latestEnd = Number.NEGATIVE_INFINITY;
      for (const series of device.series) latestEnd = Math.max(latestEnd, series.latestEnd);
      device.watermark = Math.max(device.watermark, latestEnd + this.#lateness);
      this.closeDue(device, computedAt, closed);
    }
    // Windows due by their watermark whose grace has run out since their last reading.
    if (this.#grace > 0)
      for (const device of this.#devices.values()) this.closeDue(device, computedAt, closed);
    return closed;
  }

  /** Window kinds this store maintains. */
  get windowKinds(): readonly WindowKind[] {
    return this.#kinds;
  }

  /** Windows currently open, across every series. */
  get openWindowCount(): number {
    let count = 0;
    for (const series of this.#series.values()) count += series.openWindowCount;
    return count;
  }

  get seriesCount(): number {
    return this.#series.size;
  }

  /** A device's watermark, or undefined if it never sent a reading. */
  watermarkOf(deviceId: string): number | undefined {
    return this.#devices.get(deviceId)?.watermark;
  }

  /** Start of the oldest open window, or undefined when none is open. */
  oldestOpenWindowStart(): number | undefined {
    let oldest = Number.POSITIVE_INFINITY;
    for (const series of this.#series.values()) oldest = Math.min(oldest, series.earliestStart);
    return Number.isFinite(oldest) ? oldest : undefined;
  }

  snapshot(): WindowStoreSnapshot {
    const devices = [...this.#devices].map(([deviceId, device]) => ({
      deviceId,
      watermark: Number.isFinite(device.watermark) ? device.watermark : null,
    }));
    const series = [...this.#series.values()].map((s) => s.toSnapshot());
    return { version: 1, devices, series };
  }

  /**
   * A store in the state `snapshot` describes. Series keep the time zone they were cut in.
   * @throws RangeError for a snapshot of another version or a malformed one.
   */
  static restore(snapshot: WindowStoreSnapshot, options: WindowStoreOptions = {}): WindowStore {
    if (snapshot.version !== 1) {
      throw new RangeError(`unsupported window store snapshot version ${snapshot.version}`);
    }
    const store = new WindowStore(options);
    for (const { deviceId, watermark } of snapshot.devices) {
      store.device(deviceId).watermark = watermark ?? Number.NEGATIVE_INFINITY;
    }
    for (const saved of snapshot.series) {
      const meta = { ...saved.meta, dims: Object.freeze({ ...saved.meta.dims }) };
      const series = new Series(saved.key, meta, windowCalendar(saved.timeZone), store.#resetRatio);
      series.restoreLanes(saved.lanes);
      const device = store.device(meta.deviceId);
      device.series.push(series);
      if (isEmpty(meta.dims)) device.plain.set(meta.metric, series);
      device.earliestEnd = Math.min(device.earliestEnd, series.earliestEnd);
      store.#series.set(saved.key, series);
    }
    return store;
  }

  /**
   * Appends to `closed` the finals of the device's windows due by its watermark (and grace).
   * Windows close oldest first in each lane, so only the first ones matter: the scan notes when
   * the next of them can close, and until then a reading skips it. Replayed at full speed, a
   * device holds hundreds of due windows resting through their grace, and without that every
   * reading scanned all its series.
   */
  private closeDue(device: Device, computedAt: number, closed: Aggregate[]): void {
    const closesBefore = device.watermark - this.#lateness;
    if (closesBefore < device.earliestEnd) return;
    if (closesBefore < device.pendingEnd && computedAt < device.restingUntil) return;
    const horizon = this.#horizon;
    horizon.reset();
    for (const series of device.series) {
      series.evict(closesBefore, computedAt, computedAt - this.#grace, closed, this.#coalesce, horizon);
    }
    device.earliestEnd = horizon.earliestEnd;
    device.pendingEnd = horizon.pendingEnd;
    // A window that rests since t can close once the clock is past t + grace.
    device.restingUntil = horizon.restingSince + this.#grace;
  }

  private device(deviceId: string): Device {
    let device = this.#devices.get(deviceId);
    if (device === undefined) {
      device = {
        watermark: Number.NEGATIVE_INFINITY,
        lastSeenAt: this.#clock(),
        earliestEnd: Number.POSITIVE_INFINITY,
        // Unknown until a first scan, which these force.
        pendingEnd: Number.NEGATIVE_INFINITY,
        restingUntil: Number.NEGATIVE_INFINITY,
        series: [],
        plain: new Map(),
      };
      this.#devices.set(deviceId, device);
    }
    return device;
  }

  private series(reading: NormalizedReading, device: Device): Series {
    const plain = isEmpty(reading.dims);
    if (plain) {
      const known = device.plain.get(reading.metric);
      if (known !== undefined) return known;
    }
    const key = seriesKey(reading.deviceId, reading.metric, reading.dims);
    let series = this.#series.get(key);
    if (series === undefined) {
      const meta = seriesMetaOf(reading);
      series = new Series(key, meta, windowCalendar(this.#timeZone(reading)), this.#resetRatio);
      this.#series.set(key, series);
      device.series.push(series);
      if (plain) device.plain.set(reading.metric, series);
    }
    return series;
  }
}

function isEmpty(dims: Readonly<Record<string, string>>): boolean {
  for (const _ in dims) return false;
  return true;
}
