import { timeZoneRules, windowBounds } from '@terrapulse/aggregator';
import { localHour } from './local-days.js';
import type { AggregateRow } from './series-row.js';

/** Local hours whose hourly windows make the night: 02:00, 03:00 and 04:00 (02:00-05:00). */
export const NIGHT_FIRST_HOUR = 2;
export const NIGHT_END_HOUR = 5;

const HOUR_MS = 3_600_000;

/** indicator_night_flow: a water device's minimum hourly flow over one night. */
export interface NightFlow {
  readonly device: string;
  readonly tenant: string;
  readonly site: string;
  /** Start (00:00 local) of the day the night belongs to. */
  readonly time: number;
  readonly minNightFlowM3h: number;
  /** Hourly windows present: 3 on a normal night, 2 on the spring-forward night, 4 in autumn. */
  readonly hours: number;
}

interface Night {
  device: string;
  tenant: string;
  site: string;
  time: number;
  volume: number[];
  flow: number[];
}

/**
 * Minimum night flow per device and night, from aggregate_1h points: the hourly consumption of
 * `water.volume_index` (divided by the window's length, so m3/h even for a shortened window) or,
 * for a device without a volume index that night, the hourly mean of `water.flow`. A volume is
 * what the meter actually counted, so it wins over sampled flow when a device sends both.
 * Hours are local: the repeated 02:00 of an autumn night counts twice, the skipped one of spring
 * not at all.
 */
export function nightFlows(rows: readonly AggregateRow[], timeZone: string): NightFlow[] {
  const rules = timeZoneRules(timeZone);
  const nights = new Map<string, Night>();
  for (const row of rows) {
    if (!Number.isFinite(row.value)) continue;
    const hour = localHour(rules, row.time);
    if (hour < NIGHT_FIRST_HOUR || hour >= NIGHT_END_HOUR) continue;
    const day = windowBounds(row.time, '1d', timeZone).start;
    const key = `${row.device}\u0000${day}`;
    let night = nights.get(key);
    if (night === undefined) {
      night = { device: row.device, tenant: row.tenant, site: row.site, time: day, volume: [], flow: [] };
      nights.set(key, night);
    }
    if (row.metric === 'water.volume_index') {
      const window = windowBounds(row.time, '1h', timeZone);
      night.volume.push(row.value / ((window.end - window.start) / HOUR_MS));
    } else if (row.metric === 'water.flow') {
      night.flow.push(row.value);
    }
  }
  const result: NightFlow[] = [];
  for (const night of nights.values()) {
    const flows = night.volume.length > 0 ? night.volume : night.flow;
    if (flows.length === 0) continue;
    result.push({
      device: night.device,
      tenant: night.tenant,
      site: night.site,
      time: night.time,
      minNightFlowM3h: Math.min(...flows),
      hours: flows.length,
    });
  }
  return result;
}
