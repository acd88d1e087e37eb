import { type Carrier, carrierOfMetric, consumptionKwh, type EmissionFactors } from './emission-factors.js';
import type { AggregateRow } from './series-row.js';

/** indicator_energy_1d: one device's energy for one local day. */
export interface EnergyIndicator {
  readonly device: string;
  readonly tenant: string;
  readonly site: string;
  readonly metric: string;
  readonly carrier: Carrier;
  /** Start of the local day, the instant of its aggregate_1d point. */
  readonly time: number;
  readonly consumptionKwh: number;
  readonly co2eKg: number;
  readonly emissionFactorKgPerKwh: number;
  /** Only when the registry knows the site's heated floor area. */
  readonly kwhPerM2?: number;
}

export interface EnergyOptions {
  readonly factors: EmissionFactors;
  readonly gasKwhPerM3: number;
  /** Heated floor area of a device's site, from its registry record. */
  readonly floorAreaM2: (device: string) => number | undefined;
}

/** Daily consumption of energy indexes (aggregate_1d `consumption`) -> kWh, CO2e and kWh per m2. */
export function energyIndicators(rows: readonly AggregateRow[], options: EnergyOptions): EnergyIndicator[] {
  const indicators: EnergyIndicator[] = [];
  for (const row of rows) {
    const carrier = carrierOfMetric(row.metric);
    if (carrier === undefined || !Number.isFinite(row.value)) continue;
    const kwh = consumptionKwh(carrier, row.value, options.gasKwhPerM3);
    const factor = options.factors[carrier];
    const area = options.floorAreaM2(row.device);
    indicators.push({
      device: row.device,
      tenant: row.tenant,
      site: row.site,
      metric: row.metric,
      carrier,
      time: row.time,
      consumptionKwh: kwh,
      co2eKg: kwh * factor,
      emissionFactorKgPerKwh: factor,
      ...(area !== undefined && area > 0 && { kwhPerM2: kwh / area }),
    });
  }
  return indicators;
}
