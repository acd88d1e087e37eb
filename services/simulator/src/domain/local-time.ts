/**
 * Local wall-clock fields of an instant in a time zone, for load curves: a school opens at 8:00
 * local time, summer or winter. Intl costs microseconds per call, far too much per reading, so the
 * UTC offset is cached per UTC day, and per quarter hour on the rare days whose offset changes
 * (zone transitions fall on quarter hours in every zone, and never twice in a day).
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const QUANTUM_MS = 15 * MINUTE_MS;
const MAX_CACHED = 200_000;

export interface LocalFields {
  /** 0 = Monday ... 6 = Sunday. */
  readonly weekday: number;
  /** Hours since local midnight, fractional (0 <= hour < 24; 24 hours of local clock). */
  readonly hour: number;
  /** Days since 1 January, fractional enough for seasons (0 .. 365). */
  readonly dayOfYear: number;
}

/** Average Gregorian year, for seasonal curves that must not drift over a decade. */
const YEAR_DAYS = 365.2425;

export class LocalClock {
  readonly timeZone: string;
  private readonly format: Intl.DateTimeFormat;
  /** Offset of a UTC day, or NaN for a day with a transition (then see `quarters`). */
  private readonly days = new Map<number, number>();
  private readonly quarters = new Map<number, number>();

  /** @throws RangeError when Intl does not know `timeZone`. */
  constructor(timeZone: string) {
    this.timeZone = timeZone;
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
  }

  /** Local time minus UTC, in ms. */
  offsetAt(ts: number): number {
    const day = Math.floor(ts / DAY_MS);
    let offset = this.days.get(day);
    if (offset === undefined) {
      if (this.days.size >= MAX_CACHED) this.days.clear();
      const start = this.computeOffset(day * DAY_MS);
      offset = start === this.computeOffset((day + 1) * DAY_MS - QUANTUM_MS) ? start : Number.NaN;
      this.days.set(day, offset);
    }
    if (!Number.isNaN(offset)) return offset;
    const quantum = Math.floor(ts / QUANTUM_MS);
    let exact = this.quarters.get(quantum);
    if (exact === undefined) {
      if (this.quarters.size >= MAX_CACHED) this.quarters.clear();
      exact = this.computeOffset(quantum * QUANTUM_MS);
      this.quarters.set(quantum, exact);
    }
    return exact;
  }

  fields(ts: number): LocalFields {
    const local = ts + this.offsetAt(ts);
    const days = Math.floor(local / DAY_MS);
    // 1970-01-01 was a Thursday (3 when Monday is 0).
    const weekday = (((days + 3) % 7) + 7) % 7;
    const hour = (local - days * DAY_MS) / HOUR_MS;
    // 1970-01-01 is day 0 of a year; the mean year length keeps 1 January near 0 for centuries.
    const dayOfYear = (((local / DAY_MS) % YEAR_DAYS) + YEAR_DAYS) % YEAR_DAYS;
    return { weekday, hour, dayOfYear };
  }

  private computeOffset(ts: number): number {
    const parts: Record<string, number> = {};
    for (const part of this.format.formatToParts(new Date(ts))) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const asUtc = Date.UTC(
      parts.year ?? 1970,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
    );
    return asUtc - (ts - (ts % MINUTE_MS));
  }
}

const clocks = new Map<string, LocalClock>();

/** One shared clock per zone, so its offset cache serves every device of the zone. */
export function localClock(timeZone: string): LocalClock {
  let clock = clocks.get(timeZone);
  if (clock === undefined) {
    clock = new LocalClock(timeZone);
    clocks.set(timeZone, clock);
  }
  return clock;
}
