import type { AggregateRow, DayRange } from '../domain/index.js';

/** The stored aggregates and readings the indicators are computed from (influx-writer's schema). */
export interface AggregateReader {
  /** aggregate_1d `consumption` of these cumulative-index metrics, windows starting in the range. */
  dailyConsumption(metrics: readonly string[], range: DayRange): Promise<AggregateRow[]>;
  /**
   * aggregate_1h points of water devices in the range: `consumption` of water.volume_index and
   * `mean` of water.flow.
   */
  hourlyWater(range: DayRange): Promise<AggregateRow[]>;
  /** Time of each device's latest stored data within `lookbackMs` before `now`. */
  lastSeen(now: number, lookbackMs: number): Promise<Map<string, number>>;
}
