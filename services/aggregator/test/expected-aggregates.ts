/**
 * Aggregates computed the plain way, sharing no code with the service: windows from UTC
 * arithmetic and Intl, lateness from a per-device maximum, statistics from sorted arrays.
 */

import type { Aggregate, NormalizedReading } from '@terrapulse/contracts';
import { aggregateKey } from '@terrapulse/contracts';

const MINUTE = 60_000;
const HOUR = 3_600_000;

type Window = Aggregate['window'];
const WINDOWS: readonly Window[] = ['15m', '1h', '1d'];

const formats = new Map<string, Intl.DateTimeFormat>();

/** Local date `YYYY-MM-DD` of `ts` in `timeZone`. */
function localDate(ts: number, timeZone: string): string {
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formats.set(timeZone, format);
  }
  return format.format(ts);
}

/** First whole hour whose local date is `date` (midnight exists in Paris, every day). */
function dayStart(date: string, timeZone: string): number {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  for (let t = utcMidnight - 14 * HOUR; ; t += HOUR) if (localDate(t, timeZone) === date) return t;
}

/** Window bounds; 15 min and 1 h windows are UTC-aligned because Paris offsets are whole hours. */
export function bounds(ts: number, window: Window, timeZone: string): { start: number; end: number } {
  if (window !== '1d') {
    const size = window === '15m' ? 15 * MINUTE : HOUR;
    const start = Math.floor(ts / size) * size;
    return { start, end: start + size };
  }
  const start = dayStart(localDate(ts, timeZone), timeZone);
  // Local days last 23 to 25 hours, so 26 hours after a day's start is always the next day.
  const end = dayStart(localDate(start + 26 * HOUR, timeZone), timeZone);
  return { start, end };
}

export type ExpectedAggregate = Omit<Aggregate, 'computedAt'>;

export interface Expectation {
  readonly aggregates: Map<string, ExpectedAggregate>;
  readonly duplicates: number;
  readonly tooLate: number;
}

/** One step of a cumulative index chain: a fall to at most half is a reset, a smaller fall counts 0. */
function step(previous: number, current: number): number {
  if (current >= previous) return current - previous;
  return current <= previous * 0.5 ? current : 0;
}

export function expectedAggregates(
  arrivals: readonly NormalizedReading[],
  timeZone: string,
  allowedLatenessMs: number,
): Expectation {
  const watermark = new Map<string, number>();
  const accepted = new Map<string, NormalizedReading[]>(); // series|window -> readings
  const seen = new Set<string>();
  let duplicates = 0;
  let tooLate = 0;
  for (const r of arrivals) {
    const mark = Math.max(watermark.get(r.deviceId) ?? Number.NEGATIVE_INFINITY, r.ts);
    watermark.set(r.deviceId, mark);
    const series = `${r.deviceId}|${r.metric}|${JSON.stringify(Object.entries(r.dims).sort())}`;
    for (const window of WINDOWS) {
      if (bounds(r.ts, window, timeZone).end <= mark - allowedLatenessMs) {
        tooLate++;
        continue;
      }
      const identity = `${series}|${window}|${r.ts}`;
      if (seen.has(identity)) {
        duplicates++;
        continue;
      }
      seen.add(identity);
      const lane = `${series}|${window}`;
      accepted.set(lane, [...(accepted.get(lane) ?? []), r]);
    }
  }
  const aggregates = new Map<string, ExpectedAggregate>();
  for (const [lane, readings] of accepted) {
    const window = lane.split('|').at(-1) as Window;
    const sorted = [...readings].sort((a, b) => a.ts - b.ts);
    const groups = new Map<number, NormalizedReading[]>();
    for (const r of sorted) {
      const { start } = bounds(r.ts, window, timeZone);
      groups.set(start, [...(groups.get(start) ?? []), r]);
    }
    for (const [start, members] of groups) {
      const first = members[0] as NormalizedReading;
      const last = members.at(-1) as NormalizedReading;
      const values = members.map((m) => m.value);
      let sum = 0;
      for (const v of values) sum += v;
      const aggregate: ExpectedAggregate = {
        deviceId: first.deviceId,
        tenant: first.tenant,
        site: first.site,
        domain: first.domain,
        metric: first.metric,
        kind: first.kind,
        unit: first.unit,
        dims: first.dims,
        window,
        windowStart: start,
        windowEnd: bounds(first.ts, window, timeZone).end,
        count: members.length,
        sum,
        min: Math.min(...values),
        max: Math.max(...values),
        mean: sum / members.length,
        last: last.value,
        lastTs: last.ts,
        timezone: timeZone,
      };
      if (first.kind === 'cumulative_index') {
        let previous = sorted.filter((r) => r.ts < start).at(-1)?.value;
        let consumption = 0;
        for (const v of values) {
          if (previous !== undefined) consumption += step(previous, v);
          previous = v;
        }
        aggregate.consumption = consumption;
      }
      aggregates.set(aggregateKey(aggregate), aggregate);
    }
  }
  return { aggregates, duplicates, tooLate };
}

/** An aggregate without the time it was computed, to compare runs. */
export function withoutComputedAt(aggregate: Aggregate): ExpectedAggregate {
  const { computedAt: _, ...rest } = aggregate;
  return rest;
}
