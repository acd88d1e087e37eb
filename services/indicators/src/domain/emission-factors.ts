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
 * Defaults for French sites, meant as ADEME's Base Empreinte (ex Base Carbone) "mix moyen -
 * consommation" factors, which ADEME's documentation names as the ones for a GHG inventory
 * (not the "par usage" ones). The values were NOT checked against a Base Empreinte release (no
 * access to the dataset when they were written): a territory must check them against the release
 * it reports against and set EMISSION_FACTOR_* (ADEME revises the electricity mix every year, and
 * each heat network has its own factor). The source text is stored with every point.
 */
export const DEFAULT_EMISSION_FACTORS: Readonly<Record<Carrier, EmissionFactor>> = Object.freeze({
  electricity: {
    kgCo2ePerKwh: 0.052,
    source:
      'Default, to check: ADEME Base Empreinte "Electricité - 2022 - mix moyen - consommation", France continentale',
  },
  natural_gas: {
    // Meant as 0.227 kgCO2e per kWh PCI (combustion + upstream) divided by PCS/PCI = 1.11.
    kgCo2ePerKwh: 0.205,
    source:
      'Default, to check: ADEME Base Empreinte "Gaz naturel - mix moyen - consommation", 0.227 per kWh PCI / 1.11 = per kWh PCS',
  },
  district_heat: {
    kgCo2ePerKwh: 0.1,
    source:
      "Placeholder: set the heat network's own factor (ministerial order on heat networks' CO2 content)",
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

/** Where each factor in use comes from: the default's source, or the variable that overrides it. */
export function emissionFactorSources(
  overrides: Partial<Record<Carrier, number | undefined>> = {},
): Readonly<Record<Carrier, string>> {
  const sources = {} as Record<Carrier, string>;
  for (const carrier of CARRIERS) {
    sources[carrier] =
      overrides[carrier] === undefined
        ? DEFAULT_EMISSION_FACTORS[carrier].source
        : `Set by EMISSION_FACTOR_${carrier.toUpperCase()}`;
  }
  return Object.freeze(sources);
}
