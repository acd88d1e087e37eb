import type { MetricId } from '@terrapulse/contracts';

/** Energy carriers the indicators know, each with its own emission factor. */
export const CARRIERS = ['electricity', 'natural_gas', 'district_heat'] as const;
export type Carrier = (typeof CARRIERS)[number];

export interface EmissionFactor {
  /** kg CO2e per kWh delivered (natural gas: per kWh PCS, the unit French gas bills use). */
  readonly kgCo2ePerKwh: number;
  /** Where the value comes from, shown in the README and the service's startup log. */
  readonly source: string;
}

/**
 * Defaults for French sites, life-cycle factors of ADEME's Base Empreinte (ex Base Carbone).
 * A territory overrides them (EMISSION_FACTOR_* variables) with the release it reports against:
 * ADEME updates the electricity mix every year, and heat networks each have their own factor.
 */
export const DEFAULT_EMISSION_FACTORS: Readonly<Record<Carrier, EmissionFactor>> = Object.freeze({
  electricity: {
    kgCo2ePerKwh: 0.052,
    source: 'ADEME Base Empreinte, Électricité - 2022 - mix moyen - consommation (0.052 kgCO2e/kWh)',
  },
  natural_gas: {
    // 0.227 kgCO2e per kWh PCI (combustion + upstream) divided by PCS/PCI = 1.11.
    kgCo2ePerKwh: 0.205,
    source:
      'ADEME Base Empreinte, Gaz naturel - mix moyen - consommation (0.227 kgCO2e/kWh PCI = 0.205 kgCO2e/kWh PCS)',
  },
  district_heat: {
    kgCo2ePerKwh: 0.1,
    source:
      "Configurable default (0.1 kgCO2e/kWh, order of magnitude of French heat networks' average); set the network's own value from the ministerial order on heat networks' CO2 content",
  },
});

/**
 * kWh PCS per m3 of natural gas at the meter. GRDF converts each reading with a coefficient of the
 * delivery zone (altitude, gas quality), usually 10.5-11.5; 11.2 is a typical H-gas value.
 */
export const DEFAULT_GAS_KWH_PER_M3 = 11.2;

/** Cumulative energy indexes of the metric catalogue, with the carrier each one measures. */
export const ENERGY_INDEX_METRICS: Readonly<Partial<Record<MetricId, Carrier>>> = Object.freeze({
  'energy.active_energy_index': 'electricity',
  'energy.gas_volume_index': 'natural_gas',
  'energy.heat_energy_index': 'district_heat',
});

export function carrierOfMetric(metric: string): Carrier | undefined {
  return ENERGY_INDEX_METRICS[metric as MetricId];
}

/** Consumption in the metric's canonical unit (kWh, or m3 of gas) -> kWh. */
export function consumptionKwh(carrier: Carrier, consumption: number, gasKwhPerM3: number): number {
  return carrier === 'natural_gas' ? consumption * gasKwhPerM3 : consumption;
}

export type EmissionFactors = Readonly<Record<Carrier, number>>;

/** The default factors, with the ones given replacing theirs. */
export function emissionFactors(
  overrides: Partial<Record<Carrier, number | undefined>> = {},
): EmissionFactors {
  const factors = {} as Record<Carrier, number>;
  for (const carrier of CARRIERS) {
    factors[carrier] = overrides[carrier] ?? DEFAULT_EMISSION_FACTORS[carrier].kgCo2ePerKwh;
  }
  return Object.freeze(factors);
}
