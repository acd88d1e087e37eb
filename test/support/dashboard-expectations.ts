import type { ExpectedAggregate } from './expected-aggregates.js';

/**
 * Indicator values computed by the test from the aggregates it expects (themselves computed from
 * the simulator's ledger, not read back from the pipeline), to compare with what the dashboards'
 * panels return. Written from the indicator definitions (services/indicators/SCHEMA.md), not
 * by calling the indicators service's code.
 */

const TZ = 'Europe/Paris';
const localDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const localHourFormat = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', hourCycle: 'h23' });

/** YYYY-MM-DD of an instant in the territory's time zone. */
export const parisDate = (ts: number): string => localDateFormat.format(ts);
const parisHour = (ts: number): number => Number(localHourFormat.format(ts));

export type Carrier = 'electricity' | 'natural_gas' | 'district_heat';
const CARRIER_OF: Record<string, Carrier> = {
  'energy.active_energy_index': 'electricity',
  'energy.gas_volume_index': 'natural_gas',
  'energy.heat_energy_index': 'district_heat',
};

export interface EnergySettings {
  readonly gasKwhPerM3: number;
  readonly factors: Readonly<Record<Carrier, number>>;
}

/** kWh and kg CO2e of the daily energy aggregates whose day starts in [from, to]. */
export function expectedEnergy(
  aggregates: readonly ExpectedAggregate[],
  settings: EnergySettings,
  from: number,
  to: number,
  toExclusive = false,
): { kwh: number; co2eKg: number } {
  let kwh = 0;
  let co2eKg = 0;
  for (const a of aggregates) {
    const carrier = CARRIER_OF[a.metric];
    if (a.window !== '1d' || carrier === undefined || a.consumption === undefined) continue;
    if (a.windowStart < from || (toExclusive ? a.windowStart >= to : a.windowStart > to)) continue;
    const dayKwh = carrier === 'natural_gas' ? a.consumption * settings.gasKwhPerM3 : a.consumption;
    kwh += dayKwh;
    co2eKg += dayKwh * settings.factors[carrier];
  }
  return { kwh, co2eKg };
}

/**
 * Minimum night flow per `device|YYYY-MM-DD`: the lowest hourly flow over the local hours
 * 02:00-05:00, from the hourly consumption of the volume index when the device has one that
 * night, else from the hourly mean of water.flow. Days starting before `from` are left out.
 */
export function expectedNightFlows(
  aggregates: readonly ExpectedAggregate[],
  from: number,
): Map<string, number> {
  const volume = new Map<string, number[]>();
  const flow = new Map<string, number[]>();
  for (const a of aggregates) {
    if (a.window !== '1h') continue;
    const hour = parisHour(a.windowStart);
    if (hour < 2 || hour >= 5) continue;
    const key = `${a.deviceId}|${parisDate(a.windowStart)}`;
    if (a.metric === 'water.volume_index' && a.consumption !== undefined) {
      volume.set(key, [...(volume.get(key) ?? []), a.consumption]);
    } else if (a.metric === 'water.flow') {
      flow.set(key, [...(flow.get(key) ?? []), a.mean]);
    }
  }
  const firstDay = parisDate(from);
  const result = new Map<string, number>();
  for (const key of new Set([...volume.keys(), ...flow.keys()])) {
    if ((key.split('|')[1] ?? '') < firstDay) continue;
    const values = volume.get(key) ?? flow.get(key) ?? [];
    result.set(key, Math.min(...values));
  }
  return result;
}

/** Bikes counted per local day (YYYY-MM-DD -> total), every bike counter together. */
export function dailyBikeTotals(aggregates: readonly ExpectedAggregate[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const a of aggregates) {
    if (a.window !== '1d' || a.metric !== 'mobility.bike_count') continue;
    const day = parisDate(a.windowStart);
    totals.set(day, (totals.get(day) ?? 0) + a.sum);
  }
  return totals;
}

/** Moving average over `days` consecutive daily totals, dated by the last day of each window. */
export function movingAverage(totals: ReadonlyMap<string, number>, days: number): Map<string, number> {
  const ordered = [...totals].sort(([a], [b]) => a.localeCompare(b));
  const result = new Map<string, number>();
  for (let i = days - 1; i < ordered.length; i++) {
    const window = ordered.slice(i - days + 1, i + 1);
    result.set(ordered[i]?.[0] ?? '', window.reduce((s, [, v]) => s + v, 0) / days);
  }
  return result;
}
