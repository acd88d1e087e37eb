import { describe, expect, it } from 'vitest';
import {
  type AggregateRow,
  DEFAULT_EMISSION_FACTORS,
  emissionFactorSources,
  emissionFactors,
  energyIndicators,
  energyPoint,
  measurementNames,
  toLine,
} from '../src/index.js';

const day = Date.parse('2025-01-14T23:00:00Z');
const row = (device: string, metric: string, value: number): AggregateRow => ({
  device,
  tenant: 't1',
  site: 'school',
  metric,
  time: day,
  value,
});

describe('energy indicators', () => {
  const areas: Record<string, number> = { elec: 2000 };
  const options = { factors: emissionFactors(), gasKwhPerM3: 11.2, floorAreaM2: (id: string) => areas[id] };

  it('should name an ADEME Base Empreinte source for electricity and natural gas', () => {
    expect(DEFAULT_EMISSION_FACTORS.electricity.source).toMatch(/ADEME Base Empreinte/);
    expect(DEFAULT_EMISSION_FACTORS.natural_gas.source).toMatch(/ADEME Base Empreinte/);
  });

  it('should turn a day of electricity into kWh, CO2e and kWh per m2', () => {
    const [e] = energyIndicators([row('elec', 'energy.active_energy_index', 100)], options);
    expect(e).toMatchObject({ carrier: 'electricity', consumptionKwh: 100, time: day });
    expect(e?.co2eKg).toBeCloseTo(5.2, 10); // 100 kWh x 0.052
    expect(e?.kwhPerM2).toBeCloseTo(0.05, 10); // 100 kWh / 2000 m2
  });

  it('should convert gas m3 to kWh PCS before applying the gas factor, without area when unknown', () => {
    const [e] = energyIndicators([row('gas', 'energy.gas_volume_index', 10)], options);
    expect(e?.consumptionKwh).toBeCloseTo(112, 10); // 10 m3 x 11.2 kWh/m3
    expect(e?.co2eKg).toBeCloseTo(22.96, 10); // 112 kWh x 0.205
    expect(e?.kwhPerM2).toBeUndefined();
  });

  it('should use an overridden factor for district heat and skip non-energy metrics', () => {
    const rows = [row('heat', 'energy.heat_energy_index', 50), row('wm', 'water.volume_index', 9)];
    const result = energyIndicators(rows, { ...options, factors: emissionFactors({ district_heat: 0.12 }) });
    expect(result).toHaveLength(1);
    expect(result[0]?.co2eKg).toBeCloseTo(6, 10);
    expect(result[0]?.emissionFactorKgPerKwh).toBe(0.12);
    const sources = emissionFactorSources({ district_heat: 0.12 });
    expect(sources.district_heat).toBe('Set by EMISSION_FACTOR_DISTRICT_HEAT');
    expect(sources.electricity).toMatch(/ADEME Base Empreinte/);
  });

  it('should write the agreed point of indicator_energy_1d', () => {
    const [e] = energyIndicators([row('elec', 'energy.active_energy_index', 100)], options);
    if (e === undefined) throw new Error('no indicator');
    expect(toLine(energyPoint(measurementNames('p_'), e, 'ADEME "mix moyen"'))).toBe(
      `p_indicator_energy_1d,carrier=electricity,device=elec,metric=energy.active_energy_index,site=school,tenant=t1 co2e_kg=5.2,consumption_kwh=100,emission_factor_kg_per_kwh=0.052,emission_factor_source="ADEME \\"mix moyen\\"",kwh_per_m2=0.05 ${day}`,
    );
  });
});
