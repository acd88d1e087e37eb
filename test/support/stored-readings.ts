import type { KnownReading } from './expected-aggregates.js';
import { influxQuery } from './influxql.js';

type InfluxEnv = Parameters<typeof influxQuery>[0];

export const readingKey = (r: {
  deviceId: string;
  metric: string;
  dims: Readonly<Record<string, string>>;
  ts: number;
}) => `${r.deviceId}|${r.metric}|${r.dims.vehicleClass ?? ''}|${r.ts}`;

/** The distinct readings a run must leave in InfluxDB: one per device, metric, dims and timestamp. */
export function distinctReadings(accepted: readonly KnownReading[]): Map<string, number> {
  const expected = new Map<string, number>();
  for (const r of accepted) {
    const key = readingKey(r);
    if (!expected.has(key)) expected.set(key, r.value);
  }
  return expected;
}

export async function countStoredReadings(influx: InfluxEnv, measurement: string): Promise<number> {
  const s = await influxQuery(influx, `SELECT count("value") FROM "${measurement}"`);
  return Number(s[0]?.values[0]?.[1] ?? 0);
}

/** Every stored reading of a measurement, keyed like `readingKey`. */
export async function storedReadings(influx: InfluxEnv, measurement: string): Promise<Map<string, number>> {
  const series = await influxQuery(
    influx,
    `SELECT "value" FROM "${measurement}" GROUP BY "device", "metric", "vehicleClass"`,
  );
  const stored = new Map<string, number>();
  for (const s of series) {
    for (const [ts, value] of s.values) {
      stored.set(`${s.tags?.device}|${s.tags?.metric}|${s.tags?.vehicleClass ?? ''}|${ts}`, value as number);
    }
  }
  return stored;
}

/** Every stored aggregate of a window measurement: key -> [count, sum, min, max, mean, last, consumption]. */
export async function storedAggregates(
  influx: InfluxEnv,
  measurement: string,
): Promise<Map<string, number[]>> {
  const series = await influxQuery(
    influx,
    `SELECT "count", "sum", "min", "max", "mean", "last", "consumption" FROM "${measurement}" GROUP BY "device", "metric", "vehicleClass"`,
  );
  const got = new Map<string, number[]>();
  for (const s of series) {
    for (const v of s.values) {
      got.set(
        `${s.tags?.device}|${s.tags?.metric}|${s.tags?.vehicleClass ?? ''}|${v[0]}`,
        v.slice(1) as number[],
      );
    }
  }
  return got;
}
