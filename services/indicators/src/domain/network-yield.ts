import type { MeterRole } from '@terrapulse/contracts';
import type { AggregateRow } from './series-row.js';

/** indicator_network_yield: a water sector's balance for one local day. */
export interface NetworkYield {
  readonly tenant: string;
  readonly site: string;
  readonly time: number;
  readonly producedM3: number;
  readonly consumedM3: number;
  readonly lossesM3: number;
  /** consumed / produced. */
  readonly yield: number;
}

export interface NetworkYieldResult {
  readonly yields: NetworkYield[];
  /** Sector-days left out: a meter that reported on other days of the range is missing. */
  readonly incomplete: number;
}

/**
 * Daily water balance per sector (tenant + site) from aggregate_1d `consumption` of
 * `water.volume_index`, with each meter counted by its registry role. A day gets a point only when
 * at least one production and one consumption meter reported, and when every role meter the
 * sector had during the range reported that day: a missing consumer meter would otherwise show
 * as a loss, a missing production meter as a yield above 100 %.
 */
export function networkYields(
  rows: readonly AggregateRow[],
  roleOf: (device: string) => MeterRole | undefined,
): NetworkYieldResult {
  const sectorMeters = new Map<string, Set<string>>();
  const days = new Map<
    string,
    {
      tenant: string;
      site: string;
      time: number;
      produced: number;
      consumed: number;
      meters: Set<string>;
      roles: Set<MeterRole>;
    }
  >();
  for (const row of rows) {
    if (row.metric !== 'water.volume_index' || !Number.isFinite(row.value)) continue;
    const role = roleOf(row.device);
    if (role === undefined) continue;
    const sector = `${row.tenant}\u0000${row.site}`;
    const meters = sectorMeters.get(sector) ?? new Set<string>();
    sectorMeters.set(sector, meters);
    meters.add(row.device);
    const key = `${sector}\u0000${row.time}`;
    let day = days.get(key);
    if (day === undefined) {
      day = {
        tenant: row.tenant,
        site: row.site,
        time: row.time,
        produced: 0,
        consumed: 0,
        meters: new Set(),
        roles: new Set(),
      };
      days.set(key, day);
    }
    if (role === 'production') day.produced += row.value;
    else day.consumed += row.value;
    day.meters.add(row.device);
    day.roles.add(role);
  }
  const yields: NetworkYield[] = [];
  let incomplete = 0;
  for (const day of days.values()) {
    const expected = sectorMeters.get(`${day.tenant}\u0000${day.site}`)?.size ?? 0;
    if (day.roles.size < 2 || day.produced <= 0) continue;
    if (day.meters.size < expected) {
      incomplete++;
      continue;
    }
    yields.push({
      tenant: day.tenant,
      site: day.site,
      time: day.time,
      producedM3: day.produced,
      consumedM3: day.consumed,
      lossesM3: day.produced - day.consumed,
      yield: day.consumed / day.produced,
    });
  }
  return { yields, incomplete };
}
