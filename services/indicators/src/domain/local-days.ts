import { type TimeZoneRules, timeZoneRules, windowBounds } from '@terrapulse/aggregator';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A span of whole local days: `start` is the first day's first instant, `end` the next day's after the last. */
export interface DayRange {
  readonly start: number;
  readonly end: number;
}

/** The first instant of local date `date` (YYYY-MM-DD) in `timeZone`. */
export function localDayStart(date: string, timeZone: string): number {
  const match = ISO_DATE.exec(date);
  if (match === null) throw new RangeError(`expected a date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const noon = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12);
  if (Number.isNaN(noon) || new Date(noon).toISOString().slice(0, 10) !== date)
    throw new RangeError(`${date} is not a calendar date`);
  // Local noon of that date, give or take a DST hour: well inside the day whatever the zone.
  const rules = timeZoneRules(timeZone);
  const instant = noon - rules.offsetAt(noon);
  return windowBounds(instant, '1d', timeZone).start;
}

/** The local date (YYYY-MM-DD) holding instant `ts`. */
export function localDate(ts: number, timeZone: string): string {
  return new Date(timeZoneRules(timeZone).localTime(ts)).toISOString().slice(0, 10);
}

/** Local dates `from` to `to`, both included. */
export function dayRange(from: string, to: string, timeZone: string): DayRange {
  const start = localDayStart(from, timeZone);
  const last = localDayStart(to, timeZone);
  if (last < start) throw new RangeError(`--to ${to} is before --from ${from}`);
  return { start, end: windowBounds(last, '1d', timeZone).end };
}

/** The last `days` local days up to and including the one holding `now`. */
export function lastDays(now: number, days: number, timeZone: string): DayRange {
  const today = windowBounds(now, '1d', timeZone);
  // Step back by whole days from today's start; 23 h and 25 h days never push past a boundary.
  const first = windowBounds(today.start - (days - 1) * DAY_MS + 2 * HOUR_MS, '1d', timeZone);
  return { start: first.start, end: today.end };
}

/** Local wall-clock hour (0-23) of instant `ts`. */
export function localHour(rules: TimeZoneRules, ts: number): number {
  const local = rules.localTime(ts);
  return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}
