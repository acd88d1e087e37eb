import type { AggregateRow, DayRange, MeasurementNames } from '../../domain/index.js';
import type { AggregateReader } from '../../ports/index.js';
import type { InfluxHttp, InfluxSeries } from './influx-http.js';

const quote = (literal: string): string => `'${literal.replace(/[\\']/g, (c) => `\\${c}`)}'`;
const ident = (name: string): string => `"${name.replace(/"/g, '\\"')}"`;
const timeRange = (r: DayRange): string => `time >= ${r.start}ms AND time < ${r.end}ms`;
const anyMetric = (metrics: readonly string[]): string =>
  `(${metrics.map((m) => `"metric" = ${quote(m)}`).join(' OR ')})`;

/** Rows of series grouped by device, tenant, site and metric; null values (absent field) skipped. */
function rowsOf(series: readonly InfluxSeries[]): AggregateRow[] {
  const rows: AggregateRow[] = [];
  for (const s of series) {
    const tags = s.tags ?? {};
    for (const [time, value] of s.values) {
      if (typeof time !== 'number' || typeof value !== 'number') continue;
      rows.push({
        device: tags.device ?? '',
        tenant: tags.tenant ?? '',
        site: tags.site ?? '',
        metric: tags.metric ?? '',
        time,
        value,
      });
    }
  }
  return rows;
}

/** Reads the influx-writer's aggregates with InfluxQL, under the deployment's measurement prefix. */
export class InfluxAggregateReader implements AggregateReader {
  constructor(
    private readonly influx: InfluxHttp,
    private readonly names: MeasurementNames,
  ) {}

  async dailyConsumption(metrics: readonly string[], range: DayRange): Promise<AggregateRow[]> {
    if (metrics.length === 0) return [];
    return rowsOf(
      await this.influx.query(
        `SELECT "consumption" FROM ${ident(this.names.aggregate_1d)} WHERE ${anyMetric(metrics)} AND ${timeRange(range)} GROUP BY "device", "tenant", "site", "metric"`,
      ),
    );
  }

  async hourlyWater(range: DayRange): Promise<AggregateRow[]> {
    const from = ident(this.names.aggregate_1h);
    const [volumes, flows] = await Promise.all([
      this.influx.query(
        `SELECT "consumption" FROM ${from} WHERE "metric" = 'water.volume_index' AND ${timeRange(range)} GROUP BY "device", "tenant", "site", "metric"`,
      ),
      this.influx.query(
        `SELECT "mean" FROM ${from} WHERE "metric" = 'water.flow' AND ${timeRange(range)} GROUP BY "device", "tenant", "site", "metric"`,
      ),
    ]);
    return [...rowsOf(volumes), ...rowsOf(flows)];
  }

  /**
   * Latest reading per device: exact from `reading` over the last two hours (cheap), else the
   * start of the latest hourly aggregate within the look-back (a lower bound, to the hour), so a
   * minute's snapshot never scans days of raw readings.
   */
  async lastSeen(now: number, lookbackMs: number): Promise<Map<string, number>> {
    const recentFrom = now - Math.min(lookbackMs, 2 * 3_600_000);
    const [recent, hourly] = await Promise.all([
      this.influx.query(
        `SELECT last("value") FROM ${ident(this.names.reading)} WHERE time > ${recentFrom}ms AND time <= ${now}ms GROUP BY "device"`,
      ),
      this.influx.query(
        `SELECT last("count") FROM ${ident(this.names.aggregate_1h)} WHERE time > ${now - lookbackMs}ms AND time <= ${now}ms GROUP BY "device"`,
      ),
    ]);
    const seen = new Map<string, number>();
    for (const series of [hourly, recent]) {
      for (const s of series) {
        const device = s.tags?.device;
        const time = s.values[0]?.[0];
        if (device !== undefined && typeof time === 'number') seen.set(device, time);
      }
    }
    return seen;
  }
}
