/**
 * Event-time tumbling windows cut at a territory's local time.
 *
 * Sub-day windows (15 min, 1 h) are the instants between consecutive boundaries, where a
 * boundary is an instant whose local wall-clock time is a multiple of the window size, or an
 * offset transition. Cutting by absolute time this way makes the repeated local hour of an
 * autumn night two distinct windows instead of one two-hour window, and keeps windows a
 * partition of the timeline even in zones whose DST shift is not a multiple of the size
 * (Lord Howe's 30 min). For offsets of whole hours or of 30/45 min, the 15 min and 1 h
 * windows are then just the absolute buckets aligned on the offset; Europe/Paris changes
 * offset on a whole UTC hour, so its windows never get shortened.
 *
 * A 1 d window runs from the first instant of a local date to the first instant of the next
 * one: 23 h on a spring-forward day, 25 h on a fall-back day, starting at the end of the gap
 * when midnight itself is skipped. This assumes the local date never steps backwards, which
 * holds for every transition in tzdb.
 */

import { DAY_MS, HOUR_MS, SECOND_MS, type TimeZoneRules, timeZoneRules } from './time-zone-rules.js';
import type { WindowKind } from './types.js';

export type WindowBounds = {
  /** Inclusive, epoch ms. */
  readonly start: number;
  /** Exclusive, epoch ms. */
  readonly end: number;
};

export const DEFAULT_TIME_ZONE = 'Europe/Paris';

const SUB_DAY_SIZE_MS = { '15m': 15 * 60_000, '1h': HOUR_MS } as const;

/** Day bounds are memoised per local date; past this many, start over rather than grow. */
const MAX_CACHED_DAYS = 4_096;

/** The windows of one time zone, with the day boundaries it has already resolved. */
export class WindowCalendar {
  readonly timeZone: string;
  readonly #rules: TimeZoneRules;
  readonly #days = new Map<number, WindowBounds>();

  /** @throws RangeError when `timeZone` is not a time zone Intl knows. */
  constructor(timeZone: string) {
    this.timeZone = timeZone;
    this.#rules = timeZoneRules(timeZone);
  }

  /** The window of kind `window` holding instant `ts` (epoch ms). */
  bounds(ts: number, window: WindowKind): WindowBounds {
    if (!Number.isFinite(ts)) throw new RangeError(`window bounds need a finite timestamp, got ${ts}`);
    return window === '1d' ? this.dayBounds(ts) : this.subDayBounds(ts, SUB_DAY_SIZE_MS[window]);
  }

  private subDayBounds(ts: number, size: number): WindowBounds {
    const block = this.#rules.blockOf(ts);
    if (block.transitions.length === 0) {
      const start = ts - modulo(ts + block.offsetAtStart, size);
      if (start >= block.start && start + size <= block.end) return { start, end: start + size };
    }
    let start = ts - modulo(this.#rules.localTime(ts), size);
    let end = start + size;
    for (const transition of this.#rules.transitionsBetween(start, end)) {
      if (transition.at <= ts) {
        start = transition.at;
      } else {
        end = transition.at;
        break;
      }
    }
    return { start, end };
  }

  private dayBounds(ts: number): WindowBounds {
    const day = Math.floor(this.#rules.localTime(ts) / DAY_MS);
    let bounds = this.#days.get(day);
    if (bounds === undefined) {
      bounds = Object.freeze({ start: this.dayStart(day), end: this.dayStart(day + 1) });
      if (this.#days.size >= MAX_CACHED_DAYS) this.#days.clear();
      this.#days.set(day, bounds);
    }
    return bounds;
  }

  /** First whole second whose local date is `day` or later (local time is monotonic by date). */
  private dayStart(day: number): number {
    const midnight = day * DAY_MS;
    // Offsets stay within a day of UTC, so these bracket the answer.
    let lo = midnight - 2 * DAY_MS;
    let hi = midnight + 2 * DAY_MS;
    while (hi - lo > SECOND_MS) {
      const mid = lo + Math.floor((hi - lo) / (2 * SECOND_MS)) * SECOND_MS;
      if (this.#rules.localTime(mid) >= midnight) hi = mid;
      else lo = mid;
    }
    return hi;
  }
}

const calendars = new Map<string, WindowCalendar>();

/** Shared calendar for `timeZone`. */
export function windowCalendar(timeZone: string = DEFAULT_TIME_ZONE): WindowCalendar {
  let calendar = calendars.get(timeZone);
  if (calendar === undefined) {
    calendar = new WindowCalendar(timeZone);
    calendars.set(timeZone, calendar);
  }
  return calendar;
}

/**
 * The window of kind `window` holding `ts` (epoch ms), cut in `timeZone`.
 * @throws RangeError for an unknown time zone or a non-finite timestamp.
 */
export function windowBounds(
  ts: number,
  window: WindowKind,
  timeZone: string = DEFAULT_TIME_ZONE,
): WindowBounds {
  return windowCalendar(timeZone).bounds(ts, window);
}

function modulo(value: number, size: number): number {
  const rest = value % size;
  return rest < 0 ? rest + size : rest;
}
