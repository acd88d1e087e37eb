import { dimsKey, getMetric, type MetricId } from '@terrapulse/contracts';

/** An accepted reading, as the test knows it from the simulator's ledger. */
export interface KnownReading {
  readonly deviceId: string;
  readonly metric: MetricId;
  readonly dims: Readonly<Record<string, string>>;
  readonly ts: number;
  readonly value: number;
}

export interface ExpectedAggregate {
  readonly deviceId: string;
  readonly metric: string;
  readonly dims: string;
  readonly window: '15m' | '1h' | '1d';
  readonly windowStart: number;
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly last: number;
  readonly consumption?: number;
}

const MINUTE = 60_000;
const localDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const localClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * Start of the Europe/Paris local day containing ts, found by trying the two
 * offsets Paris uses: deliberately a different method from the aggregator's.
 */
function parisDayStart(ts: number): number {
  const [y, m, d] = localDate.format(ts).split('-').map(Number) as [number, number, number];
  for (const offsetHours of [1, 2]) {
    const candidate = Date.UTC(y, m - 1, d) - offsetHours * 60 * MINUTE;
    if (localDate.format(candidate) === localDate.format(ts) && localClock.format(candidate) === '00:00')
      return candidate;
  }
  throw new Error(`no local midnight found for ${new Date(ts).toISOString()}`);
}

/** Paris offsets are whole hours, so its 15-min and 1-h windows are the UTC-aligned ones. */
function windowStart(ts: number, window: '15m' | '1h' | '1d'): number {
  if (window === '15m') return Math.floor(ts / (15 * MINUTE)) * 15 * MINUTE;
  if (window === '1h') return Math.floor(ts / (60 * MINUTE)) * 60 * MINUTE;
  return parisDayStart(ts);
}

/** Consumption step between two consecutive index readings: a fall to at most half is a reset. */
function consumptionStep(previous: number, current: number): number {
  if (current >= previous) return current - previous;
  return current <= 0.5 * previous ? current : 0;
}

/**
 * The aggregates the pipeline must produce from a set of accepted readings,
 * computed the plain way: distinct timestamps per series (first wins), sorted,
 * grouped by window.
 */
export function expectedAggregates(readings: readonly KnownReading[]): ExpectedAggregate[] {
  const series = new Map<string, Map<number, KnownReading>>();
  for (const r of readings) {
    const key = `${r.deviceId}|${r.metric}|${dimsKey(r.dims)}`;
    const points = series.get(key) ?? new Map<number, KnownReading>();
    series.set(key, points);
    if (!points.has(r.ts)) points.set(r.ts, r);
  }
  const out: ExpectedAggregate[] = [];
  for (const points of series.values()) {
    const sorted = [...points.values()].sort((a, b) => a.ts - b.ts);
    const first = sorted[0];
    if (!first) continue;
    const cumulative = getMetric(first.metric).kind === 'cumulative_index';
    for (const window of ['15m', '1h', '1d'] as const) {
      const groups = new Map<number, { readings: KnownReading[]; consumption: number }>();
      sorted.forEach((r, i) => {
        const start = windowStart(r.ts, window);
        const g = groups.get(start) ?? { readings: [], consumption: 0 };
        groups.set(start, g);
        g.readings.push(r);
        const previous = sorted[i - 1];
        if (cumulative && previous) g.consumption += consumptionStep(previous.value, r.value);
      });
      for (const [start, g] of groups) {
        const values = g.readings.map((r) => r.value);
        const sum = values.reduce((a, b) => a + b, 0);
        out.push({
          deviceId: first.deviceId,
          metric: first.metric,
          dims: dimsKey(first.dims),
          window,
          windowStart: start,
          count: values.length,
          sum,
          min: Math.min(...values),
          max: Math.max(...values),
          mean: sum / values.length,
          last: g.readings[g.readings.length - 1]?.value ?? Number.NaN,
          ...(cumulative ? { consumption: g.consumption } : {}),
        });
      }
    }
  }
  return out;
}
